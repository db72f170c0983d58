/**
 * Risk areas (issue #6 item 2b): the areas supervisors declared (src/services/tracing), published
 * as level, district or venue, and the time window widened to whole hours. Who declared an area and
 * whom it concerns are never published. Pure: the declarations come in as a list, loaded by the
 * service from the risk-area store (`declaredAreasForRelease`) — never typed in by the officer —
 * with a venue's name taken from the public venue registry.
 */
import type { ReleaseContent } from '../standard/standard.ts';
import { HOUR_MS } from './exposure-points.ts';

/** One declared area as stored, with its venue's registry name (null for a district). */
export interface DeclaredArea {
  readonly level: 'high' | 'medium';
  readonly kind: 'district' | 'venue';
  readonly districtCode: string;
  readonly venueId: string | null;
  /** The venue's name in the public venue registry; a venue area without one is not published. */
  readonly venueName: string | null;
  /** Epoch ms. */
  readonly windowStart: number;
  readonly windowEnd: number;
  /** ISO date-time. */
  readonly validUntil: string;
}

export const AREA_ADVICE: Readonly<Record<DeclaredArea['level'], string>> = {
  high: '高风险区：请勿前往；如曾在该时段到访，请立即报告社区并配合核酸检测。High risk: do not go there; if you were there in this window, tell your community health centre and get tested.',
  medium: '中风险区：非必要不前往；如曾在该时段到访，请自我健康监测。Medium risk: avoid unless necessary; if you were there in this window, watch your health.',
};

export interface AreasBuild {
  readonly content: ReleaseContent;
  readonly failures: readonly string[];
  readonly expiresAt: string | null;
  readonly risk: { readonly areas: number; readonly venues: number; readonly districts: number };
}

/** A venue area needs its registry id and name: nothing stands in for them. */
const complete = (a: DeclaredArea) => a.kind !== 'venue' || (!!a.venueId && !!a.venueName);

export function buildRiskAreas(areas: readonly DeclaredArea[], now: number): AreasBuild {
  const live = areas.filter((a) => Date.parse(a.validUntil) > now);
  const incomplete = live.filter((a) => !complete(a)).length;
  const items = live.filter(complete).map((a) => ({
    level: a.level,
    kind: a.kind,
    district: a.districtCode,
    ...(a.kind === 'venue' ? { venueId: a.venueId!, venueName: a.venueName! } : {}),
    windowStart: new Date(Math.floor(a.windowStart / HOUR_MS) * HOUR_MS).toISOString(),
    windowEnd: new Date(Math.ceil(a.windowEnd / HOUR_MS) * HOUR_MS).toISOString(),
    validUntil: new Date(Date.parse(a.validUntil)).toISOString(),
    advice: AREA_ADVICE[a.level],
  }));
  const failures = [
    ...(incomplete > 0 ? [`${incomplete} venue area(s) without a venue of the public registry`] : []),
    ...(items.length === 0 && incomplete === 0 ? ['no risk area is still valid'] : []),
  ];
  const expiresAt = items.length > 0 ? items.map((i) => i.validUntil).sort().at(-1)! : null;
  return {
    content: { items, meta: {} }, failures, expiresAt,
    risk: { areas: items.length, venues: items.filter((i) => i.kind === 'venue').length, districts: items.filter((i) => i.kind === 'district').length },
  };
}
