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
/** The same 32 characters in ascending code-point order: a string of them sorts as the number it encodes. */
const BASE32_SORTED = '234567abcdefghijklmnopqrstuvwxyz';

/** 16 bytes as 26 base32 characters (5 bits each, most significant first; the last holds 3 bits). */
function base32(bytes: Uint8Array, alphabet: string, prefix: string): string {
  let bits = 0;
  let value = 0;
  let out = prefix;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** A random 128-bit identifier as 26 lowercase base32 characters, optionally prefixed. */
export function randomId(prefix = ''): string {
  return base32(pooledRandom(16), BASE32, prefix);
}

/** Milliseconds since the epoch that fit the 48-bit time field of {@link timeOrderedId} (until the year 10889). */
const MAX_TIME_MS = 2 ** 48 - 1;

/**
 * A time-ordered 128-bit identifier: a 48-bit big-endian count of milliseconds since the epoch
 * (`at`, default now), then 80 bits of fresh CSPRNG output; 26 characters of the same alphabet
 * and length as {@link randomId}, optionally prefixed. The characters map to 5-bit values in
 * ascending code-point order, so ids of one prefix sort (binary collation) by their time, and
 * rows keyed by them are appended near the end of an index instead of at random places. The
 * time is readable from the id: callers pass the time the row stores in clear anyway (its
 * `created_at`), so the id reveals nothing that column does not (docs/THREAT-MODEL.md). Ids
 * made in the same millisecond are ordered by their random bits, i.e. not by creation order.
 */
export function timeOrderedId(prefix = '', at: number | string | Date = Date.now()): string {
  const ms = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_TIME_MS) throw new RangeError('timeOrderedId: time must be a valid date after 1970');
  const bytes = new Uint8Array(16);
  const high = Math.floor(ms / 2 ** 32);
  const low = ms >>> 0;
  bytes[0] = high >>> 8;
  bytes[1] = high & 0xff;
  bytes[2] = low >>> 24;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  bytes.set(pooledRandom(10), 6);
  return base32(bytes, BASE32_SORTED, prefix);
}

/**
 * The characters of a time-ordered id (without its prefix) that hold only random bits: 10
 * characters, 50 bits, after the time field (for derived values such as generated case numbers,
 * which must not repeat the time and must differ between ids made in the same millisecond).
 */
export function timeOrderedIdRandomPart(id: string, prefixLength = 1): string {
  return id.slice(prefixLength + 10, prefixLength + 20);
}

/**
 * A fresh random key's bytes (32), from the pooled CSPRNG buffer like nonces (a bulk import makes
 * one data key per person, and `randomBytes(32)` costs several microseconds a call); the pool's
 * copy of those bytes is zeroed at once, so the pool never holds key material that was handed out.
 */
export function randomKeyBytes(): Buffer {
  const key = pooledRandom(32);
  pool.fill(0, offset - 32, offset);
  return key;
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
