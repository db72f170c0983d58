/**
 * Personal names: normalization for blind indexing, validation, and masked display.
 *
 * Blind indexes match on exact bytes, so two spellings a person would consider the same
 * (full-width letters, stray spaces, different middle dots in transliterated names such as
 * 阿卜杜·热合曼) must normalize to the same string.
 *
 * @module
 */

/** The canonical middle dot (U+00B7) used between parts of transliterated names. */
export const NAME_DOT = '\u00B7';

/** Maximum length of a normalized name, in Unicode code points. */
export const MAX_NAME_LENGTH = 100;

/**
 * Middle-dot look-alikes: U+00B7 middle dot, U+0387 Greek ano teleia, U+2022 bullet,
 * U+2027 hyphenation point, U+30FB katakana middle dot, U+FF0E full-width full stop,
 * U+FF65 half-width katakana middle dot.
 */
const DOT_VARIANTS = /[\u00B7\u0387\u2022\u2027\u30FB\uFF0E\uFF65]/g;
/** Invisible characters that only get in the way of matching (zero-width space, word joiner, BOM). */
const INVISIBLE = /[\u200B\u2060\uFEFF]/g;
const CONTROL = /\p{Cc}/u;

/** Replaces middle-dot variants with {@link NAME_DOT} and removes spaces around it. */
function canonicalDots(s: string): string {
  return s.replace(DOT_VARIANTS, NAME_DOT).replace(/\s*\u00B7\s*/g, NAME_DOT);
}

/** One pass of the normalization pipeline (see {@link normalizeName}). */
function normalizeOnce(s: string): string {
  const folded = canonicalDots(s.replace(INVISIBLE, '')).normalize('NFKC').toLowerCase();
  return canonicalDots(folded).replace(/\s+/g, ' ').trim();
}

/**
 * Normalizes a name for blind indexing: zero-width characters are removed, middle-dot
 * variants become `·` (before NFKC, which would turn U+FF0E into an ASCII full stop), then
 * NFKC and lowercasing, whitespace collapsed to single spaces (none around `·`), trimmed.
 * The pass is repeated until the result is stable (rare inputs need a second pass, e.g.
 * when lowercasing yields a character NFKC changes), so the function is idempotent.
 */
export function normalizeName(input: string): string {
  let current = input;
  for (let i = 0; i < 4; i++) {
    const next = normalizeOnce(current);
    if (next === current) return next;
    current = next;
  }
  return current;
}

/**
 * Validates a name; returns a reason (never containing the name) or `null` if acceptable.
 * The normalized name must be non-empty, at most {@link MAX_NAME_LENGTH} code points, and
 * free of control characters (tabs and newlines count as whitespace and are collapsed).
 */
export function validateName(input: string): string | null {
  const name = normalizeName(input);
  if (name.length === 0) return 'name is empty';
  if ([...name].length > MAX_NAME_LENGTH) return `name is longer than ${MAX_NAME_LENGTH} characters`;
  if (CONTROL.test(name)) return 'name contains control characters';
  return null;
}

/**
 * Masks a name for display: the first code point, then one `*` per remaining code point
 * (`'张三丰'` → `'张**'`, `'Li Wei'` → `'L*****'`). Empty input gives an empty string.
 */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(chars.length - 1);
}
