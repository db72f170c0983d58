/**
 * Client-side checks of form fields, so that most mistakes are shown before anything is sent. The
 * server checks everything again (its 400 answers name the field and are shown next to it); these
 * checks only save a round trip. Results are message keys (i18n.ts), never the value.
 */
import { parseIsoDate } from '../../src/domain/dates.ts';
import { isChineseFixedLine, isChineseMobile, normalizePhone } from '../../src/domain/phone.ts';
import type { MessageKey } from './i18n.ts';

export type Check = (value: string) => MessageKey | null;

/** ISO 7064 MOD 11-2 weights and check characters of GB 11643 (the same as src/domain/id-number.ts, which is too big to bundle). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export const required: Check = (v) => (v.trim() === '' ? 'v.required' : null);

export function residentIdProblem(input: string): MessageKey | null {
  const n = input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (n.length !== 18) return 'v.idLength';
  if (!/^\d{17}[\dX]$/.test(n)) return 'v.idChars';
  const birth = `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`;
  if (!parseIsoDate(birth).ok || birth < '1900-01-01') return 'v.idBirth';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(n[i]) * WEIGHTS[i];
  if (CHECK_CHARS.charAt(sum % 11) !== n[17]) return 'v.idCheck';
  return null;
}

/** E.164, or an 11-digit Chinese mobile number without prefix; a +86 number must be a mobile or a fixed line. */
export function phoneProblem(input: string): MessageKey | null {
  const r = normalizePhone(input);
  if (!r.ok) return 'v.phone';
  if (r.value.startsWith('+86') && !isChineseMobile(r.value) && !isChineseFixedLine(r.value)) return 'v.phone';
  return null;
}

export function dateProblem(input: string): MessageKey | null {
  return parseIsoDate(input).ok ? null : 'v.date';
}

export const reasonProblem: Check = (v) => (v.trim().length < 10 ? 'v.reason' : null);

export const districtProblem: Check = (v) => (/^\d{6}$/.test(v.trim()) ? null : 'v.district');

/** Common passwords refused outright (the server has the full list; this catches the obvious). */
const COMMON = ['password', 'passw0rd', '123456', 'qwerty', 'letmein', 'welcome', 'admin', 'epivault', 'iloveyou', '111111', 'abc123'];

export function passwordProblem(v: string): MessageKey | null {
  if ([...v].length < 12) return 'v.passwordShort';
  const lower = v.toLowerCase();
  if (COMMON.some((c) => lower.replace(/[^a-z0-9]/g, '').startsWith(c) && lower.length < c.length + 6)) return 'v.passwordCommon';
  if (new Set(v).size < 4) return 'v.passwordCommon';
  return null;
}

/** Runs the checks of a field (only `required` runs on an empty value). */
export function checkField(value: string, checks: readonly Check[], isRequired: boolean): MessageKey | null {
  if (value.trim() === '') return isRequired ? 'v.required' : null;
  for (const c of checks) {
    const r = c(value);
    if (r) return r;
  }
  return null;
}

/** Date `a` must not be after date `b` (both YYYY-MM-DD; empty values pass). */
export function notAfter(a: string, b: string): boolean {
  return a === '' || b === '' || a <= b;
}
