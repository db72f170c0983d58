import { z } from 'zod';
import { EXPOSURE_TYPES } from '../../domain/model.ts';
import { Id, IdentityView, IsoDate, Line } from './common.schema.ts';
import { PersonBody } from './case.schema.ts';

export const ExposureBody = z.strictObject({
  exposureType: z.enum(EXPOSURE_TYPES),
  exposureDate: IsoDate,
  setting: Line(200).optional(),
  quarantineStart: IsoDate.optional(),
  quarantineEnd: IsoDate.optional(),
});

/** A close contact: a new person or a registered subject, and how they were exposed. */
export const CreateContactBody = z.strictObject({ person: PersonBody.optional(), subjectId: Id.optional(), exposure: ExposureBody })
  .refine((b) => (b.person === undefined) !== (b.subjectId === undefined), { message: 'give exactly one of person and subjectId', path: ['person'] });

export const PatchContactBody = z.strictObject({
  exposureType: z.enum(EXPOSURE_TYPES).optional(),
  exposureDate: IsoDate.optional(),
  setting: Line(200).nullable().optional(),
  quarantineStart: IsoDate.nullable().optional(),
  quarantineEnd: IsoDate.nullable().optional(),
}).refine((b) => Object.keys(b).length > 0, { message: 'change at least one field', path: ['exposureType'] });

export const Exposure = z.object({
  exposureType: z.enum(EXPOSURE_TYPES),
  exposureDate: z.string(),
  setting: z.string().nullable(),
  quarantineStart: z.string().nullable(),
  quarantineEnd: z.string().nullable(),
});

export const ContactView = z.object({
  id: z.string(),
  caseId: z.string(),
  createdAt: z.string(),
  subject: z.object({ id: z.string(), jurisdictionCode: z.string(), identity: IdentityView }),
  exposure: Exposure,
});
