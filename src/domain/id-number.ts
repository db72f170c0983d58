/**
 * Chinese resident identity numbers (公民身份号码) per GB 11643-1999.
 *
 * Layout of the 18 characters: 6-digit region code, 8-digit birth date `YYYYMMDD`, 3-digit
 * sequence (last digit odd for males, even for females), and an ISO 7064 MOD 11-2 check
 * character (`0`-`9` or `X`).
 *
 * Identity numbers are highly sensitive: no reason string produced here ever contains the
 * input or any part of it, because reasons end up in error messages and rejection reports.
 *
 * @module
 */
import { compareIsoDate, parseIsoDate, todayIsoDate } from './dates.ts';
import { isKnownRegionPrefix } from './divisions.ts';

/** Sex as encoded in the sequence number: odd last digit is male, even is female. */
export type Sex = 'M' | 'F';

/** The fields an identity number encodes. */
export interface ResidentId {
  /** The normalized 18-character number (uppercase `X`). */
  number: string;
  /** The 6-digit region code of the place of first registration. */
  regionCode: string;
  /** Birth date as `YYYY-MM-DD`. */
  birthDate: string;
  sex: Sex;
}

/** Result of {@link parseResidentId}. */
export type ResidentIdResult = { ok: true; value: ResidentId } | { ok: false; reason: string };

/** Options for validation that depends on the current date. */
export interface ResidentIdOptions {
  /** The date birth dates may not be after (`YYYY-MM-DD`); defaults to today in China. */
  today?: string;
}

/** Earliest birth date accepted. */
export const MIN_BIRTH_DATE = '1900-01-01';

/** MOD 11-2 weights 2^(17-i) mod 11 for positions i = 0..16. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/**
 * The ISO 7064 MOD 11-2 check character for the first 17 digits of an identity number.
 * @throws RangeError if `first17` is not exactly 17 ASCII digits.
 */
export function residentIdCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('expected exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS.charAt(sum % 11);
}

/** Unicode-normalizes (full-width digits), removes all whitespace and uppercases `x`. */
function normalizeResidentId(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

function birthDateOf(number: string): string {
  return `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`;
}

/**
 * A number keeps the region code of its first registration for life, so codes of districts that
 * have since been merged (Beijing's 110103 崇文 and 110104 宣武) are still valid: a current code is
 * accepted, and so is any code under a current province. 81/82/83 are the Hong Kong, Macao and
 * Taiwan residence-permit prefixes.
 */
function isPlausibleRegion(code6: string): boolean {
  if (isKnownRegionPrefix(code6)) return true;
  const province = code6.slice(0, 2);
  return ['81', '82', '83'].includes(province) ? code6.endsWith('0000') : isKnownRegionPrefix(`${province}0000`) && !code6.endsWith('0000');
}

/** Returns a reason if the normalized number is malformed, else `null`. */
function structuralProblem(number: string, today: string): string | null {
  if (number.length === 0) return 'identity number is empty';
  if (number.length !== 18) return 'identity number must be 18 characters long';
  if (!/^\d{17}[\dX]$/.test(number)) return 'identity number must be 17 digits followed by a digit or X';
  const birthDate = birthDateOf(number);
  if (!parseIsoDate(birthDate).ok) return 'birth date is not a valid date';
  if (birthDate < MIN_BIRTH_DATE) return 'birth date is before 1900';
  if (birthDate > today) return 'birth date is in the future';
  if (!isPlausibleRegion(number.slice(0, 6))) return 'region code is not a known administrative division';
  if (residentIdCheckDigit(number.slice(0, 17)) !== number[17]) return 'check digit does not match';
  return null;
}

/**
 * Parses and validates an identity number. Input is normalized first (NFKC, whitespace
 * removed, `x` uppercased); then the length, characters, birth date (a real date from 1900
 * up to today), region code (a known division, see `isKnownRegionPrefix`) and check digit
 * are verified. Failure reasons never contain the input.
 */
export function parseResidentId(input: string, options: ResidentIdOptions = {}): ResidentIdResult {
  const number = normalizeResidentId(input);
  const problem = structuralProblem(number, options.today ?? todayIsoDate());
  if (problem !== null) return { ok: false, reason: problem };
  const sex: Sex = Number(number[16]) % 2 === 1 ? 'M' : 'F';
  return { ok: true, value: { number, regionCode: number.slice(0, 6), birthDate: birthDateOf(number), sex } };
}

/**
 * Builds a valid identity number. The sequence's last digit is moved by one (staying in
 * the same ten) when its parity does not match `sex`, so e.g. sequence 2 with `'M'` gives 3.
 * The birth date is not checked against today.
 * @throws RangeError if the region code is not a known division, the birth date is invalid
 * or before 1900, or the sequence is not an integer in 0..999.
 */
export function makeResidentId(regionCode: string, birthDate: string, sequence: number, sex: Sex): string {
  if (!isKnownRegionPrefix(regionCode)) throw new RangeError('region code is not a known administrative division');
  if (!parseIsoDate(birthDate).ok) throw new RangeError('birth date is not a valid date');
  if (birthDate < MIN_BIRTH_DATE) throw new RangeError('birth date is before 1900');
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new RangeError('sequence must be an integer from 0 to 999');
  }
  const wantOdd = sex === 'M';
  const seq = (sequence % 2 === 1) === wantOdd ? sequence : sequence ^ 1;
  const first17 = regionCode + birthDate.replaceAll('-', '') + String(seq).padStart(3, '0');
  return first17 + residentIdCheckDigit(first17);
}

/** Separately stated facts to compare with an identity number. */
export interface StatedFacts {
  /** Stated birth date, `YYYY-MM-DD`. */
  birthDate?: string;
  sex?: Sex;
}

/**
 * Compares separately stated facts with what the identity number encodes. Returns a reason
 * if the number is invalid or disagrees with a stated birth date or sex, else `null`.
 * Facts that are not stated are not checked. Reasons never contain either value.
 */
export function checkResidentIdConsistency(
  id: string,
  stated: StatedFacts,
  options: ResidentIdOptions = {},
): string | null {
  const parsed = parseResidentId(id, options);
  if (!parsed.ok) return parsed.reason;
  if (stated.birthDate !== undefined) {
    if (!parseIsoDate(stated.birthDate).ok) return 'stated birth date is not a valid date';
    if (compareIsoDate(stated.birthDate, parsed.value.birthDate) !== 0) {
      return 'stated birth date does not match the identity number';
    }
  }
  if (stated.sex !== undefined && stated.sex !== parsed.value.sex) return 'stated sex does not match the identity number';
  return null;
}
