import { IndexKey, RootKey, SystemKey, TokenKey } from '../crypto/index.ts';
import type { CaseInput, PersonInput } from '../domain/model.ts';
import type { KeySet } from './keys.service.ts';
import { sealPerson } from './subject-cipher.ts';
import type { SealedPerson } from './subject-cipher.ts';
import { sealCityChunk } from './seed/seal-city.ts';
import { packPeople, unpackPeople } from './seal-transport.ts';
import type { PackedPeople } from './seal-transport.ts';

/**
 * Work that may run in a sealing worker thread (src/services/seal-pool.ts). Each task is a pure
 * function of the keys and its input, so it gives the same rows in a worker or inline.
 */
export interface WorkerKeys {
  root: RootKey;
  documentIndex: IndexKey;
  phoneIndex: IndexKey;
  nameIndex: IndexKey;
  colocation: TokenKey;
  auditSubject: TokenKey;
  tokenRef: SystemKey;
}

/** Raw key material handed to a worker thread of this process (never written anywhere). */
export interface WorkerKeyMaterial {
  rootVersion: number;
  root: Uint8Array;
  documentIndex: Uint8Array;
  phoneIndex: Uint8Array;
  nameIndex: Uint8Array;
  colocation: Uint8Array;
  auditSubject: Uint8Array;
  tokenRef: Uint8Array;
}

export function workerKeysOf(keys: KeySet): WorkerKeys {
  return { root: keys.keyring.current(), documentIndex: keys.documentIndex, phoneIndex: keys.phoneIndex, nameIndex: keys.nameIndex, colocation: keys.colocation, auditSubject: keys.auditSubject, tokenRef: keys.tokenRef };
}

export function materialOf(k: WorkerKeys): WorkerKeyMaterial {
  return {
    rootVersion: k.root.version, root: k.root.exposeBytes(), documentIndex: k.documentIndex.exposeBytes(), phoneIndex: k.phoneIndex.exposeBytes(),
    nameIndex: k.nameIndex.exposeBytes(), colocation: k.colocation.exposeBytes(), auditSubject: k.auditSubject.exposeBytes(), tokenRef: k.tokenRef.exposeBytes(),
  };
}

export function keysFromMaterial(m: WorkerKeyMaterial): WorkerKeys {
  return {
    root: new RootKey(m.rootVersion, m.root), documentIndex: new IndexKey(m.documentIndex), phoneIndex: new IndexKey(m.phoneIndex), nameIndex: new IndexKey(m.nameIndex),
    colocation: new TokenKey(m.colocation), auditSubject: new TokenKey(m.auditSubject), tokenRef: new SystemKey(m.tokenRef),
  };
}

export interface SealPeopleInput {
  now: string;
  items: { person: PersonInput; case: CaseInput | null }[];
}

export const sealTasks = {
  /** Line-list rows already validated: identity, case, blind indexes, wrapped data key. */
  'seal-people': (keys: WorkerKeys, input: SealPeopleInput): SealedPerson[] => input.items.map((it) => sealPerson(keys, it.person, it.case, input.now)),
  /** Generated residents of the synthetic city (src/services/seed): identity, case, travel, tokens, observations. */
  'seal-city': sealCityChunk,
} satisfies Record<string, (keys: WorkerKeys, input: never) => unknown>;

export type SealTaskName = keyof typeof sealTasks;
export type SealTaskInput<T extends SealTaskName> = Parameters<(typeof sealTasks)[T]>[1];
export type SealTaskOutput<T extends SealTaskName> = ReturnType<(typeof sealTasks)[T]>;

/** How a task's output crosses from a worker thread: packed there (with buffers to transfer), unpacked by the pool. */
export interface SealTransport<O> {
  pack(output: O): { packed: unknown; transfer: ArrayBuffer[] };
  unpack(packed: unknown): O;
}

/** Tasks whose output has a compact transport (src/services/seal-transport.ts); the others are posted as they are. */
export const sealTransports: { readonly [T in SealTaskName]?: SealTransport<SealTaskOutput<T>> } = {
  'seal-people': { pack: packPeople, unpack: (packed) => unpackPeople(packed as PackedPeople) },
};
