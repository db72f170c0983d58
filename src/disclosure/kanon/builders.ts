/**
 * In-memory hierarchies for Epivault's own quasi-identifiers: ages in bands, district codes
 * (GB/T 2260) rolled up to city and province, dates to ISO week or month. The leaves are the
 * whole domain (every age, every district of the jurisdiction, every day of the period), not
 * only the values present, so that the information-loss shares mean the same across releases.
 *
 * @module
 */
import { addDays, compareIsoDate } from '../../domain/dates.ts';
import { hierarchyFromFunctions, HierarchyError } from './hierarchy.ts';
import type { Hierarchy } from './hierarchy.ts';

/**
 * Ages `min..max` (integers, as strings) in bands of the given widths, then `*`.
 * Each width must divide the next, so that bands nest (e.g. 5, 10, 20). Bands are aligned on
 * multiples of their width: `37` → `35-39` → `30-39` → `20-39` → `*`.
 */
export function ageHierarchy(attribute: string, options: { min: number; max: number; widths: readonly number[] }): Hierarchy {
  const { min, max, widths } = options;
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || max < min) throw new HierarchyError(`age hierarchy for ${attribute}: min and max must be integers with 0 ≤ min ≤ max`);
  for (const [i, w] of widths.entries()) {
    if (!Number.isSafeInteger(w) || w < 2) throw new HierarchyError(`age hierarchy for ${attribute}: band widths must be integers ≥ 2`);
    if (i > 0 && w % widths[i - 1]! !== 0) throw new HierarchyError(`age hierarchy for ${attribute}: each band width must divide the next`);
  }
  const leaves = Array.from({ length: max - min + 1 }, (_, i) => String(min + i));
  const band = (w: number) => (leaf: string) => {
    const lo = Math.floor(Number(leaf) / w) * w;
    return `${lo}-${lo + w - 1}`;
  };
  return hierarchyFromFunctions(attribute, leaves, [...widths.map(band), () => '*']);
}

/**
 * District (6-digit area) codes → city (first 4 digits) → province (first 2 digits) → `*`.
 * `districts` is the whole domain: every district of the jurisdiction released.
 */
export function districtHierarchy(attribute: string, districts: readonly string[]): Hierarchy {
  for (const code of districts) {
    if (!/^\d{6}$/.test(code)) throw new HierarchyError(`district hierarchy for ${attribute}: district codes must have 6 digits`);
  }
  return hierarchyFromFunctions(attribute, districts, [(c) => c.slice(0, 4), (c) => c.slice(0, 2), () => '*']);
}

/** Days since 1970-01-01 of an ISO date (UTC, no time zone involved). */
function epochDay(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
}

/** ISO 8601 week label `YYYY-Www` of an ISO date (weeks start on Monday; week 1 holds 4 January). */
export function isoWeek(iso: string): string {
  const day = epochDay(iso);
  const weekday = (((day + 3) % 7) + 7) % 7; // 0 = Monday (1970-01-01 was a Thursday)
  const thursday = day - weekday + 3;
  const year = new Date(thursday * 86_400_000).getUTCFullYear();
  const week = Math.floor((thursday - epochDay(`${String(year).padStart(4, '0')}-01-01`)) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * Every day from `from` to `to` (inclusive ISO dates) → ISO week → `*` (`granularity: 'week'`),
 * or → month `YYYY-MM` → year → `*` (`'month'`). Weeks do not nest in months, hence two paths.
 */
export function dateHierarchy(attribute: string, options: { from: string; to: string; granularity: 'week' | 'month' }): Hierarchy {
  const { from, to, granularity } = options;
  if (compareIsoDate(from, to) > 0) throw new HierarchyError(`date hierarchy for ${attribute}: from must not be after to`);
  const leaves: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) leaves.push(d);
  const levels = granularity === 'week'
    ? [isoWeek, () => '*']
    : [(d: string) => d.slice(0, 7), (d: string) => d.slice(0, 4), () => '*'];
  return hierarchyFromFunctions(attribute, leaves, levels);
}
