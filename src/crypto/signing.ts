import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { SigningKey } from './secret-key.ts';

/**
 * Ed25519 (RFC 8032) signatures for audit checkpoints (docs/AUDIT.md). A signing key is a random
 * 32-byte seed (wrapped by the root key like every column key); node:crypto takes it as PKCS#8
 * DER, and public keys travel as their 32 raw bytes (SPKI DER only inside this file).
 */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

const privateCache = new WeakMap<SigningKey, KeyObject>();

function privateKeyOf(key: SigningKey): KeyObject {
  let k = privateCache.get(key);
  if (!k) {
    k = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, key.exposeBytes()]), format: 'der', type: 'pkcs8' });
    privateCache.set(key, k);
  }
  return k;
}

/** The 32-byte Ed25519 public key of a signing key. */
export function ed25519PublicKey(key: SigningKey): Buffer {
  const der = createPublicKey(privateKeyOf(key)).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(SPKI_ED25519_PREFIX.length));
}

/** Ed25519 signature (64 bytes) over `message`. */
export function ed25519Sign(key: SigningKey, message: Uint8Array): Buffer {
  return sign(null, message, privateKeyOf(key));
}

/**
 * Verifies an Ed25519 signature against a 32-byte public key. Returns false (never throws) for a
 * malformed key or signature: a verifier only needs yes or no.
 */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    const pub = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
    return verify(null, message, pub, signature);
  } catch {
    return false;
  }
}
