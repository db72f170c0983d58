import { labelledMac } from './mac.ts';
import type { TokenKey } from './secret-key.ts';

/**
 * Co-location tokens (docs/CRYPTO.md): HMAC-SHA256 under a random token key of (venue id, slot
 * length, slot number), 128 bits. Two visits share a token exactly when they cover the same venue
 * in the same slot, so finding who was with a case is an equality join on tokens; without the key
 * a token shows neither place nor time.
 */
export const TOKEN_BYTES = 16;
export const DEFAULT_SLOT_MS = 60 * 60 * 1000;

/** Slot numbers (epoch ms / slot length, floored) that the stay [arrival, departure] touches. */
export function slotsCovering(arrivalMs: number, departureMs: number, slotMs = DEFAULT_SLOT_MS): number[] {
  if (!Number.isFinite(arrivalMs) || !Number.isFinite(departureMs) || departureMs < arrivalMs) {
    throw new RangeError('a stay must end at or after its start');
  }
  const first = Math.floor(arrivalMs / slotMs);
  const last = Math.floor(departureMs / slotMs);
  if (last - first > 24 * 31) throw new RangeError('a stay longer than 31 days is not a venue visit');
  const out: number[] = [];
  for (let s = first; s <= last; s++) out.push(s);
  return out;
}

/** The token of one venue slot. */
export function colocationToken(key: TokenKey, venueId: string, slot: number, slotMs = DEFAULT_SLOT_MS): Buffer {
  return labelledMac(key, 'epivault/coloc/v1', `${venueId}\u0000${slotMs}\u0000${slot}`, TOKEN_BYTES);
}

/** Pseudonymous subject reference for the audit log: the audit holds no subject id in clear. */
export function subjectReference(key: TokenKey, subjectId: string): string {
  return labelledMac(key, 'epivault/audit/v1/subject', subjectId, 16).toString('hex');
}
