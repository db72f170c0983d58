import { z } from 'zod';
import { CLASSIFICATIONS, DOCUMENT_TYPES } from '../../domain/model.ts';
import { IdentityView } from './common.schema.ts';

/** The searched value travels in the body, never in the URL, and is never logged or audited. */
export const SearchBody = z.strictObject({
  by: z.enum(['document', 'phone', 'name']),
  value: z.string().min(1).max(200),
  documentType: z.enum(DOCUMENT_TYPES).optional(),
  documentCountry: z.string().regex(/^[A-Za-z]{3}$/, 'must be an ISO 3166 alpha-3 code').optional(),
  limit: z.number().int().min(1).max(100).default(20),
});

export const SearchMatch = z.object({
  subjectId: z.string(),
  jurisdictionCode: z.string(),
  identity: IdentityView,
  cases: z.array(z.object({ id: z.string(), caseNumber: z.string(), classification: z.enum(CLASSIFICATIONS) })),
});

export const SearchResult = z.object({ items: z.array(SearchMatch) });
