/**
 * Data keys sealed before a rotation, written after it. A long import or seed seals its batches on
 * worker threads with the root key that was current when its pool started, for the whole run. If
 * `epivault keys rotate` (another process) makes a new version current and retires the old one
 * meanwhile, a batch written after the rotation's last sweep would store data keys under a root
 * version that no longer exists: those subjects could never be read again. So the writers of such
 * batches pass their rows through here, inside the writing transaction:
 *
 * - before inserting (`underCurrentRoot`): keys wrapped under the sealing root are rewrapped to the
 *   current version when a rotation has moved on (the key file is re-read when it changed);
 * - as the transaction's last step (`rewrapOvertaken`): the same check once more, updating the rows
 *   just written if a rotation became current while the transaction ran. A rotation that retires a
 *   version after this check still finds the rows: its grace sweep (seconds later) reads them, since
 *   this transaction commits right after the check.
 *
 * The sealing root is kept by the writer (its `SealPool`), so rewrapping works even after the old
 * version has left the key file.
 */
import { rewrapKey } from '../crypto/index.ts';
import type { RootKey, RootKeyring } from '../crypto/index.ts';
import type { Repositories } from '../storage/store.ts';
import type { PersonRows } from '../storage/subject.repository.ts';

type KeyRow = PersonRows['key'];

function rewrapped(keyring: RootKeyring, sealedWith: RootKey, keys: readonly KeyRow[]): { root: RootKey; keys: KeyRow[] } | null {
  const current = keyring.current();
  if (current.version === sealedWith.version) return null;
  return {
    root: current,
    keys: keys.map((k) => (k.root_version === sealedWith.version
      ? { ...k, root_version: current.version, wrapped: rewrapKey(sealedWith, current, 'subject', k.subject_id, k.wrapped) }
      : k)),
  };
}

/**
 * The person rows with their data keys wrapped under the current root version (the same rows when
 * nothing rotated), and the root they are now wrapped with (for `rewrapOvertaken`).
 */
export function underCurrentRoot<T extends { person: PersonRows }>(keyring: RootKeyring, sealedWith: RootKey, sealed: readonly T[]): { rows: T[]; root: RootKey } {
  const r = rewrapped(keyring, sealedWith, sealed.map((s) => s.person.key));
  if (r === null) return { rows: [...sealed], root: sealedWith };
  return { rows: sealed.map((s, i) => ({ ...s, person: { ...s.person, key: r.keys[i]! } })), root: r.root };
}

/**
 * Just before commit: rewraps, in the database, the keys of `written` that a rotation overtook while
 * the transaction ran (they were written under `writtenWith`). Returns how many were rewrapped.
 */
export async function rewrapOvertaken(repos: Repositories, keyring: RootKeyring, writtenWith: RootKey, written: readonly KeyRow[]): Promise<number> {
  const r = rewrapped(keyring, writtenWith, written);
  if (r === null) return 0;
  let n = 0;
  for (const k of r.keys) {
    if (k.root_version === writtenWith.version) continue;
    await repos.subjects.replaceKey({ subject_id: k.subject_id, root_version: k.root_version, wrapped: k.wrapped }, writtenWith.version);
    n++;
  }
  return n;
}
