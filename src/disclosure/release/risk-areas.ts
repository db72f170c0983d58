/**
 * Risk areas (issue #6 item 2b): the areas supervisors declared (src/services/tracing), published
 * as level, district or venue, and the time window widened to whole hours. Who declared an area and
 * whom it concerns are never published. Pure: the declarations come in as a list.
 */
import type { ReleaseContent } from '../standard/standard.ts';
import { HOUR_MS } from './exposure-points.ts';

export interface DeclaredArea {
  readonly level: 'high' | 'medium';
  readonly kind: 'district' | 'venue';
  readonly districtCode: string;
  readonly venueId: string | null;
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

export function buildRiskAreas(areas: readonly DeclaredArea[], now: number): AreasBuild {
  const live = areas.filter((a) => Date.parse(a.validUntil) > now);
  const items = live.map((a) => ({
    level: a.level,
    kind: a.kind,
    district: a.districtCode,
    ...(a.kind === 'venue' && a.venueId ? { venueId: a.venueId, venueName: a.venueName ?? a.venueId } : {}),
    windowStart: new Date(Math.floor(a.windowStart / HOUR_MS) * HOUR_MS).toISOString(),
    windowEnd: new Date(Math.ceil(a.windowEnd / HOUR_MS) * HOUR_MS).toISOString(),
    validUntil: new Date(Date.parse(a.validUntil)).toISOString(),
    advice: AREA_ADVICE[a.level],
  }));
  const failures = items.length === 0 ? ['no risk area is still valid'] : [];
  const expiresAt = items.length > 0 ? items.map((i) => i.validUntil).sort().at(-1)! : null;
  return {
    content: { items, meta: {} }, failures, expiresAt,
    risk: { areas: items.length, venues: items.filter((i) => i.kind === 'venue').length, districts: items.filter((i) => i.kind === 'district').length },
  };
}
