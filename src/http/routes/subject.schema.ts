import { z } from 'zod';
import { DOCUMENT_TYPES, SEXES } from '../../domain/model.ts';
import { IdentityView, IsoDate, Line } from './common.schema.ts';

/** Identity fields to change; the rest stay. The whole identity is validated again as an import would. */
export const PatchSubjectBody = z.strictObject({
  name: Line(200).optional(),
  documentType: z.enum(DOCUMENT_TYPES).optional(),
  documentNumber: Line(40).optional(),
  documentCountry: z.string().regex(/^[A-Za-z]{3}$/, 'must be an ISO 3166 alpha-3 code').optional(),
  phone: Line(40).optional(),
  address: Line(200).optional(),
  birthDate: IsoDate.optional(),
  sex: z.enum(SEXES).optional(),
  occupation: Line(200).nullable().optional(),
  employer: Line(200).nullable().optional(),
}).refine((b) => Object.keys(b).length > 0, { message: 'change at least one field', path: ['name'] });

export const SubjectView = z.object({
  id: z.string(),
  jurisdictionCode: z.string(),
  streetCode: z.string().nullable(),
  identity: IdentityView,
  abilities: z.object({ edit: z.boolean(), addTravel: z.boolean(), reveal: z.array(z.string()) }),
});
