/**
 * The staff password rules (NIST SP 800-63B §5.1.1.2): length, not a known common password, not
 * built around the username. No composition rules (they push people to `Password1!`). Problems
 * are named without ever echoing the password.
 *
 * The common-password list is bundled data (data/common-passwords.txt; its README says where it
 * comes from), handed in by the caller so that this module stays free of I/O and can run in the
 * browser as well.
 */
export const MIN_PASSWORD_CHARS = 12;
export const MAX_PASSWORD_CHARS = 1024;

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_username';

export type PasswordCheck = { ok: true } | { ok: false; problem: PasswordProblem; message: string };

const MESSAGES: Record<PasswordProblem, string> = {
  too_short: `the password must have at least ${MIN_PASSWORD_CHARS} characters`,
  too_long: `the password must have at most ${MAX_PASSWORD_CHARS} characters`,
  common: 'the password is on the list of commonly used passwords; choose another',
  contains_username: 'the password must not contain the username',
};

/** Parses the bundled list's text (one password per line) into the set `checkPassword` takes. */
export function parsePasswordList(text: string): ReadonlySet<string> {
  return new Set(text.split('\n').map((l) => l.trim().normalize('NFKC').toLowerCase()).filter((l) => l.length > 0));
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase();

/** Checks a new password; `username` is the account's (the password may not contain it). */
export function checkPassword(password: string, username: string, common: ReadonlySet<string>): PasswordCheck {
  const fail = (problem: PasswordProblem): PasswordCheck => ({ ok: false, problem, message: MESSAGES[problem] });
  if (typeof password !== 'string') return fail('too_short');
  const folded = fold(password);
  const chars = [...folded].length;
  if (chars < MIN_PASSWORD_CHARS) return fail('too_short');
  if (chars > MAX_PASSWORD_CHARS) return fail('too_long');
  if (common.has(folded) || common.has(folded.trim())) return fail('common');
  const user = fold(username ?? '');
  if (user.length > 0 && folded.includes(user)) return fail('contains_username');
  return { ok: true };
}
