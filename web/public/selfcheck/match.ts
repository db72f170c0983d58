/**
 * The self-check's matching (issue #7 item 4), pure and run only in the citizen's browser: which of
 * the citizen's stays (venue, [start, end)) overlap which published exposure points (venue,
 * [windowStart, windowEnd)). Two half-open intervals overlap when each starts before the other ends;
 * a stay that ends exactly when a window starts (or starts when it ends) does not match.
 *
 * Index: the points are grouped by venue once (a counting sort of their positions into one flat
 * array: one Map lookup per point, a handful of allocations whatever the number of venues). A
 * venue's windows are read (ISO instants) and sorted by start the first time a stay at that venue
 * is matched, and the venue's longest window is remembered; a citizen's stays touch a few dozen
 * venues, so the other 99 % of the points are never parsed. A stay then needs one binary search in
 * its venue's windows (the first that starts after `stay.start - longest`) and a short scan up to
 * the first window that starts at or after the stay's end. bench/selfcheck.ts measures 200 stays
 * against 100,000 points in Chromium.
 */

/** What matching needs of a point (ExposurePoint of web/public/types.ts has these fields). */
export interface MatchablePoint {
  readonly venueId: string;
  /** ISO 8601 instants; the window is [windowStart, windowEnd). */
  readonly windowStart: string;
  readonly windowEnd: string;
}

/** One stay of the citizen: a venue and epoch milliseconds, [start, end). */
export interface Stay {
  readonly venueId: string;
  readonly start: number;
  readonly end: number;
}

/** One stay and the points it overlaps (indices into the caller's arrays, points in window order). */
export interface StayMatch {
  readonly stay: number;
  readonly points: readonly number[];
}

const DIGIT0 = 48;

/** Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/**
 * Epoch ms of an ISO 8601 instant. The canonical UTC form the releases carry
 * (`YYYY-MM-DDTHH:MM:SS.sssZ`, 24 characters) with a day of month up to 28 (always valid) is read
 * digit by digit, several times faster than Date.parse; anything else (another offset, no
 * milliseconds, days 29–31, which Date.parse checks against the month) goes to Date.parse. NaN when invalid.
 */
