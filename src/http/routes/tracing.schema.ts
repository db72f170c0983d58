import { z } from 'zod';
import { CLASSIFICATIONS, EXPOSURE_TYPES } from '../../domain/model.ts';
import { DISMISS_REASONS, END_REASONS, QUARANTINE_STATUSES } from '../../domain/views/tracing.ts';
import { PersonBody } from './case.schema.ts';
import { Cursor, Field, Id, IdentityView, IsoDate, IsoDateTime, Limit, Line } from './common.schema.ts';

/** Contact tracing's request and response shapes (docs/TRACING.md "API"). */

// ---- discovery ---------------------------------------------------------------------------------

export const CandidateView = z.object({
  id: z.string(),
  caseId: z.string(),
  status: z.enum(['open', 'confirmed', 'dismissed']),
  rank: z.number().int(),
  subject: z.object({ id: z.string(), jurisdictionCode: z.string(), identity: IdentityView, livesElsewhere: z.boolean() }),
  totalOverlapMinutes: z.number(),
  firstExposure: z.string(),
  lastExposure: z.string(),
  overlaps: z.array(z.object({ placeId: z.string(), placeName: z.string().nullable(), from: z.string(), to: z.string(), minutes: z.number() })),
  contactId: z.string().nullable(),
  dismissal: z.object({ reason: z.string(), note: z.string().nullable(), by: z.string(), at: z.string() }).nullable(),
});

export const DiscoveryResult = z.object({
  caseId: z.string(),
  window: z.object({ start: z.string(), end: z.string() }),
  bufferMinutes: z.number(),
  candidates: z.array(CandidateView),
});

export const ConfirmBody = z.strictObject({ exposureType: z.enum(EXPOSURE_TYPES).optional(), setting: Line(200).nullable().optional() });
export const Confirmed = z.object({ candidate: CandidateView, contactId: z.string(), quarantineId: z.string(), handoverId: z.string().nullable() });
export const DismissBody = z.strictObject({ reason: z.enum(DISMISS_REASONS), note: z.string().max(500).nullable().optional() });

// ---- follow-up -----------------------------------------------------------------------------------

const QuarantineEvent = z.object({
  at: z.string(), by: z.string(), action: z.enum(['start', 'extend', 'end', 'convert', 'handover']),
  end: z.string().optional(), days: z.number().optional(), reason: z.string().optional(), note: z.string().optional(), caseId: z.string().optional(),
});

export const QuarantineView = z.object({
  id: z.string(),
  status: z.enum(QUARANTINE_STATUSES),
  contactId: z.string(),
  caseId: z.string(),
  jurisdictionCode: z.string(),
  assignedTo: z.string().nullable(),
  subject: z.object({ id: z.string(), jurisdictionCode: z.string(), identity: IdentityView }),
  exposure: z.object({ exposureType: z.enum(EXPOSURE_TYPES), exposureDate: z.string(), setting: z.string().nullable() }),
  quarantineStart: z.string().nullable(),
  quarantineEnd: z.string().nullable(),
  daysLeft: z.number().int(),
  entries: z.array(z.object({ id: z.string(), createdAt: z.string(), createdBy: z.string(), date: z.string(), symptoms: z.array(z.string()), temperatureC: z.number().nullable(), note: z.string().nullable() })),
  events: z.array(QuarantineEvent),
  riskStatus: z.object({ status: z.enum(['green', 'yellow', 'red']), reason: z.string(), label: z.object({ en: z.string(), zh: z.string() }), computedAt: z.string() }).nullable(),
  handover: z.object({ id: z.string(), status: z.string(), toJurisdiction: z.string() }).nullable(),
  abilities: z.object({ addEntry: z.boolean(), extend: z.boolean(), end: z.boolean(), convert: z.boolean(), reveal: z.boolean() }),
});

export const ConvertedView = QuarantineView.extend({ newCaseId: z.string() });

export const QuarantineSummary = z.object({
  id: z.string(), status: z.string(), contactId: z.string(), caseId: z.string(), jurisdictionCode: z.string(),
  subject: z.object({ id: z.string(), name: Field }), quarantineStart: z.string().nullable(), quarantineEnd: z.string().nullable(),
});

export const QuarantineListQuery = z.strictObject({ status: z.enum(QUARANTINE_STATUSES).optional(), cursor: Cursor, limit: Limit });
export const StartQuarantineBody = z.strictObject({ days: z.number().int().min(1).max(60).optional() });
export const FollowupBody = z.strictObject({
  date: IsoDate,
  symptoms: z.array(z.string().min(1).max(50)).max(20).optional(),
  temperatureC: z.number().min(34).max(43).nullable().optional(),
  note: z.string().max(500).nullable().optional(),
});
export const ExtendBody = z.strictObject({ days: z.number().int().min(1).max(60), reason: z.string().max(500) });
export const EndBody = z.strictObject({ reason: z.enum(END_REASONS), note: z.string().max(500).optional() });
export const ConvertBody = z.strictObject({
  classification: z.enum(CLASSIFICATIONS),
  reportDate: IsoDate,
  onsetDate: IsoDate.nullable().optional(),
  confirmationDate: IsoDate.nullable().optional(),
});
export const RevealCallBody = z.strictObject({ reason: z.string().max(500) });
export const RevealCallResult = z.object({ value: z.string().nullable(), expiresAt: z.string() });

