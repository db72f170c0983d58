/**
 * Strict calendar-date and date-time handling on ISO 8601 strings.
 *
 * Everything here uses integer arithmetic on the proleptic Gregorian calendar rather than
 * `Date` parsing, so there is no leniency (no `2023-02-30` rolling over to March) and no
 * dependence on the host time zone. Reasons returned on failure never echo the input,
 * because dates of birth are personal data.
 *
 * @module
 */

/** Result of a parse: the normalized value, or a reason that never contains the input. */
export type DateResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Offset of China Standard Time (UTC+08:00, no daylight saving) in minutes. */
export const CHINA_STANDARD_OFFSET_MINUTES = 480;

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?$/;

/** True for leap years of the proleptic Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in `month` (1-12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 for a civil date (Howard Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Inverse of {@link daysFromCivil}. */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/**
 * Parses a strict `YYYY-MM-DD` date that exists on the calendar (years 0000-9999).
 * Surrounding whitespace is not accepted; the returned value equals the input.
 */
export function parseIsoDate(input: string): DateResult<string> {
  const m = ISO_DATE.exec(input);
  if (!m) return { ok: false, reason: 'date must have the form YYYY-MM-DD' };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return { ok: false, reason: 'date has an invalid month' };
  if (day < 1 || day > daysInMonth(year, month)) return { ok: false, reason: 'date has an invalid day for its month' };
  return { ok: true, value: input };
}

/** Like {@link parseIsoDate} but throws a `RangeError` (without the value) on bad input. */
function requireIsoDate(input: string, what: string): { year: number; month: number; day: number } {
  const r = parseIsoDate(input);
  if (!r.ok) throw new RangeError(`${what}: ${r.reason}`);
  return { year: Number(input.slice(0, 4)), month: Number(input.slice(5, 7)), day: Number(input.slice(8, 10)) };
}

/**
 * Compares two valid ISO dates; returns -1, 0 or 1 (usable with `Array.prototype.sort`).
 * @throws RangeError if either argument is not a valid `YYYY-MM-DD` date.
 */
export function compareIsoDate(a: string, b: string): -1 | 0 | 1 {
  requireIsoDate(a, 'first date');
  requireIsoDate(b, 'second date');
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Adds `n` days (may be negative) to an ISO date.
 * @throws RangeError if the date is invalid, `n` is not an integer, or the result leaves years 0000-9999.
 */
export function addDays(isoDate: string, n: number): string {
  const { year, month, day } = requireIsoDate(isoDate, 'date');
  if (!Number.isSafeInteger(n)) throw new RangeError('day count must be an integer');
  const r = civilFromDays(daysFromCivil(year, month, day) + n);
  if (r.year < 0 || r.year > 9999) throw new RangeError('resulting date is out of range');
  return formatDate(r.year, r.month, r.day);
}

/**
 * Whole years between `birthDate` and `onDate` (age in completed years). A 29 February
 * birthday is reached on 1 March in common years.
 * @throws RangeError if a date is invalid or `onDate` is before `birthDate`.
 */
export function ageOn(birthDate: string, onDate: string): number {
  const b = requireIsoDate(birthDate, 'birth date');
  const o = requireIsoDate(onDate, 'reference date');
  if (onDate < birthDate) throw new RangeError('reference date is before the birth date');
  const hadBirthday = o.month > b.month || (o.month === b.month && o.day >= b.day);
  return o.year - b.year - (hadBirthday ? 0 : 1);
}

/**
 * Today's calendar date at a fixed UTC offset (default China Standard Time).
 * @param now - epoch milliseconds; defaults to the current clock.
 */
export function todayIsoDate(offsetMinutes = CHINA_STANDARD_OFFSET_MINUTES, now: number = Date.now()): string {
  const r = civilFromDays(Math.floor((now + offsetMinutes * MS_PER_MINUTE) / MS_PER_DAY));
  return formatDate(r.year, r.month, r.day);
}

function parseOffsetMinutes(zone: string): number | null {
  if (zone === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 23 || minutes > 59) return null;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * Parses `YYYY-MM-DDTHH:MM[:SS[.sss]][Z|±HH:MM]` into epoch milliseconds.
 *
 * A value without a zone designator is read at `defaultOffsetMinutes`, which defaults to
 * China Standard Time (+08:00) because that is what investigators in the field mean by a
 * bare local time. Pass `0` to read such values as UTC. Leap seconds (`:60`) are rejected.
 */
export function parseIsoDateTime(
  input: string,
  defaultOffsetMinutes: number = CHINA_STANDARD_OFFSET_MINUTES,
): DateResult<number> {
  const m = ISO_DATE_TIME.exec(input);
  if (!m) return { ok: false, reason: 'date-time must have the form YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]' };
  const date = m[1] as string;
  const [ss, frac, zone]: (string | undefined)[] = [m[4], m[5], m[6]];
  const d = parseIsoDate(date);
  if (!d.ok) return d;
  const [hour, minute, second] = [Number(m[2]), Number(m[3]), Number(ss ?? '0')];
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, reason: 'date-time has an invalid time of day' };
  const offset = zone === undefined ? defaultOffsetMinutes : parseOffsetMinutes(zone);
  if (offset === null) return { ok: false, reason: 'date-time has an invalid UTC offset' };
  const { year, month, day } = requireIsoDate(date, 'date');
  const millis = Number((frac ?? '').padEnd(3, '0'));
  const local = daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return { ok: true, value: local - offset * MS_PER_MINUTE };
}
