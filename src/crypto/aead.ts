import { createCipheriv, createDecipheriv } from 'node:crypto';
import { DecryptionError } from './errors.ts';
import { pooledRandom } from './random.ts';
import type { AeadKey } from './secret-key.ts';

/**
 * The field envelope (docs/CRYPTO.md): `0x01 || nonce(12) || ciphertext || tag(16)`, AES-256-GCM,
 * with associated data binding the format version, key id, table, column and row id. A ciphertext
 * copied to another row, column, table or subject therefore fails to open.
 */
export const ENVELOPE_VERSION = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const AAD_LABEL = Buffer.from('epivault/aead/v1', 'utf8');
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Where a ciphertext belongs. Every part is authenticated. */
export interface Binding {
  readonly keyId: string;
  readonly table: string;
  readonly column: string;
  readonly rowId: string;
}

/** Length-prefixed so that no two bindings serialize alike ("a|bc" vs "ab|c"). */
export function bindingBytes(b: Binding): Buffer {
  const strings = [b.keyId, b.table, b.column, b.rowId];
  // A lone surrogate would be encoded as U+FFFD, so two different parts would serialize alike.
  if (strings.some((s) => LONE_SURROGATE.test(s))) throw new TypeError('binding part is not well-formed Unicode');
  const parts = strings.map((s) => Buffer.from(s, 'utf8'));
  const out = Buffer.allocUnsafe(AAD_LABEL.length + 1 + parts.reduce((n, p) => n + 2 + p.length, 0));
  let o = AAD_LABEL.copy(out, 0);
  out[o++] = ENVELOPE_VERSION;
  for (const p of parts) {
    if (p.length > 0xffff) throw new TypeError('binding part too long');
    o = out.writeUInt16BE(p.length, o);
    o += p.copy(out, o);
  }
  return out;
}

/** Raw AES-256-GCM encryption; returns ciphertext || tag. */
export function aesGcmEncrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  // Only 96-bit nonces: aesGcmDecrypt refuses any other length, and GHASH-derived IVs are weaker.
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`AES-GCM nonce must be ${NONCE_BYTES} bytes`);
  const c = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  c.setAAD(aad);
  const a = c.update(plaintext);
  const b = c.final();
  return Buffer.concat([a, b, c.getAuthTag()]);
}

/** Raw AES-256-GCM decryption of ciphertext || tag; throws DecryptionError on any failure. */
export function aesGcmDecrypt(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer {
  if (sealed.length < TAG_BYTES || nonce.length !== NONCE_BYTES) throw new DecryptionError();
  try {
    const d = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    d.setAAD(aad);
    d.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const a = d.update(sealed.subarray(0, sealed.length - TAG_BYTES));
    return Buffer.concat([a, d.final()]);
  } catch {
    throw new DecryptionError();
  }
}

/** Seals bytes into an envelope bound to `binding`. */
export function seal(key: AeadKey, plaintext: Uint8Array, binding: Binding): Buffer {
  const nonce = pooledRandom(NONCE_BYTES);
  const body = aesGcmEncrypt(key.exposeBytes(), nonce, plaintext, bindingBytes(binding));
  const out = Buffer.allocUnsafe(1 + NONCE_BYTES + body.length);
  out[0] = ENVELOPE_VERSION;
  nonce.copy(out, 1);
  body.copy(out, 1 + NONCE_BYTES);
  return out;
}

/** Opens an envelope; any mismatch (key, binding, version, length, tag) throws one DecryptionError. */
export function open(key: AeadKey, envelope: Uint8Array, binding: Binding): Buffer {
  if (!(envelope instanceof Uint8Array) || envelope.length < 1 + NONCE_BYTES + TAG_BYTES || envelope[0] !== ENVELOPE_VERSION) {
    throw new DecryptionError();
  }
  const nonce = envelope.subarray(1, 1 + NONCE_BYTES);
  return aesGcmDecrypt(key.exposeBytes(), nonce, envelope.subarray(1 + NONCE_BYTES), bindingBytes(binding));
}

/** Seals a JSON-serializable value. */
export function sealJson(key: AeadKey, value: unknown, binding: Binding): Buffer {
  return seal(key, Buffer.from(JSON.stringify(value), 'utf8'), binding);
}

/** Opens an envelope holding JSON. */
export function openJson<T>(key: AeadKey, envelope: Uint8Array, binding: Binding): T {
  const bytes = open(key, envelope, binding);
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw new DecryptionError();
  }
}
