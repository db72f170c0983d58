import { open, seal } from './aead.ts';
import { hkdfSha256 } from './mac.ts';
import { randomKeyBytes } from './random.ts';
import type { RootKey} from './secret-key.ts';
import { DataKey, IndexKey, SigningKey, SystemKey, TokenKey } from './secret-key.ts';

/**
 * Key wrapping (docs/CRYPTO.md): the key-encryption key is HKDF-SHA256 of a root key version
 * (salt "epivault", info "epivault/v1/key-wrap"); a wrapped key is a field envelope whose binding
 * names the root version, the key kind and the key's label, so a wrapped key cannot be swapped for
 * another subject's or another column's.
 */
export type WrappedKeyKind = 'subject' | 'index' | 'token' | 'system' | 'signing';
type KeyOf<K extends WrappedKeyKind> = K extends 'subject' ? DataKey : K extends 'index' ? IndexKey : K extends 'token' ? TokenKey : K extends 'signing' ? SigningKey : SystemKey;

const kekCache = new WeakMap<RootKey, SystemKey>();

function kekOf(root: RootKey): SystemKey {
  let kek = kekCache.get(root);
  if (!kek) {
    kek = new SystemKey(hkdfSha256(root.exposeBytes(), Buffer.from('epivault'), Buffer.from('epivault/v1/key-wrap'), 32));
    kekCache.set(root, kek);
  }
  return kek;
}

function bindingOf(root: RootKey, kind: WrappedKeyKind, label: string) {
  return { keyId: `root/v${root.version}`, table: 'keys', column: kind, rowId: label };
}

const constructors = { subject: DataKey, index: IndexKey, token: TokenKey, system: SystemKey, signing: SigningKey } as const;

/** Wraps a key under a root key version. */
export function wrapKey<K extends WrappedKeyKind>(root: RootKey, kind: K, label: string, key: KeyOf<K>): Buffer {
  return seal(kekOf(root), key.exposeBytes(), bindingOf(root, kind, label));
}

/** Unwraps a key; throws DecryptionError if it was wrapped for another kind, label or root version. */
export function unwrapKey<K extends WrappedKeyKind>(root: RootKey, kind: K, label: string, wrapped: Uint8Array): KeyOf<K> {
  const bytes = open(kekOf(root), wrapped, bindingOf(root, kind, label));
  return new constructors[kind](bytes) as KeyOf<K>;
}

/** A fresh random key of the given kind. */
export function generateKey<K extends WrappedKeyKind>(kind: K): KeyOf<K> {
  return new constructors[kind](randomKeyBytes()) as KeyOf<K>;
}

/** Moves a wrapped key from one root version to another without exposing it outside crypto. */
export function rewrapKey(from: RootKey, to: RootKey, kind: WrappedKeyKind, label: string, wrapped: Uint8Array): Buffer {
  const key = unwrapKey(from, kind, label, wrapped);
  return wrapKey(to, kind, label, key as never);
}
