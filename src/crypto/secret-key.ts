/**
 * Typed secret keys. Each key role has its own class so that a blind-index key cannot be passed
 * where a data key is expected, and no key ever prints its bytes: `toJSON`, `toString` and
 * `util.inspect` all show `[REDACTED]`.
 */
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

export const KEY_BYTES = 32;

abstract class SecretKey {
  readonly #bytes: Buffer;

  protected constructor(bytes: Uint8Array) {
    if (!(bytes instanceof Uint8Array) || bytes.length !== KEY_BYTES) {
      throw new TypeError(`key must be ${KEY_BYTES} bytes`);
    }
    this.#bytes = Buffer.from(bytes);
  }

  /** The raw key bytes. Only src/crypto calls this. */
  exposeBytes(): Buffer {
    return this.#bytes;
  }

  toJSON(): string {
    return '[REDACTED]';
  }

  toString(): string {
    return '[REDACTED]';
  }

  [inspectCustom](): string {
    return `${this.constructor.name} [REDACTED]`;
  }
}

/** A version of the root key (kept outside the database); wraps every other key. */
export class RootKey extends SecretKey {
  constructor(readonly version: number, bytes: Uint8Array) {
    super(bytes);
    if (!Number.isInteger(version) || version < 1) throw new TypeError('root key version must be a positive integer');
  }
}

/** A subject's random data key: AES-256-GCM over that subject's fields. Destroying it shreds the subject. */
export class DataKey extends SecretKey {
  constructor(bytes: Uint8Array) {
    super(bytes);
  }
}

/** A random HMAC-SHA256 key for one blind-index column. */
export class IndexKey extends SecretKey {
  constructor(bytes: Uint8Array) {
    super(bytes);
  }
}

/** A random HMAC-SHA256 key for co-location tokens or audit subject references. */
export class TokenKey extends SecretKey {
  constructor(bytes: Uint8Array) {
    super(bytes);
  }
}

/** A random AES-256-GCM key for system-held fields (for example the sealed reference in a token row). */
export class SystemKey extends SecretKey {
  constructor(bytes: Uint8Array) {
    super(bytes);
  }
}

/** A random 32-byte Ed25519 seed: signs audit checkpoints (docs/AUDIT.md). */
export class SigningKey extends SecretKey {
  constructor(bytes: Uint8Array) {
    super(bytes);
  }
}

export type AeadKey = RootKey | DataKey | SystemKey;
export type MacKey = IndexKey | TokenKey;
export type AnyKey = AeadKey | MacKey | SigningKey;
