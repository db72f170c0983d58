import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { divisionName } from '../../domain/divisions.ts';
import { ROLES } from '../../domain/roles.ts';
import type { AppContext } from '../../services/app-context.ts';
import { ServiceError } from '../../services/errors.ts';
import { acceptTerms, changePassword, currentTerms, signIn, signOut } from '../../services/session.service.ts';
import type { StaffSession } from '../../services/session.service.ts';
import { clearSessionCookie, requireStaff, SESSION_COOKIE, setSessionCookie } from '../plugins/session.plugin.ts';
import { errorResponses, Ok } from './common.schema.ts';

/**
 * Sign-in, sign-out, the session, the forced password change and the confidentiality terms
 * (docs/STAFF-API.md). Needs the session plugin registered before it.
 */
const Account = z.object({
  id: z.string(),
  username: z.string(),
  role: z.enum(ROLES),
  jurisdiction: z.string(),
  jurisdictionName: z.string().nullable(),
  stage: z.enum(['active', 'password_change']).describe('password_change: only POST /api/auth/password, GET /api/auth/session and POST /api/auth/logout answer'),
  termsAccepted: z.boolean(),
  demo: z.boolean(),
  sessionExpiresAt: z.string(),
});
const SessionBody = z.object({ account: Account, csrfToken: z.string().describe('send as x-csrf-token with every POST, PUT, PATCH and DELETE') });

const LoginBody = z.strictObject({
  username: z.string().min(1).max(128),
  password: z.string().min(1).max(1024),
  totp: z.string().min(1).max(16).describe('the current 6-digit code of the authenticator app'),
});
const PasswordBody = z.strictObject({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(1).max(1024) });
const TermsBody = z.object({ version: z.string(), text: z.object({ en: z.string(), zh: z.string() }), accepted: z.boolean() });
const AcceptBody = z.strictObject({ version: z.string().min(1).max(64) });

function sessionBody(s: StaffSession) {
  const a = s.actor;
  return {
    account: {
      id: a.id, username: a.username, role: a.role, jurisdiction: a.jurisdiction, jurisdictionName: divisionName(a.jurisdiction) ?? null,
      stage: s.stage, termsAccepted: a.termsAccepted, demo: s.demo, sessionExpiresAt: s.expiresAt,
    },
    csrfToken: s.csrfToken,
  };
}

export async function authRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const clock = () => app.staffClock();
  const tags = ['sign-in'];

  api.post('/api/auth/login', {
    schema: { tags, summary: 'sign in with username, password and TOTP code', body: LoginBody, response: { 200: SessionBody, ...errorResponses } },
  }, async (request, reply) => {
    const session = await signIn(ctx, { ...request.body, address: request.ip, requestId: request.id }, clock(), app.staffSessionPolicy);
    setSessionCookie(request, reply, session);
    return sessionBody(session);
  });

  api.post('/api/auth/logout', {
    schema: { tags, summary: 'sign out (ends the session)', security: [{ session: [], csrf: [] }], response: { 200: Ok, ...errorResponses } },
    preHandler: requireStaff({ allowPasswordChange: true }),
  }, async (request, reply) => {
    await signOut(ctx, request.staffSession!, request.id, clock());
    clearSessionCookie(request, reply);
    return { ok: true as const };
  });

  api.get('/api/auth/session', {
    schema: { tags, summary: 'the current session, or 401', response: { 200: SessionBody, ...errorResponses } },
  }, async (request, reply) => {
    if (!request.staffSession) {
      if (request.cookies[SESSION_COOKIE]) clearSessionCookie(request, reply);
      throw new ServiceError('ERR_AUTH', 'not signed in');
    }
    return sessionBody(request.staffSession);
  });

  api.post('/api/auth/password', {
    schema: { tags, summary: 'change the password (required after user add / user reset); starts a new session', security: [{ session: [], csrf: [] }], body: PasswordBody, response: { 200: SessionBody, ...errorResponses } },
    preHandler: requireStaff({ allowPasswordChange: true }),
  }, async (request, reply) => {
    const session = await changePassword(ctx, request.staffSession!, request.body.currentPassword, request.body.newPassword, request.id, clock());
    setSessionCookie(request, reply, session);
    return sessionBody(session);
  });

  api.get('/api/terms', {
    schema: { tags: ['terms'], summary: 'the confidentiality terms in force (English and Chinese) and whether they are accepted', security: [{ session: [] }], response: { 200: TermsBody, ...errorResponses } },
    preHandler: requireStaff(),
  }, async (request) => currentTerms(request.staff!));

  api.post('/api/terms/accept', {
    schema: { tags: ['terms'], summary: 'accept the terms of this version (must be the current one)', security: [{ session: [], csrf: [] }], body: AcceptBody, response: { 200: TermsBody, ...errorResponses } },
    preHandler: requireStaff(),
  }, async (request) => acceptTerms(ctx, request.staff!, request.body.version, request.id, clock()));
}
