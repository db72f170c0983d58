import { z } from 'zod';
import { MAX_RELEASE_AREAS, RELEASE_TYPES } from '../../disclosure/standard/catalog.ts';
import { IsoDate, Line } from './common.schema.ts';

/** Disclosure releases' request and response shapes (docs/DISCLOSURE-STANDARD.md "Workflow"). */

/**
 * A risk-area release names declared areas by id (`GET /api/releases/risk-areas` lists them); its
 * content is built from the declarations and the public venue registry, never from the request.
 */
const AreaIds = z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a risk area id')).min(1, 'must name at least one declared risk area').max(MAX_RELEASE_AREAS);

export const PrepareBody = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('exposure_points'), from: IsoDate, to: IsoDate }),
  z.strictObject({ type: z.literal('risk_areas'), areaIds: AreaIds }),
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

/** A declared, active risk area a release may publish: the declaration and the venue's registry name. */
export const ReleasableArea = z.object({
  id: z.string(),
  level: z.enum(['high', 'medium']),
  kind: z.enum(['district', 'venue']),
  districtCode: z.string(),
  venueId: z.string().nullable(),
  venueName: z.string().nullable(),
  windowStart: z.string(),
  windowEnd: z.string(),
  validFrom: z.string(),
  validUntil: z.string(),
});
export const ReleasableAreaList = z.object({ items: z.array(ReleasableArea) });
