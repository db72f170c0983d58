/**
 * The staff username rule (jurisdictions are in ./jurisdiction.ts). Usernames are
 * case-insensitive (stored lower case), 3–64 characters of letters, digits, dot, dash and
 * underscore, starting with a letter or digit: they appear in audit reports and terminal output,
 * so nothing that could be confused or injected.
 */
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;

export function normalizeUsername(input: string): string {
  return typeof input === 'string' ? input.normalize('NFKC').trim().toLowerCase() : '';
}

export function isValidUsername(input: string): boolean {
  return USERNAME.test(normalizeUsername(input));
}

export const USERNAME_RULE = 'a username has 3-64 characters: letters, digits, ".", "-" or "_", starting with a letter or digit';
