import { z } from 'zod';
import { PURPOSES } from '../../domain/roles.ts';

/**
 * Schemas every staff route shares: the error body, the purpose header, path ids, pagination and
 * the masked-field shape (docs/STAFF-API.md).
 */
export const ErrorBody = z.object({ code: z.string(), message: z.string(), field: z.string().optional() });

/** Every error a staff route may answer with, so that the OpenAPI document lists them. */
export const errorResponses = {
  400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody, 500: ErrorBody,
} as const;

/** Personal-data routes state their purpose; other headers pass through untouched (cookies, CSRF token). */
export const PurposeHeaders = z.looseObject({ 'x-epivault-purpose': z.enum(PURPOSES).describe('the purpose of this access (docs/STAFF-API.md)') });

/** Pseudonymous random ids; anything else simply finds nothing. */
export const Id = z.string().min(1).max(128);
export const IdParams = z.strictObject({ id: Id });

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
export const IsoDateTime = z.string().max(40).describe('ISO 8601 date-time with a time zone');

/** A short line of text (no newlines). */
export const Line = (max = 200) => z.string().min(1).max(max);

export const Limit = z.coerce.number().int().min(1).max(100).default(50);
export const Cursor = z.string().max(600).optional();

/** One identity field as shown: the value (masked, clear, or null when hidden or absent) and whether it is masked. */
export const Field = z.object({ value: z.string().nullable(), masked: z.boolean() });

export const DocumentView = z.object({ type: z.string(), country: z.string().nullable(), value: z.string().nullable(), masked: z.boolean() });

export const IdentityView = z.object({
  name: Field,
  documents: z.array(DocumentView).readonly(),
  phone: Field,
  address: Field,
  birthDate: Field,
  sex: z.enum(['M', 'F']),
  occupation: Field,
  employer: Field,
});

/** A page of a list: `nextCursor` is null on the last page. */
export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const Ok = z.object({ ok: z.literal(true) });
