import { hash } from 'node:crypto';

/**
 * SHA-256 and the RFC 6962 / RFC 9162 Merkle tree hashes (docs/AUDIT.md):
 *   leaf hash = SHA-256(0x00 || leaf bytes), node hash = SHA-256(0x01 || left || right),
 *   the hash of the empty tree = SHA-256("").
 * `crypto.hash` (one-shot) is used because it costs about half of createHash().update().digest()
 * for short inputs, and the audit log hashes two short inputs per event.
 */
export const HASH_BYTES = 32;

/** SHA-256 of bytes. */
export function sha256(data: Uint8Array): Buffer {
  return hash('sha256', data, 'buffer');
}

/** SHA-256 of several byte strings, concatenated. */
export function sha256Concat(parts: readonly Uint8Array[]): Buffer {
  return sha256(Buffer.concat(parts));
}

/** RFC 6962 leaf hash: SHA-256(0x00 || data). */
export function merkleLeafHash(data: Uint8Array): Buffer {
  const b = Buffer.allocUnsafe(1 + data.length);
  b[0] = 0x00;
  b.set(data, 1);
  return sha256(b);
}

const nodeScratch = Buffer.alloc(1 + 2 * HASH_BYTES);

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right). Both children must be 32 bytes. */
export function merkleNodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_BYTES || right.length !== HASH_BYTES) throw new RangeError('Merkle node children must be 32-byte hashes');
  nodeScratch[0] = 0x01;
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_BYTES);
  return sha256(nodeScratch);
}

/** The root of the empty tree: SHA-256 of the empty string. */
export const MERKLE_EMPTY_ROOT: Buffer = sha256(Buffer.alloc(0));
