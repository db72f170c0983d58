/**
 * What of a verified release is still listed: pure, without the browser's APIs (unit-tested in
 * Node beside it). Used by ./data.ts on the releases whose signature verified.
 */
import type { ExposurePoint, RiskArea } from './types.ts';

export type Item = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The exposure points of a verified release that are still listed at `now`: a release stays served
 * until its last point expires, but each point carries its own `expiresAt` (its window's end plus
 * the standard's listing period), and an expired point is hidden here — from the list, the map and
 * the self-check. A point without a valid expiry is not shown.
 */
export function exposurePointsOf(releaseId: string, items: readonly Item[], now: number = Date.now()): ExposurePoint[] {
  return items.map((i) => ({
    releaseId, venueId: str(i.venueId), venueName: str(i.venueName), venueAddress: str(i.venueAddress), venueCategory: str(i.venueCategory),
    district: str(i.district), windowStart: str(i.windowStart), windowEnd: str(i.windowEnd), expiresAt: str(i.expiresAt), advice: str(i.advice),
  })).filter((p) => p.venueId !== '' && Number.isFinite(Date.parse(p.windowStart)) && Number.isFinite(Date.parse(p.windowEnd)) && Date.parse(p.expiresAt) > now);
}

/** The risk areas of a verified release still valid at `now` (`validUntil` in the future). */
export function riskAreasOf(releaseId: string, items: readonly Item[], now: number = Date.now()): RiskArea[] {
  return items.map((i) => ({
    releaseId, level: i.level === 'high' ? 'high' as const : 'medium' as const, kind: i.kind === 'venue' ? 'venue' as const : 'district' as const,
    district: str(i.district), venueId: strOrNull(i.venueId), venueName: strOrNull(i.venueName),
    windowStart: str(i.windowStart), windowEnd: str(i.windowEnd), validUntil: str(i.validUntil), advice: str(i.advice),
  })).filter((a) => Date.parse(a.validUntil) > now);
}
