/**
 * Exposure points (issue #6 item 2a, docs/DISCLOSURE-STANDARD.md "Exposure points"): (venue, time
 * window) pairs taken from confirmed cases' venue stays in their infectious windows, published with
 * no link to a case or to each other. Pure: the caller supplies the stays and a visitor counter
 * (computed on co-location tokens, never by opening anyone's trail).
 *
 * 1. Stays at venues of an excluded category (workplaces, schools) are dropped; homes and
 *    workplaces are never travel records in the first place, and only registry venues are passed.
 * 2. Each stay becomes the whole hours it touches (at least `windowHours`); the windows of one venue
 *    that overlap or touch are merged, whichever case they came from, so no point is one case's.
 * 3. A window is published only when at least `minVisitors` registered people visited the venue in
 *    it; otherwise it is widened one hour at a time, alternately earlier and later, up to
 *    `maxWindowHours`; a window that never reaches the threshold is withheld (counted only).
 * 4. A point expires `expiryDays` after its window ends (its `expiresAt`); points already expired
 *    when the release is prepared are left out (counted only).
 * 5. Points are shuffled with a cryptographic shuffle: their order says nothing about any case.
 */
import { shuffleSecure } from '../../crypto/index.ts';
import type { ReleaseContent } from '../standard/standard.ts';

export const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface Venue {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  readonly districtCode: string;
  readonly category: string;
}

/** One venue stay of a case inside its infectious window (epoch ms; [start, end)). */
export interface CaseStay {
  /** Opaque reference of the case (only counted in the risk report, never published). */
  readonly caseRef: string;
  readonly venue: Venue;
  readonly start: number;
  readonly end: number;
}

export interface ExposureParams {
  readonly minVisitors: number;
  readonly minCases: number;
  readonly windowHours: number;
  readonly maxWindowHours: number;
  readonly expiryDays: number;
  readonly excludedCategories: readonly string[];
}

/** Distinct registered people who visited the venue in the hour slots `fromSlot..toSlot` (inclusive). */
export type VisitorCounter = (venueId: string, fromSlot: number, toSlot: number) => number;

export interface ExposureRisk {
  readonly staysConsidered: number;
  readonly staysExcludedByCategory: number;
  readonly windowsMerged: number;
  readonly pointsPublished: number;
  /** Points that reached the threshold but had already expired when the release was prepared (left out). */
  readonly pointsExpired: number;
  readonly windowsWithheld: number;
  readonly windowsWidened: number;
  /** Smallest visitor count of a published point (≥ minVisitors), null without points. */
  readonly minVisitorsOfPublished: number | null;
  readonly casesContributing: number;
  readonly minVisitors: number;
  readonly minCases: number;
}

export interface ExposureBuild {
  readonly content: ReleaseContent;
  readonly risk: ExposureRisk;
  readonly failures: readonly string[];
  /** When the last point expires (ISO), null without points. */
  readonly expiresAt: string | null;
}

export const EXPOSURE_ADVICE = '如您在该时段到访过该场所，请自我健康监测14天，出现发热等症状及时就医并主动告知到访史。If you were at this place in this window, watch your health for 14 days and, with fever or other symptoms, see a doctor and mention the visit.';

interface Window { venue: Venue; from: number; to: number; cases: Set<string> }

/** Hour slots a stay touches, stretched to at least `hours` slots. */
function slotsOf(stay: CaseStay, hours: number): { from: number; to: number } {
  const from = Math.floor(stay.start / HOUR_MS);
  const to = Math.max(from + hours - 1, Math.ceil(stay.end / HOUR_MS) - 1);
  return { from, to };
}

/** Merges the windows of each venue that overlap or touch. */
function mergeByVenue(windows: readonly Window[]): Window[] {
  const out: Window[] = [];
  const sorted = [...windows].sort((a, b) => (a.venue.id < b.venue.id ? -1 : a.venue.id > b.venue.id ? 1 : a.from - b.from));
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && last.venue.id === w.venue.id && w.from <= last.to + 1) {
      last.to = Math.max(last.to, w.to);
      for (const c of w.cases) last.cases.add(c);
    } else out.push({ venue: w.venue, from: w.from, to: w.to, cases: new Set(w.cases) });
  }
  return out;
}

/** Widens a window one hour at a time (earlier, later, …) until it has enough visitors or reaches the limit. */
function widen(w: Window, visitors: VisitorCounter, p: ExposureParams): { count: number; widened: boolean } {
  let count = visitors(w.venue.id, w.from, w.to);
  let widened = false;
  let earlier = true;
  while (count < p.minVisitors && w.to - w.from + 1 < p.maxWindowHours) {
    if (earlier) w.from -= 1;
    else w.to += 1;
    earlier = !earlier;
    widened = true;
    count = visitors(w.venue.id, w.from, w.to);
  }
  return { count, widened };
}

