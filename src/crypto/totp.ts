import { generate, generateSecret, generateURI, verify } from 'otplib';

/**
 * Time-based one-time passwords (RFC 6238) through otplib. Enrolment uses what every
 * authenticator app understands: HMAC-SHA-1, 6 digits, 30-second steps from the Unix epoch.
 * Verification accepts the current step and one on either side (clock drift) and returns the
 * step that matched, so the caller can refuse any step at or before the last one accepted (a
 * code is good once). Secrets are 20 random bytes (RFC 4226 §4 recommends 160 bits), base32.
 */
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpParams {
  readonly algorithm: TotpAlgorithm;
  readonly digits: 6 | 7 | 8;
  readonly periodSeconds: number;
}

export const TOTP_ENROLMENT: TotpParams = { algorithm: 'sha1', digits: 6, periodSeconds: 30 };
export const TOTP_ISSUER = 'Epivault';
export const TOTP_SECRET_BYTES = 20;

type Secret = string | Uint8Array;

const options = (p: TotpParams) => ({ algorithm: p.algorithm, digits: p.digits, period: p.periodSeconds });

/** A fresh random secret, base32 (32 characters for 20 bytes). */
export function generateTotpSecret(): string {
  return generateSecret({ length: TOTP_SECRET_BYTES });
}

/** The time step a moment falls in: floor(unix seconds / period). */
export function totpStep(atMs: number, params: TotpParams = TOTP_ENROLMENT): number {
  return Math.floor(Math.floor(atMs / 1000) / params.periodSeconds);
}

/** The code of the step that `atMs` falls in. `secret` is base32 text or raw key bytes. */
export async function totpCode(secret: Secret, atMs: number, params: TotpParams = TOTP_ENROLMENT): Promise<string> {
  return generate({ secret, epoch: Math.floor(atMs / 1000), ...options(params) });
}

/** The code of a given time step. */
export async function totpCodeForStep(secret: Secret, step: number, params: TotpParams = TOTP_ENROLMENT): Promise<string> {
  return totpCode(secret, step * params.periodSeconds * 1000, params);
}

export interface TotpCheck {
  /** Refuse every step ≤ this one (the last step accepted for the account), or null. */
  readonly afterStep?: number | null;
  readonly params?: TotpParams;
}

/**
 * Checks a code typed at `atMs` against the steps t−1, t, t+1 (constant-time comparison inside
 * otplib). Returns the matching step, or null for a wrong, malformed or replayed code. Never
 * throws on user input.
 */
export async function verifyTotp(secret: Secret, code: string, atMs: number, check: TotpCheck = {}): Promise<number | null> {
  const params = check.params ?? TOTP_ENROLMENT;
  const token = typeof code === 'string' ? code.replace(/\s+/g, '') : '';
  if (!new RegExp(`^\\d{${params.digits}}$`).test(token)) return null;
  try {
    const r = await verify({
      secret, token, epoch: Math.floor(atMs / 1000), epochTolerance: params.periodSeconds, ...options(params),
      ...(check.afterStep === null || check.afterStep === undefined ? {} : { afterTimeStep: check.afterStep }),
    });
    if (!r.valid) return null;
    // The TOTP result carries `timeStep`; the union type also admits HOTP's, which has only `delta`.
    return 'timeStep' in r && typeof r.timeStep === 'number' ? r.timeStep : totpStep(atMs, params) + r.delta;
  } catch {
    return null;
  }
}

/** The `otpauth://totp/…` enrolment URI (Key Uri Format) for an authenticator app, issuer "Epivault". */
export function totpUri(secretBase32: string, accountName: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: accountName, secret: secretBase32, ...options(TOTP_ENROLMENT) });
}
