import { z } from 'zod';
import { CLASSIFICATIONS, DOCUMENT_TYPES, OUTCOMES, SEXES } from '../../domain/model.ts';
import { Cursor, Field, Id, IdentityView, IsoDate, Limit, Line } from './common.schema.ts';

/** A new person, as a line-list row in camelCase (docs/IMPORT.md); meaning is checked by the service. */
export const PersonBody = z.strictObject({
  name: Line(200),
  documentType: z.enum(DOCUMENT_TYPES).optional(),
  documentNumber: Line(40),
  documentCountry: z.string().regex(/^[A-Za-z]{3}$/, 'must be an ISO 3166 alpha-3 code').optional(),
  phone: Line(40),
  address: Line(200),
  birthDate: IsoDate,
  sex: z.enum(SEXES),
  occupation: Line(200).optional(),
  employer: Line(200).optional(),
  districtCode: z.string().regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 district code'),
  streetCode: z.string().regex(/^\d{9}$/, 'must be a 9-digit street code').optional(),
});

export const CaseBody = z.strictObject({
  classification: z.enum(CLASSIFICATIONS),
  reportDate: IsoDate,
  confirmationDate: IsoDate.optional(),
  onsetDate: IsoDate.optional(),
  outcome: z.enum(OUTCOMES).optional(),
  source: Line(200).optional(),
  caseNumber: z.string().min(1).max(40).optional(),
});

/** A case for a new person (`person`) or for a registered subject (`subjectId`), exactly one of them. */
export const CreateCaseBody = z.strictObject({ person: PersonBody.optional(), subjectId: Id.optional(), case: CaseBody })
  .refine((b) => (b.person === undefined) !== (b.subjectId === undefined), { message: 'give exactly one of person and subjectId', path: ['person'] });

export const PatchCaseBody = z.strictObject({
  classification: z.enum(CLASSIFICATIONS).optional(),
  reportDate: IsoDate.optional(),
  confirmationDate: IsoDate.nullable().optional(),
  onsetDate: IsoDate.nullable().optional(),
  outcome: z.enum(OUTCOMES).nullable().optional(),
  source: Line(200).nullable().optional(),
}).refine((b) => Object.keys(b).length > 0, { message: 'change at least one field', path: ['classification'] });

export const CaseListQuery = z.strictObject({
  classification: z.enum(CLASSIFICATIONS).optional(),
  jurisdiction: z.string().regex(/^\d{2,9}$/, 'must be a GB/T 2260 code').optional(),
  assigned: z.literal('me').optional(),
  reportFrom: IsoDate.optional(),
  reportTo: IsoDate.optional(),
  cursor: Cursor,
  limit: Limit,
});

export const CaseSummary = z.object({
  id: z.string(),
  caseNumber: z.string(),
  classification: z.enum(CLASSIFICATIONS),
  jurisdictionCode: z.string(),
  reportDate: z.string(),
  confirmationDate: z.string().nullable(),
  subject: z.object({ id: z.string(), name: Field, sex: z.enum(SEXES) }),
});

/** What the viewer may do with a case, computed by the policy so that the console never re-implements a rule. */
export const CaseAbilities = z.object({
  update: z.boolean(),
  addContact: z.boolean(),
  addNote: z.boolean(),
  addTravel: z.boolean(),
  editSubject: z.boolean(),
  assign: z.boolean(),
  breakGlass: z.boolean(),
  reveal: z.array(z.string()),
});

export const CaseDetail = z.object({
  id: z.string(),
  caseNumber: z.string(),
  classification: z.enum(CLASSIFICATIONS),
  jurisdictionCode: z.string(),
  reportDate: z.string(),
  confirmationDate: z.string().nullable(),
  onsetDate: z.string().nullable(),
  outcome: z.enum(OUTCOMES).nullable(),
  source: z.string().nullable(),
  createdAt: z.string(),
  subject: z.object({ id: z.string(), jurisdictionCode: z.string(), identity: IdentityView }),
  contacts: z.object({ total: z.number().int() }),
  assignedStaff: z.array(z.string()),
  viaBreakGlass: z.boolean(),
  abilities: CaseAbilities,
});

export const CreatedCase = z.object({ id: z.string(), caseNumber: z.string(), subjectId: z.string() });
