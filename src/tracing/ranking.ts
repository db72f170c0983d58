/**
 * Confirming and ranking discovery candidates (docs/TRACING.md "Discovery"). Token matches only
 * say that two stays touched the same venue-hour; the exact overlap of the decrypted stays decides.
 * Pure: the service decrypts, this module compares and sorts.
 */
import { exposureInterval, overlapMs } from './interval.ts';
import type { Interval } from './interval.ts';

/** One of the case's own venue stays. */
export interface CaseStay {
  readonly travelId: string;
  readonly placeId: string;
  readonly stay: Interval;
}

/** A stay of someone else that shares a co-location token with one of the case's stays. */
export interface MatchedStay {
  readonly subjectId: string;
  readonly travelId: string;
  readonly placeId: string;
  readonly stay: Interval;
}

/** One confirmed overlap: the candidate's stay, the case's, and for how long they shared the place. */
export interface Overlap {
  readonly travelId: string;
  readonly caseTravelId: string;
  readonly placeId: string;
  /** The shared time: the candidate's stay inside the case's exposure interval. */
  readonly from: number;
  readonly to: number;
  readonly overlapMs: number;
}

export interface RankedCandidate {
  readonly subjectId: string;
  readonly totalOverlapMs: number;
  readonly overlaps: readonly Overlap[];
  /** Start of the earliest and end of the latest shared time. */
  readonly firstExposure: number;
  readonly lastExposure: number;
}

export interface OverlapRule {
  readonly window: Interval;
  readonly bufferMs: number;
  /** Shortest overlap that counts; 0 = any positive overlap. */
  readonly minOverlapMs: number;
}

/**
 * The overlaps of `matched` stays with the case's stays: same place, positive overlap of the
 * candidate's stay with the case stay widened by the buffer and clipped to the infectious window,
 * at least `minOverlapMs` long. The case's own stays never match themselves.
 */
export function confirmOverlaps(caseStays: readonly CaseStay[], matched: readonly MatchedStay[], rule: OverlapRule, caseSubjectId: string): Map<string, Overlap[]> {
  const byPlace = new Map<string, { stay: CaseStay; exposure: Interval }[]>();
  for (const c of caseStays) {
    const exposure = exposureInterval(c.stay, rule.window, rule.bufferMs);
    if (!exposure) continue;
    const list = byPlace.get(c.placeId);
    if (list) list.push({ stay: c, exposure });
    else byPlace.set(c.placeId, [{ stay: c, exposure }]);
  }
  const out = new Map<string, Overlap[]>();
  const seen = new Set<string>();
  for (const m of matched) {
    if (m.subjectId === caseSubjectId) continue;
    for (const { stay, exposure } of byPlace.get(m.placeId) ?? []) {
      const ms = overlapMs(m.stay, exposure);
      if (ms <= 0 || ms < rule.minOverlapMs) continue;
      const key = `${m.travelId}\u0000${stay.travelId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const from = Math.max(m.stay.start, exposure.start);
      const overlap: Overlap = { travelId: m.travelId, caseTravelId: stay.travelId, placeId: m.placeId, from, to: from + ms, overlapMs: ms };
      const list = out.get(m.subjectId);
      if (list) list.push(overlap);
      else out.set(m.subjectId, [overlap]);
    }
  }
  return out;
}

/** Candidates ranked by total overlap, then by the number of overlaps, then latest exposure first; ties by id (stable). */
export function rankCandidates(overlaps: ReadonlyMap<string, readonly Overlap[]>): RankedCandidate[] {
  const out: RankedCandidate[] = [];
  for (const [subjectId, list] of overlaps) {
    if (list.length === 0) continue;
    const sorted = [...list].sort((a, b) => a.from - b.from || a.travelId.localeCompare(b.travelId));
    out.push({
      subjectId,
      totalOverlapMs: sorted.reduce((t, o) => t + o.overlapMs, 0),
      overlaps: sorted,
      firstExposure: sorted[0]!.from,
      lastExposure: Math.max(...sorted.map((o) => o.to)),
    });
  }
  return out.sort((a, b) => b.totalOverlapMs - a.totalOverlapMs || b.overlaps.length - a.overlaps.length || b.lastExposure - a.lastExposure || (a.subjectId < b.subjectId ? -1 : 1));
}