export function instant(iso: string): number {
  if (iso.length !== 24 || iso.charCodeAt(23) !== 90 /* Z */ || iso.charCodeAt(10) !== 84 /* T */) return Date.parse(iso);
  const y = digits(iso, 0, 4), mo = digits(iso, 5, 7), d = digits(iso, 8, 10);
  const h = digits(iso, 11, 13), mi = digits(iso, 14, 16), s = digits(iso, 17, 19), ms = digits(iso, 20, 23);
  if ((y | mo | d | h | mi | s | ms) < 0 || mo < 1 || mo > 12 || d < 1 || d > 28 || h > 23 || mi > 59 || s > 59) return Date.parse(iso);
  return daysFromCivil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

/** The decimal number in iso[from, to), or -1 when a character is not a digit. */
function digits(iso: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = iso.charCodeAt(i) - DIGIT0;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The points grouped by venue: venue `v`'s points are positions `offsets[v]` to `offsets[v + 1] - 1`
 * of `refs`. Once a venue is prepared, its valid windows sit first in its range, sorted by start,
 * with their bounds in `starts`/`ends` at the same positions, up to `validEnd[v]`.
 */
export class PointIndex<P extends MatchablePoint = MatchablePoint> {
  readonly points: readonly P[];
  /** Venue id → venue number. */
  readonly venues: ReadonlyMap<string, number>;
  readonly #offsets: Uint32Array;
  /** Index of each window in the caller's array of points. */
  readonly #refs: Uint32Array;
  readonly #starts: Float64Array;
  readonly #ends: Float64Array;
  /** End of the valid, sorted windows of each prepared venue (0: not prepared yet; ranges start at offsets[v] >= 0, so a prepared venue with no valid window has validEnd = offsets[v], told apart by #prepared). */
  readonly #validEnd: Uint32Array;
  readonly #prepared: Uint8Array;
  /** Length of each prepared venue's longest window (ms): no window starting at or before `stay.start - longest` can reach the stay. */
  readonly #longest: Float64Array;

  constructor(points: readonly P[]) {
    this.points = points;
    const n = points.length;
    const venueOf = new Uint32Array(n);
    const venues = new Map<string, number>();
    const counts: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = points[i]!.venueId;
      let v = venues.get(id);
      if (v === undefined) {
        v = counts.length;
        venues.set(id, v);
        counts.push(0);
      }
      venueOf[i] = v;
      counts[v]!++;
    }
    const venueCount = counts.length;
    const offsets = new Uint32Array(venueCount + 1);
    for (let v = 0; v < venueCount; v++) offsets[v + 1] = offsets[v]! + counts[v]!;
    const fill = offsets.slice(0, venueCount);
    const refs = new Uint32Array(n);
    for (let i = 0; i < n; i++) refs[fill[venueOf[i]!]!++] = i;
    this.venues = venues;
    this.#offsets = offsets;
    this.#refs = refs;
    this.#starts = new Float64Array(n);
    this.#ends = new Float64Array(n);
    this.#validEnd = new Uint32Array(venueCount);
    this.#prepared = new Uint8Array(venueCount);
    this.#longest = new Float64Array(venueCount);
  }

  /** Reads venue v's windows, drops invalid or empty ones, sorts the rest by start (then end, then input order). */
  #prepare(v: number): void {
    const refs = this.#refs;
    const starts = this.#starts;
    const ends = this.#ends;
    const lo = this.#offsets[v]!;
    const hi = this.#offsets[v + 1]!;
    let w = lo;
    let longest = 0;
    for (let k = lo; k < hi; k++) {
      const r = refs[k]!;
      const p = this.points[r]!;
      const s = instant(p.windowStart);
      const e = instant(p.windowEnd);
      if (!(e > s)) continue; // invalid (NaN) or empty
      refs[w] = r;
      starts[w] = s;
      ends[w] = e;
      if (e - s > longest) longest = e - s;
      w++;
    }
    // Invalid points' refs are no longer in the range: keep them after the valid ones (never read).
    const before = (i: number, j: number) => starts[i]! - starts[j]! || ends[i]! - ends[j]! || refs[i]! - refs[j]!;
    if (w - lo <= 32) {
      for (let k = lo + 1; k < w; k++) {
        const [r, s, e] = [refs[k]!, starts[k]!, ends[k]!];
        let j = k - 1;
        while (j >= lo && (starts[j]! - s || ends[j]! - e || refs[j]! - r) > 0) {
          refs[j + 1] = refs[j]!;
          starts[j + 1] = starts[j]!;
          ends[j + 1] = ends[j]!;
          j--;
        }
        refs[j + 1] = r;
        starts[j + 1] = s;
        ends[j + 1] = e;
      }
    } else {
      const order = Array.from({ length: w - lo }, (_, i) => lo + i).sort(before);
      const [r2, s2, e2] = [order.map((i) => refs[i]!), order.map((i) => starts[i]!), order.map((i) => ends[i]!)];
      refs.set(r2, lo);
      starts.set(s2, lo);
      ends.set(e2, lo);
    }
    this.#validEnd[v] = w;
    this.#longest[v] = longest;
    this.#prepared[v] = 1;
  }

  /** The points a stay overlaps, in window order (indices into `points`). */
  pointsForStay(stay: Stay): number[] {
    const v = this.venues.get(stay.venueId);
    if (v === undefined || !(stay.end > stay.start)) return [];
    if (this.#prepared[v] === 0) this.#prepare(v);
    const starts = this.#starts;
    const hi = this.#validEnd[v]!;
    // First window starting after stay.start - longest: any window starting at or before it ends by stay.start.
    const x = stay.start - this.#longest[v]!;
    let lo = this.#offsets[v]!;
    let top = hi;
    while (lo < top) {
      const mid = (lo + top) >>> 1;
      if (starts[mid]! > x) top = mid;
      else lo = mid + 1;
    }
    const out: number[] = [];
    for (let k = lo; k < hi && starts[k]! < stay.end; k++) {
      if (this.#ends[k]! > stay.start) out.push(this.#refs[k]!);
    }
    return out;
  }

  /** Points of the prepared venues left out (invalid or empty windows); for tests and diagnostics. */
  skippedOf(venueId: string): number {
    const v = this.venues.get(venueId);
    if (v === undefined) return 0;
    if (this.#prepared[v] === 0) this.#prepare(v);
    return this.#offsets[v + 1]! - this.#validEnd[v]!;
  }
}

/** Indexes points for {@link matchStays}: one pass grouping them by venue; windows are read when first needed. */
export function indexPoints<P extends MatchablePoint>(points: readonly P[]): PointIndex<P> {
  return new PointIndex(points);
}

/** The points a stay overlaps, in window order (indices into `index.points`). */
export function pointsForStay(index: PointIndex, stay: Stay): number[] {
  return index.pointsForStay(stay);
}

/** Every stay with at least one overlapping point, in the order of `stays`. */
export function matchStays(index: PointIndex, stays: readonly Stay[]): StayMatch[] {
  const out: StayMatch[] = [];
  for (let i = 0; i < stays.length; i++) {
    const points = index.pointsForStay(stays[i]!);
    if (points.length > 0) out.push({ stay: i, points });
  }
  return out;
}
