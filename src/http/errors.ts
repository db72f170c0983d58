import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ServiceError } from '../services/errors.ts';

/**
 * The one table from service error codes to HTTP (docs/STAFF-API.md "Errors"). Bodies are
 * `{ code, message, field? }`; messages name the field or the problem and never echo a value.
 * Anything not listed is a 500 without detail.
 */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  ERR_VALIDATION: 400,
  ERR_REASON_REQUIRED: 400,
  ERR_AUTH: 401,
  ERR_CSRF: 403,
  ERR_TERMS_REQUIRED: 403,
  ERR_PASSWORD_CHANGE_REQUIRED: 403,
  ERR_NOT_FOUND: 404,
  ERR_CONFLICT: 409,
  ERR_THROTTLED: 429,
};

export interface ErrorBody {
  code: string;
  message: string;
  field?: string;
}

export const NOT_FOUND_BODY: ErrorBody = { code: 'ERR_NOT_FOUND', message: 'not found or no access' };
export const INTERNAL_BODY: ErrorBody = { code: 'ERR_INTERNAL', message: 'internal_error' };

type Part = 'body' | 'querystring' | 'params' | 'headers';

/** The field a zod issue is about: a dotted path in the body or query, the parameter or header name. */
function fieldOf(part: Part | undefined, instancePath: string): string {
  const path = instancePath.split('/').filter((s) => s.length > 0).join('.');
  if (path.length > 0) return path;
  return part === 'querystring' ? 'query' : part ?? 'body';
}

/** Framework errors raised before validation (content type, JSON syntax, size): 4xx naming the body. */
function frameworkError(err: FastifyError): { status: number; body: ErrorBody } | null {
  const status = err.statusCode ?? 0;
  if (status < 400 || status >= 500) return null;
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, body: { code: 'ERR_VALIDATION', message: 'unsupported content type', field: 'content-type' } };
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, body: { code: 'ERR_VALIDATION', message: 'the body is too large', field: 'body' } };
  return { status: 400, body: { code: 'ERR_VALIDATION', message: 'the body is not valid JSON', field: 'body' } };
}

/** Maps any error to a status and body; unknown errors become 500 `internal_error`. */
export function mapError(err: unknown): { status: number; body: ErrorBody; retryAfter?: number } {
  if (err instanceof ServiceError) {
    const status = ERROR_STATUS[err.code];
    if (status === undefined) return { status: 500, body: INTERNAL_BODY };
    if (err.code === 'ERR_NOT_FOUND') return { status, body: NOT_FOUND_BODY };
    const body: ErrorBody = { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) };
    const retryAfter = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return { status, body, ...(typeof retryAfter === 'number' ? { retryAfter: Math.max(1, Math.ceil(retryAfter)) } : {}) };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issue = err.validation[0]!;
    let field = fieldOf(err.validationContext as Part | undefined, issue.instancePath);
    const extra = (issue.params as { keys?: unknown }).keys;
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(extra) && typeof extra[0] === 'string') {
      const key = extra[0].slice(0, 64);
      field = key === '' ? field : `${issue.instancePath === '/' ? '' : `${field}.`}${key}`;
      return { status: 400, body: { code: 'ERR_VALIDATION', message: `${field}: unknown field`, field } };
    }
    // zod's messages describe the expectation ("Too big: expected string to have <=200 characters"), never the input.
    return { status: 400, body: { code: 'ERR_VALIDATION', message: `${field}: ${issue.message}`, field } };
  }
  if (typeof err === 'object' && err !== null && typeof (err as FastifyError).code === 'string' && (err as FastifyError).code.startsWith('FST_')) {
    const mapped = frameworkError(err as FastifyError);
    if (mapped) return mapped;
  }
  return { status: 500, body: INTERNAL_BODY };
}

/** Stack frames without the message line, which could quote input (a driver's message, a parser's). */
function framesOf(err: unknown): string | undefined {
  const stack = (err as { stack?: unknown })?.stack;
  return typeof stack === 'string' ? stack.split('\n').slice(1, 12).join('\n') : undefined;
}

/** Fastify error handler: logs codes and stack frames only, answers with the mapped body. */
export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body, retryAfter } = mapError(err);
  if (status >= 500) {
    const e = err as { name?: unknown; code?: unknown };
    request.log.error({ status, errorName: String(e?.name ?? 'unknown'), errorCode: typeof e?.code === 'string' ? e.code : undefined, frames: framesOf(err) }, 'request failed');
  } else {
    request.log.info({ status, code: body.code, field: body.field }, 'request refused');
  }
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  return reply.code(status).send(body);
}
