import { randomBytes, randomFillSync, randomInt } from 'node:crypto';

/**
 * Nonces and random ids drawn from a pooled CSPRNG buffer: one `randomFillSync` call per 64 KiB
 * instead of one `randomBytes(12)` (about 5 µs each) per encryption. Every byte handed out is
 * fresh CSPRNG output and is never handed out twice.
 */
const POOL_BYTES = 64 * 1024;
let pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

export function pooledRandom(n: number): Buffer {
  if (n > POOL_BYTES) return randomBytes(n);
  if (offset + n > POOL_BYTES) {
    pool = Buffer.allocUnsafe(POOL_BYTES);
    randomFillSync(pool);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + n));
  offset += n;
  return out;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A random 128-bit identifier as 26 lowercase base32 characters, optionally prefixed. */
export function randomId(prefix = ''): string {
  const b = pooledRandom(16);
  let bits = 0;
  let value = 0;
  let out = prefix;
  for (const byte of b) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A fresh random key's bytes (not pooled: keys are rare and long-lived). */
export function randomKeyBytes(): Buffer {
  return randomBytes(32);
}

/** Fisher–Yates shuffle in place with CSPRNG indexes (token rows are written in an order that links nothing). */
export function shuffleSecure<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}
