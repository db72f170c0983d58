import { generateKey, rewrapKey, unwrapKey, wrapKey, RootKeyring, createRootKeyFile, importEncryptedRootKeys } from '../crypto/index.ts';
import type { IndexKey, SigningKey, SystemKey, TokenKey, WrappedKeyKind } from '../crypto/index.ts';
import type { Repositories, Store } from '../storage/store.ts';
import type { Actor } from './audit.service.ts';

/**
 * The column keys: random keys, each wrapped by the root key and stored in `wrapped_keys`, so a
 * root key rotation rewraps them and every blind index and token stays valid.
 */
export interface KeySet {
  readonly keyring: RootKeyring;
  readonly documentIndex: IndexKey;
  readonly phoneIndex: IndexKey;
  readonly nameIndex: IndexKey;
  readonly colocation: TokenKey;
  readonly auditSubject: TokenKey;
  readonly tokenRef: SystemKey;
  /** Ed25519 seed that signs audit checkpoints (docs/AUDIT.md). */
  readonly auditSigning: SigningKey;
  /** Ed25519 seed that signs published disclosure releases (docs/DISCLOSURE-STANDARD.md). */
  readonly releaseSigning: SigningKey;
  /** AES-256-GCM key sealing staff TOTP secrets (`staff_accounts.totp_sealed`). */
  readonly staffTotp: SystemKey;
  /** HMAC key of staff sign-in: CSRF tokens and login-throttle keys (docs/CRYPTO.md). */
  readonly staffAuth: TokenKey;
}

const COLUMN_KEYS = {
  documentIndex: ['bidx/document', 'index'],
  phoneIndex: ['bidx/phone', 'index'],
  nameIndex: ['bidx/name', 'index'],
  colocation: ['token/colocation', 'token'],
  auditSubject: ['token/audit-subject', 'token'],
  tokenRef: ['system/token-ref', 'system'],
  auditSigning: ['signing/audit-checkpoint', 'signing'],
  releaseSigning: ['signing/release', 'signing'],
  staffTotp: ['system/staff-totp', 'system'],
  staffAuth: ['token/staff-auth', 'token'],
} as const satisfies Record<string, readonly [string, WrappedKeyKind]>;

/** Where the root key comes from: `EPIVAULT_ROOT_KEY` (the key file's JSON) wins over the file. */
export function openKeyring(keyFile: string, env: NodeJS.ProcessEnv = process.env): RootKeyring {
  const fromEnv = env.EPIVAULT_ROOT_KEY;
  return fromEnv ? RootKeyring.fromText(fromEnv) : RootKeyring.fromFile(keyFile);
}

export function createKeyFile(keyFile: string): void {
  createRootKeyFile(keyFile);
}

/** Loads the column keys, creating (and wrapping) any that do not exist yet. */
export async function loadKeySet(store: Store, keyring: RootKeyring): Promise<KeySet> {
  const now = new Date().toISOString();
  const rows = new Map((await store.system.wrappedKeys()).map((r) => [r.name, r]));
  const missing = Object.values(COLUMN_KEYS).filter(([name]) => !rows.has(name));
  if (missing.length > 0) {
    const root = keyring.current();
    await store.transaction(async (repos) => {
      for (const [name, kind] of missing) {
        await repos.system.insertWrappedKey({ name, kind, root_version: root.version, wrapped: wrapKey(root, kind, name, generateKey(kind) as never), created_at: now });
      }
    });
    for (const r of await store.system.wrappedKeys()) rows.set(r.name, r);
  }
  const get = <K extends WrappedKeyKind>(name: string, kind: K) => {
    const row = rows.get(name);
    if (!row || row.kind !== kind) throw new Error(`column key ${name} is missing`);
    return unwrapKey(keyring.get(row.root_version), kind, name, row.wrapped);
  };
  return {
    keyring,
    documentIndex: get(...COLUMN_KEYS.documentIndex),
    phoneIndex: get(...COLUMN_KEYS.phoneIndex),
    nameIndex: get(...COLUMN_KEYS.nameIndex),
    colocation: get(...COLUMN_KEYS.colocation),
    auditSubject: get(...COLUMN_KEYS.auditSubject),
    tokenRef: get(...COLUMN_KEYS.tokenRef),
    auditSigning: get(...COLUMN_KEYS.auditSigning),
    releaseSigning: get(...COLUMN_KEYS.releaseSigning),
    staffTotp: get(...COLUMN_KEYS.staffTotp),
    staffAuth: get(...COLUMN_KEYS.staffAuth),
  };
}

