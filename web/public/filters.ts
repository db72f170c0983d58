/**
 * The filters of `/exposures` (search text, district, date), applied to the exposure points and to
 * the risk areas alike. Pure (unit-tested in Node beside it): the filtering runs in the page only,
 * nothing typed is sent anywhere.
 */
import { beijingDay } from './calendar.ts';
import type { ExposurePoint, RiskArea } from './types.ts';

/** What the visitor chose; an empty string is "any". `day` is a Beijing calendar day (YYYY-MM-DD). */
export interface ListFilter {
  readonly query: string;
  readonly district: string;
  readonly day: string;
}

export const NO_FILTER: ListFilter = { query: '', district: '', day: '' };

/** Text as compared by the search: NFKC, lower case, without white space. */
export const norm = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** Whether the window [start, end) touches the Beijing calendar day `day` (YYYY-MM-DD). */
export function onDay(p: { readonly windowStart: string; readonly windowEnd: string }, day: string): boolean {
  const start = Date.parse(p.windowStart);
  const end = Date.parse(p.windowEnd);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return false;
  return beijingDay(start) <= day && beijingDay(end - 1) >= day;
}

/** An exposure point matches by venue name, address or district name (as `districtName` gives it), its district and its window. */
export function pointShown(p: ExposurePoint, f: ListFilter, districtName: (code: string) => string): boolean {
  const q = norm(f.query);
  return (q === '' || norm(p.venueName).includes(q) || norm(p.venueAddress).includes(q) || norm(districtName(p.district)).includes(q))
    && (f.district === '' || p.district === f.district)
    && (f.day === '' || onDay(p, f.day));
}

/**
 * The district a risk area is in: a district area's own; a venue area's venue's district when the
 * page knows the venue (`venueDistricts`: from the venue registry or the exposure points), else the
 * district published with the area.
 */
export function areaDistrict(a: RiskArea, venueDistricts: ReadonlyMap<string, string>): string {
  if (a.kind === 'venue' && a.venueId !== null) return venueDistricts.get(a.venueId) ?? a.district;
  return a.district;
}

/**
 * A risk area matches by name (the venue's name, or the district's name as `districtName` gives it
 * in the page's language — for a venue area too), its district (./areaDistrict) and its window
 * (the window touches the chosen day).
 */
export function areaShown(a: RiskArea, f: ListFilter, districtName: (code: string) => string, venueDistricts: ReadonlyMap<string, string>): boolean {
  const q = norm(f.query);
  const district = areaDistrict(a, venueDistricts);
  return (q === '' || (a.venueName !== null && norm(a.venueName).includes(q)) || norm(districtName(district)).includes(q))
    && (f.district === '' || district === f.district)
    && (f.day === '' || onDay(a, f.day));
}

/** Venue id → district, from the venue registry (when loaded) and the exposure points. */
export function venueDistrictsOf(points: readonly ExposurePoint[], venues: readonly { readonly id: string; readonly district: string }[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of points) if (p.district !== '') m.set(p.venueId, p.district);
  for (const v of venues) if (v.district !== '') m.set(v.id, v.district);
  return m;
}
