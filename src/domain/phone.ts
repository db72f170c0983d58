/**
 * Phone numbers, stored in E.164 form (`+` country code and subscriber number, no spaces).
 *
 * Reasons returned on failure never contain the number, because they end up in error
 * messages and rejection reports.
 *
 * @module
 */

/** Result of {@link normalizePhone}. */
export type PhoneResult = { ok: true; value: string } | { ok: false; reason: string };

const E164 = /^\+[1-9]\d{6,14}$/;
/** A bare Chinese mobile number as dialled domestically. */
const BARE_CN_MOBILE = /^1[3-9]\d{9}$/;
/** Chinese mobile in E.164: +86 then 11 digits starting 13-19. */
const CN_MOBILE = /^\+861[3-9]\d{9}$/;
/**
 * Chinese fixed line in E.164: +86, an area code (10 for Beijing, 2x, or three digits
 * starting 3-9), then the local number, for a national significant number of 10-11 digits.
 */
const CN_FIXED_LINE = /^\+86(?:(?:10|2\d)\d{8}|[3-9]\d{2}\d{7,8})$/;
/** Separators people type inside numbers: whitespace, ASCII and Unicode dashes, parentheses, dots. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212().]/g;

/** True if `e164` is a Chinese mobile number in E.164 form (`+861[3-9]` and 9 more digits). */
export function isChineseMobile(e164: string): boolean {
  return CN_MOBILE.test(e164);
}

/** True if `e164` is a Chinese fixed-line number with area code in E.164 form. */
export function isChineseFixedLine(e164: string): boolean {
  return CN_FIXED_LINE.test(e164);
}

/** Puts a separator-free number into `+digits` form, or returns `null` if it has no country code. */
function withCountryCode(compact: string): string | null {
  if (compact.startsWith('+')) return compact;
  if (compact.startsWith('00')) return `+${compact.slice(2)}`;
  if (BARE_CN_MOBILE.test(compact)) return `+86${compact}`;
  return null;
}

/**
 * Normalizes a phone number to E.164.
 *
 * Accepts `+` or `00` international prefixes and, without a prefix, only an 11-digit
 * Chinese mobile number (which gets `+86`). Full-width characters are folded (NFKC) and
 * spaces, dashes, dots and parentheses are removed. The result must match
 * `^\+[1-9]\d{6,14}$`; a `+86` number must also be a mobile or a fixed line with area code.
 */
export function normalizePhone(input: string): PhoneResult {
  const compact = input.normalize('NFKC').replace(SEPARATORS, '');
  if (compact.length === 0) return { ok: false, reason: 'phone number is empty' };
  if (!/^\+?\d+$/.test(compact)) return { ok: false, reason: 'phone number contains characters other than digits and separators' };
  const e164 = withCountryCode(compact);
  if (e164 === null) {
    return { ok: false, reason: 'phone number needs a country code (+ or 00) unless it is a Chinese mobile number' };
  }
  if (!E164.test(e164)) return { ok: false, reason: 'phone number is not a valid international (E.164) number' };
  if (e164.startsWith('+86') && !isChineseMobile(e164) && !isChineseFixedLine(e164)) {
    return { ok: false, reason: 'Chinese phone number is neither a mobile number nor a fixed line with area code' };
  }
  return { ok: true, value: e164 };
}

/**
 * Masks all but the last `n` characters (Unicode code points) with `*`, for display:
 * `maskTail('+8613812345678')` → `'**********5678'`. Values of at most `n` characters
 * are returned unchanged.
 * @throws RangeError if `n` is not a non-negative integer.
 */
export function maskTail(value: string, n = 4): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
  const chars = [...value];
  const hidden = Math.max(0, chars.length - n);
  return '*'.repeat(hidden) + chars.slice(hidden).join('');
}