/** Who the rotation's audit event names when the caller gives no actor (the CLI passes `system:cli:<os user>`). */
export const KEY_ROTATION_ACTOR: Actor = { id: 'system:key-rotation', role: 'system' };

export interface RotationProgress {
  total: number;
  done: number;
}

export interface RotationResult {
  newVersion: number;
  rewrapped: number;
  retired: number[];
  resumed: boolean;
}

/**
 * Root key rotation: a new root version becomes current, then every wrapped key (column keys and
 * subject data keys) is rewrapped under it in small transactions while the server keeps running
 * (readers find the version of each wrapped key beside it and re-read the key file when they meet
 * a new one). Finally the old versions are removed from the key file. A writer that picked the
 * old version just before the switch may commit a key after the last sweep: rotation keeps the
 * old keys in memory, waits `graceMs` and sweeps once more after retiring them. Interrupted, it
 * resumes: keys already under the current version are skipped and no new version is made.
 */
export async function rotateRootKey(store: Store, keyring: RootKeyring, onProgress: (p: RotationProgress) => void = () => {}, options: { batch?: number; graceMs?: number; actor?: Actor } = {}): Promise<RotationResult> {
  const batch = options.batch ?? 2000;
  keyring.reload(); // another process may have rotated (or begun rotating) since this keyring read the file
  // Several versions only coexist while a rotation is unfinished, even if every key has already moved.
  const resumed = keyring.versions.length > 1;
  const newVersion = resumed ? keyring.currentVersion : keyring.addVersion();
  const target = keyring.current();
  const oldKeys = new Map(keyring.versions.filter((v) => v !== target.version).map((v) => [v, keyring.get(v)]));
  const stale = async () => (await store.system.wrappedKeys()).filter((r) => r.root_version !== target.version).length +
    (await store.subjects.countKeysNotUnder(target.version));
  const total = await stale();
  let done = 0;
  onProgress({ total, done });

  const sweep = async () => {
    for (const row of await store.system.wrappedKeys()) {
      if (row.root_version === target.version) continue;
      const from = oldKeys.get(row.root_version) ?? keyring.get(row.root_version);
      await store.system.replaceWrappedKey(row.name, row.root_version, target.version, rewrapKey(from, target, row.kind as WrappedKeyKind, row.name, row.wrapped));
      onProgress({ total: Math.max(total, done + 1), done: ++done });
    }
    for (;;) {
      const rows = await store.subjects.keysNotUnder(target.version, batch);
      if (rows.length === 0) break;
      await store.transaction(async (repos: Repositories) => {
        for (const r of rows) {
          const from = oldKeys.get(r.root_version) ?? keyring.get(r.root_version);
          const wrapped = rewrapKey(from, target, 'subject', r.subject_id, r.wrapped);
          await repos.subjects.replaceKey({ subject_id: r.subject_id, root_version: target.version, wrapped }, r.root_version);
        }
      });
      done += rows.length;
      onProgress({ total: Math.max(total, done), done });
    }
  };

  await sweep();
  if ((await stale()) !== 0) throw new Error('rotation incomplete: some keys are still under an old root version; run it again');
  const retired = keyring.retireOldVersions();
  await new Promise((r) => setTimeout(r, options.graceMs ?? 3000));
  await sweep();
  await store.transaction((repos) => repos.audit.append({
    at: new Date().toISOString(), actor: (options.actor ?? KEY_ROTATION_ACTOR).id, actor_role: (options.actor ?? KEY_ROTATION_ACTOR).role, action: 'keys.rotate', resource_type: 'root_key',
    resource_id: `v${target.version}`, subject_ref: null, purpose: 'administration', reason: null, outcome: 'success', request_id: null,
  }));
  return { newVersion, rewrapped: done, retired, resumed };
}

export function exportRootKeys(keyring: RootKeyring, passphrase: string): string {
  return keyring.exportEncrypted(passphrase);
}

export function importRootKeys(exported: string, passphrase: string, keyFile: string): number[] {
  return importEncryptedRootKeys(exported, passphrase, keyFile);
}
