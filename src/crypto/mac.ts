import { createHmac, hkdfSync } from 'node:crypto';
import type { MacKey } from './secret-key.ts';

/** HMAC-SHA256 (RFC 2104), optionally truncated to `bytes` (the leftmost bytes, as RFC 2104 §5). */
export function hmacSha256(key: Uint8Array, message: Uint8Array, bytes = 32): Buffer {
  if (bytes < 1 || bytes > 32) throw new RangeError('HMAC output length must be 1..32 bytes');
  const full = createHmac('sha256', key).update(message).digest();
  return bytes === 32 ? full : full.subarray(0, bytes);
}

/** HKDF-SHA256 (RFC 5869). */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Buffer {
  if (length < 1 || length > 255 * 32) throw new RangeError('HKDF output length out of range');
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

/** Keyed, domain-separated MAC of a label and a value, as used by blind indexes and tokens. */
export function labelledMac(key: MacKey, label: string, value: string, bytes: number): Buffer {
  return hmacSha256(key.exposeBytes(), Buffer.from(`${label}\u0000${value}`, 'utf8'), bytes);
}