export const SecondaryBody = z.strictObject({
  subjectId: Id.optional(),
  person: PersonBody.optional(),
  exposure: z.strictObject({ exposureType: z.enum(EXPOSURE_TYPES), exposureDate: IsoDate, setting: Line(200).nullable().optional() }),
}).refine((b) => (b.person === undefined) !== (b.subjectId === undefined), { message: 'give exactly one of person and subjectId', path: ['person'] });

export const SecondaryView = z.object({
  id: z.string(), contactId: z.string(), createdAt: z.string(),
  subject: z.object({ id: z.string(), jurisdictionCode: z.string(), identity: IdentityView }),
  exposure: z.object({ exposureType: z.string(), exposureDate: z.string(), setting: z.string().nullable() }),
});

// ---- hand-overs ----------------------------------------------------------------------------------

export const HandoverView = z.object({
  id: z.string(), status: z.enum(['pending', 'accepted', 'declined']), fromJurisdiction: z.string(), toJurisdiction: z.string(), createdAt: z.string(),
  contactId: z.string(), quarantineId: z.string().nullable(), subject: z.object({ id: z.string(), jurisdictionCode: z.string(), name: Field }), decidedAt: z.string().nullable(),
});
export const HandoverQuery = z.strictObject({ limit: Limit });
export const HandoverDecisionBody = z.strictObject({ decision: z.enum(['accept', 'decline']), assignTo: Id.nullable().optional() });

// ---- chains --------------------------------------------------------------------------------------

const NodeKind = z.enum([...CLASSIFICATIONS, 'close_contact', 'secondary_contact']);
const EdgeKind = z.enum(['close_contact', 'secondary_contact']);

export const ChainView = z.object({
  caseId: z.string(),
  rootSubjectId: z.string(),
  truncated: z.boolean(),
  nodes: z.array(z.object({
    id: z.string(), label: z.string().nullable(), labelKind: z.enum(['masked_name', 'case_number', 'none']), kind: NodeKind,
    caseIds: z.array(z.string()), caseNumbers: z.array(z.string()), reportDate: z.string().nullable(), confirmationDate: z.string().nullable(), generation: z.number().int(),
  })),
  edges: z.array(z.object({ id: z.string(), kind: EdgeKind, from: z.string(), to: z.string(), exposureDate: z.string().nullable(), exposureType: z.string().nullable() })),
});

export const ClusterExport = z.object({
  format: z.literal('epivault-cluster/1'),
  truncated: z.boolean(),
  nodes: z.array(z.object({ ref: z.string(), kind: NodeKind, generation: z.number().int(), reportDate: z.string().nullable(), confirmationDate: z.string().nullable() })),
  edges: z.array(z.object({ from: z.string(), to: z.string(), kind: EdgeKind, exposureDate: z.string().nullable(), exposureType: z.string().nullable() })),
});

// ---- risk areas and status -----------------------------------------------------------------------

export const RiskAreaBody = z.strictObject({
  level: z.enum(['high', 'medium']),
  kind: z.enum(['district', 'venue']),
  districtCode: z.string().regex(/^\d{6}$/, 'must be a six-digit district code').optional(),
  placeId: Id.optional(),
  windowStart: IsoDateTime,
  windowEnd: IsoDateTime,
  validFrom: IsoDateTime.optional(),
  validUntil: IsoDateTime,
}).refine((b) => (b.kind === 'district') === (b.districtCode !== undefined) && (b.kind === 'venue') === (b.placeId !== undefined), { message: 'a district area names districtCode, a venue area placeId', path: ['kind'] });

export const RiskAreaView = z.object({
  id: z.string(), level: z.enum(['high', 'medium']), kind: z.enum(['district', 'venue']), districtCode: z.string(), placeId: z.string().nullable(), placeName: z.string().nullable(),
  windowStart: z.string(), windowEnd: z.string(), validFrom: z.string(), validUntil: z.string(), declaredBy: z.string(), createdAt: z.string(), revokedAt: z.string().nullable(), active: z.boolean(),
});
export const DeclaredRiskArea = z.object({ area: RiskAreaView, peopleFound: z.number().int() });
export const RiskAreaQuery = z.strictObject({ scope: z.string().regex(/^\d{6,9}$/).optional(), limit: Limit });

export const RiskStatusView = z.object({
  subjectId: z.string(), status: z.enum(['green', 'yellow', 'red']), reason: z.string(), label: z.object({ en: z.string(), zh: z.string() }), computedAt: z.string(),
});
