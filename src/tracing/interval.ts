/**
 * Time intervals of stays and the infectious window of a case (docs/TRACING.md). Times are epoch
 * milliseconds; an interval is closed at its start and open at its end, so two stays that only
 * touch (one leaves at 11:00, the other arrives at 11:00) do not overlap. Pure: no I/O, no clock.
 */
import { addDays } from '../domain/dates.ts';

export interface Interval {
  readonly start: number;
  readonly end: number;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** China Standard Time, UTC+8: days and dates of the investigation are China's. */
export const CST_OFFSET_MS = 8 * HOUR_MS;

/** How long two intervals overlap, in ms (0 when they only touch or are apart). */
export function overlapMs(a: Interval, b: Interval): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

/** The interval widened by `bufferMs` on both sides (a stay's air lingers after one leaves, and clocks differ). */
export function widen(i: Interval, bufferMs: number): Interval {
  return { start: i.start - bufferMs, end: i.end + bufferMs };
}

/** The part of `i` inside `window`, or null if there is none of positive length. */
export function clip(i: Interval, window: Interval): Interval | null {
  const start = Math.max(i.start, window.start);
  const end = Math.min(i.end, window.end);
  return end > start ? { start, end } : null;
}

/** The interval in which a stay of a case can have exposed others: widened by the buffer, then kept inside the infectious window. */
export function exposureInterval(stay: Interval, window: Interval, bufferMs: number): Interval | null {
  return clip(widen(stay, bufferMs), window);
}

/** Midnight (China time) starting the date `YYYY-MM-DD`, as epoch ms. */
export function startOfDay(isoDate: string): number {
  const ms = Date.parse(`${isoDate}T00:00:00+08:00`);
  if (!Number.isFinite(ms)) throw new RangeError('a date must be YYYY-MM-DD');
  return ms;
}

/** The China date (YYYY-MM-DD) of an instant. */
export function dateOf(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Day number of an instant, counted in China days since 1970-01-01: the slot of a district-day token. */
export function chinaDay(ms: number): number {
  return Math.floor((ms + CST_OFFSET_MS) / DAY_MS);
}

/** Every China day number that [start, end] touches. */
export function daysCovering(i: Interval): number[] {
  const out: number[] = [];
  for (let d = chinaDay(i.start); d <= chinaDay(i.end); d++) out.push(d);
  return out;
}

/** The dates of a case the infectious window is computed from (cases.report_date and confirmation_date, and the sealed onset date). */
export interface CaseDates {
  readonly onsetDate?: string | null;
  readonly reportDate: string;
  readonly confirmationDate?: string | null;
}

export interface WindowSettings {
  /** Days before symptom onset (or, without symptoms, before the first positive report) that a case counts as infectious. */
  readonly daysBeforeOnset: number;
}

/**
 * The infectious window of a case: from midnight `daysBeforeOnset` days before the onset date (or,
 * for a case without onset, before the earlier of its confirmation and report dates) to the end of
 * the day it was reported or confirmed, whichever came first (taken as the day it was isolated),
 * and never later than `now`.
 */
export function infectiousWindow(dates: CaseDates, settings: WindowSettings, now: number): Interval {
  const isolated = [dates.reportDate, dates.confirmationDate].filter((d): d is string => typeof d === 'string').sort()[0]!;
  const onset = dates.onsetDate && dates.onsetDate < isolated ? dates.onsetDate : isolated;
  const start = startOfDay(addDays(onset, -settings.daysBeforeOnset));
  const end = Math.min(startOfDay(addDays(isolated, 1)), now);
  return { start, end: Math.max(start, end) };
}
