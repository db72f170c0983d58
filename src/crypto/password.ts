import { hash, verify } from '@node-rs/argon2';
import type { Algorithm, Options } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

/**
 * Password hashing with Argon2id (RFC 9106) at the OWASP Password Storage Cheat Sheet's first
 * recommended setting: m = 19 MiB, t = 2, p = 1, 16-byte random salt, 32-byte tag, stored as the
 * PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`), so the parameters travel with each
 * hash and can be raised later without invalidating old ones. Passwords are NFKC-normalized first,
 * so the same password typed through another input method verifies.
 */
export const PASSWORD_HASH_PARAMS = { algorithm: 'argon2id', memoryKiB: 19_456, iterations: 2, parallelism: 1, outputBytes: 32 } as const;

const ARGON2ID = 2 as Algorithm; // Algorithm.Argon2id: an ambient const enum, unusable under isolatedModules
const OPTIONS: Options = {
  algorithm: ARGON2ID,
  memoryCost: PASSWORD_HASH_PARAMS.memoryKiB,
  timeCost: PASSWORD_HASH_PARAMS.iterations,
  parallelism: PASSWORD_HASH_PARAMS.parallelism,
  outputLen: PASSWORD_HASH_PARAMS.outputBytes,
};
/** Longer inputs are refused before hashing: they add no strength and cost memory. */
export const MAX_PASSWORD_CHARS = 1024;

const normalize = (password: string) => password.normalize('NFKC');

/** Argon2id PHC string of a password. */
export async function hashPassword(password: string): Promise<string> {
  if (typeof password !== 'string' || password.length === 0 || password.length > MAX_PASSWORD_CHARS) {
    throw new RangeError(`a password must have 1..${MAX_PASSWORD_CHARS} characters`);
  }
  return hash(normalize(password), OPTIONS);
}

/**
 * Whether `password` matches the PHC string. Never throws on a wrong password, an over-long
 * input or a malformed stored hash: all of those are simply `false` (after the same work as a
 * real verification where possible).
 */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  if (typeof password !== 'string' || password.length > MAX_PASSWORD_CHARS) {
    await dummyVerifyPassword('');
    return false;
  }
  try {
    return await verify(phc, normalize(password));
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;

/**
 * Verifies `password` against the hash of a random password nobody knows, with the same
 * parameters as real hashes: the sign-in of an unknown username costs what a known one costs, so
 * response times do not tell which usernames exist. Always false.
 */
export async function dummyVerifyPassword(password: string): Promise<false> {
  dummy ??= hash(randomBytes(32).toString('base64url'), OPTIONS);
  try {
    await verify(await dummy, normalize(String(password).slice(0, MAX_PASSWORD_CHARS)));
  } catch {
    // nothing to learn: the answer is false either way
  }
  return false;
}

/** Whether a stored hash uses weaker parameters than today's (rehash at the next successful sign-in). */
export function passwordHashNeedsUpgrade(phc: string): boolean {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
  if (!m) return true;
  return Number(m[1]) < PASSWORD_HASH_PARAMS.memoryKiB || Number(m[2]) < PASSWORD_HASH_PARAMS.iterations;
}
