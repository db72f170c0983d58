import { z } from 'zod';
import { RELEASE_TYPES } from '../../disclosure/standard/catalog.ts';
import { IsoDate, IsoDateTime, Line } from './common.schema.ts';

/** Disclosure releases' request and response shapes (docs/DISCLOSURE-STANDARD.md "Workflow"). */

const Instant = IsoDateTime.refine((v) => Number.isFinite(Date.parse(v)), 'must be an ISO 8601 date-time').transform((v) => Date.parse(v));

const DeclaredArea = z.strictObject({
  level: z.enum(['high', 'medium']),
  kind: z.enum(['district', 'venue']),
  districtCode: z.string().regex(/^\d{6}$/, 'must be a 6-digit district code'),
  venueId: z.string().min(1).max(128).nullable().default(null),
  venueName: Line(200).nullable().default(null),
  windowStart: Instant,
  windowEnd: Instant,
  validUntil: IsoDateTime,
});

export const PrepareBody = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('exposure_points'), from: IsoDate, to: IsoDate }),
  z.strictObject({ type: z.literal('risk_areas'), areas: z.array(DeclaredArea).min(1).max(500) }),
  z.strictObject({ type: z.literal('research_extract'), recipient: Line(200), from: IsoDate, to: IsoDate }),
  z.strictObject({ type: z.literal('daily_counts'), from: IsoDate, to: IsoDate }),
]);

export const ReasonBody = z.strictObject({ reason: z.string().max(1000) });

const Scalar = z.union([z.string(), z.number(), z.null()]);
export const Content = z.object({ items: z.array(z.record(z.string(), Scalar).readonly()).readonly(), meta: z.record(z.string(), Scalar).readonly() });
const Notice = z.object({ zh: z.string(), en: z.string() });

export const ReleaseView = z.object({
  id: z.string(),
  type: z.enum(RELEASE_TYPES),
  status: z.enum(['prepared', 'approved', 'published', 'withdrawn']),
  jurisdictionCode: z.string(),
  standardVersion: z.string(),
  recipient: z.string().nullable(),
  preview: Content,
  notice: Notice,
  check: z.object({ passed: z.boolean(), failures: z.array(z.string()) }),
  risk: z.record(z.string(), z.unknown()),
  expiresAt: z.string().nullable(),
  preparedBy: z.string(),
  preparedAt: z.string(),
  approvals: z.array(z.object({ by: z.string(), at: z.string() })),
  publishedAt: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
});

export const Artifact = z.object({
  format: z.literal('epivault-release/v1'),
  id: z.string(),
  type: z.enum(RELEASE_TYPES),
  standardVersion: z.string(),
  publishedAt: z.string(),
  expiresAt: z.string().nullable(),
  notice: Notice,
  content: Content,
});

export const SignedRelease = z.object({
  id: z.string(), type: z.enum(RELEASE_TYPES), publishedAt: z.string(), expiresAt: z.string().nullable(),
  artifact: Artifact, signature: z.string(), keyId: z.string(), publicKey: z.string(),
});

export const ExtractHandover = SignedRelease.extend({ recipient: z.string() });
export const ReleaseList = z.object({ items: z.array(ReleaseView) });