/** The stays that can become points (not at an excluded category, not empty), as windows merged by venue. */
function mergedWindows(stays: readonly CaseStay[], p: ExposureParams): { kept: number; merged: Window[] } {
  const excluded = new Set(p.excludedCategories);
  const kept = stays.filter((s) => !excluded.has(s.venue.category) && s.end > s.start);
  return { kept: kept.length, merged: mergeByVenue(kept.map((s) => ({ venue: s.venue, ...slotsOf(s, p.windowHours), cases: new Set([s.caseRef]) }))) };
}

/**
 * The hour slots `buildExposurePoints` may ask the visitor counter about, per venue: each merged
 * window with as much widening as the limit allows on either side (inclusive slot ranges, sorted,
 * not overlapping). A caller counting visitors on tokens computes the tokens of these slots only.
 */
export function slotsToCount(stays: readonly CaseStay[], p: ExposureParams): Map<string, { from: number; to: number }[]> {
  const out = new Map<string, { from: number; to: number }[]>();
  for (const w of mergedWindows(stays, p).merged) {
    const room = Math.max(0, p.maxWindowHours - (w.to - w.from + 1));
    const from = w.from - Math.ceil(room / 2);
    const to = w.to + Math.floor(room / 2);
    const list = out.get(w.venue.id) ?? [];
    out.set(w.venue.id, list);
    const last = list[list.length - 1];
    if (last && from <= last.to + 1) {
      last.from = Math.min(last.from, from);
      last.to = Math.max(last.to, to);
    } else list.push({ from, to });
  }
  return out;
}

/** When a point of window slots `..to` (inclusive) expires: `expiryDays` after its window ends (epoch ms). */
const expiryOf = (to: number, p: ExposureParams): number => (to + 1) * HOUR_MS + p.expiryDays * DAY_MS;

/**
 * Builds the exposure points of a release from the cases' stays. Points already expired at `now`
 * (epoch ms; the time of preparation) are left out and counted in the risk report
 * (`pointsExpired`): a release never carries a point that is over. `shuffle` is injectable for tests.
 */
export function buildExposurePoints(stays: readonly CaseStay[], visitors: VisitorCounter, p: ExposureParams, shuffle: <T>(items: T[]) => T[] = shuffleSecure, now = -Infinity): ExposureBuild {
  const { kept, merged } = mergedWindows(stays, p);
  let withheld = 0;
  let widenedCount = 0;
  const published: (Window & { count: number })[] = [];
  for (const w of merged) {
    const { count, widened } = widen(w, visitors, p);
    if (widened) widenedCount++;
    if (count >= p.minVisitors) published.push({ ...w, count });
    else withheld++;
  }
  // Widening may make two published windows of a venue meet: merge them (their union has even more visitors).
  const qualified = mergeByVenue(published);
  const points = qualified.filter((w) => expiryOf(w.to, p) > now).map((w) => ({ ...w, count: visitors(w.venue.id, w.from, w.to) }));
  const expired = qualified.length - points.length;
  const cases = new Set(points.flatMap((w) => [...w.cases]));
  const items = shuffle(points.map((w) => ({
    venueId: w.venue.id,
    venueName: w.venue.name,
    venueAddress: w.venue.address,
    venueCategory: w.venue.category,
    district: w.venue.districtCode,
    windowStart: new Date(w.from * HOUR_MS).toISOString(),
    windowEnd: new Date((w.to + 1) * HOUR_MS).toISOString(),
    expiresAt: new Date(expiryOf(w.to, p)).toISOString(),
    advice: EXPOSURE_ADVICE,
    visitorCount: null,
  })));
  const failures: string[] = [];
  if (points.length === 0) failures.push(expired > 0 ? 'every exposure point that reaches the visitor threshold has already expired' : 'no exposure point reaches the visitor threshold');
  if (points.some((w) => w.count < p.minVisitors)) failures.push(`a point has fewer than ${p.minVisitors} visitors`);
  if (points.length > 0 && cases.size < p.minCases) failures.push(`points come from fewer than ${p.minCases} cases: they would amount to one case's trail`);
  // (Loops, not Math.max(...xs): a spread of a few hundred thousand points overflows the stack.)
  let lastEnd = -Infinity;
  let minCount = Infinity;
  for (const w of points) {
    lastEnd = Math.max(lastEnd, (w.to + 1) * HOUR_MS);
    minCount = Math.min(minCount, w.count);
  }
  return {
    content: { items, meta: {} },
    risk: {
      staysConsidered: stays.length, staysExcludedByCategory: stays.length - kept, windowsMerged: merged.length,
      pointsPublished: points.length, pointsExpired: expired, windowsWithheld: withheld, windowsWidened: widenedCount,
      minVisitorsOfPublished: points.length > 0 ? minCount : null,
      casesContributing: cases.size, minVisitors: p.minVisitors, minCases: p.minCases,
    },
    failures,
    expiresAt: points.length > 0 ? new Date(lastEnd + p.expiryDays * DAY_MS).toISOString() : null,
  };
}
