import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { labelledMac } from './mac.ts';
import type { TokenKey } from './secret-key.ts';

/**
 * Staff session secrets (docs/CRYPTO.md "Staff sign-in"). The cookie carries a random 256-bit
 * session id; the database keeps only its SHA-256, so a copy of `staff_sessions` cannot be
 * replayed as a cookie. The CSRF token is an HMAC of the session id under the staff-auth key, so
 * it needs no storage and is useless with another session. Throttle rows are keyed by an HMAC
 * of the lower-cased username (or client address), so the table names nobody and an unknown
 * username gets a row exactly like a known one.
 */
export const SESSION_TOKEN_BYTES = 32;
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function newSessionToken(): string {
  return randomBytes(SESSION_TOKEN_BYTES).toString('base64url');
}

/** Whether a cookie value has the shape of a session token (43 base64url characters). */
export function isSessionTokenShape(token: unknown): token is string {
  return typeof token === 'string' && SESSION_TOKEN.test(token);
}

/** SHA-256 of the token's bytes: what `staff_sessions.id_hash` stores. */
export function sessionTokenHash(token: string): Buffer {
  return createHash('sha256').update(Buffer.from(token, 'base64url')).digest();
}

/** The CSRF token of a session: base64url(HMAC-SHA256(staff-auth key, "epivault/csrf/v1" 0x00 session token)). */
export function csrfTokenFor(key: TokenKey, sessionToken: string): string {
  return labelledMac(key, 'epivault/csrf/v1', sessionToken, 32).toString('base64url');
}

/** Constant-time check of a presented CSRF token against the session's. */
export function csrfTokenMatches(key: TokenKey, sessionToken: string, presented: unknown): boolean {
  return constantTimeEqualText(csrfTokenFor(key, sessionToken), presented);
}

/** Constant-time comparison of a presented string with the expected one (length is not secret). */
export function constantTimeEqualText(expected: string, presented: unknown): boolean {
  if (typeof presented !== 'string' || presented.length > 4 * expected.length + 16) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(presented, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The throttle row key of a username (lower-cased, NFKC) or a client address: 16 bytes of HMAC. */
export function throttleKey(key: TokenKey, kind: 'username' | 'address', value: string): Buffer {
  const v = kind === 'username' ? value.normalize('NFKC').toLowerCase() : value;
  return labelledMac(key, `epivault/throttle/v1/${kind}`, v, 16);
}

const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/l/I

/**
 * A random one-time password: `groups` groups of 5 characters from a 55-character alphabet
 * without look-alikes, joined by dashes (4 groups: 23 characters, about 115 bits).
 */
export function randomPassword(groups = 4): string {
  const parts: string[] = [];
  for (let g = 0; g < groups; g++) {
    let s = '';
    for (let i = 0; i < 5; i++) s += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
    parts.push(s);
  }
  return parts.join('-');
}
