import { colocationToken, DEFAULT_SLOT_MS, documentIndex, generateKey, nameIndex, open, openJson, phoneIndex, randomId, seal, sealJson, slotsCovering, subjectReference, timeOrderedId, timeOrderedIdRandomPart, unwrapKey, wrapKey } from '../crypto/index.ts';
import type { Binding, DataKey, IndexKey, RootKey, SystemKey, TokenKey } from '../crypto/index.ts';
import type { CaseDetails, CaseInput, Identity, PersonInput, TravelRecord } from '../domain/model.ts';
import { DEFAULT_RETENTION_DAYS } from '../domain/model.ts';
import { normalizeDocumentNumber } from '../domain/documents.ts';
import { normalizeName } from '../domain/name.ts';
import { addDays } from '../domain/dates.ts';
import type { NewCase, NewToken, NewTravelRecord } from '../storage/schema.ts';
import type { PersonRows } from '../storage/subject.repository.ts';

/**
 * Turning a person into rows and back. Identity is sealed as one JSON document under the
 * subject's data key (one AES-GCM call per person); the case's health details are another
 * envelope. Bindings name the table, column and row, and the key id names the subject.
 */
export interface SealKeys {
  readonly root: RootKey;
  readonly documentIndex: IndexKey;
  readonly phoneIndex: IndexKey;
  readonly nameIndex: IndexKey;
  readonly auditSubject: TokenKey;
}

export const dataKeyId = (subjectId: string) => `dek/${subjectId}`;

export function bindingFor(subjectId: string, table: string, column: string, rowId: string): Binding {
  return { keyId: dataKeyId(subjectId), table, column, rowId };
}

/**
 * The case number given to a case whose row names none: `<district>-<report yyyymmdd>-<10
 * characters>`, the characters being the random part of the (time-ordered) case id, 50 bits.
 */
export function generatedCaseNumber(jurisdictionCode: string, reportDate: string, caseId: string): string {
  return `${jurisdictionCode}-${reportDate.replaceAll('-', '')}-${timeOrderedIdRandomPart(caseId)}`;
}

export interface SealedPerson {
  person: PersonRows;
  case: NewCase | null;
  /** Hex of every document blind index, for de-duplication. */
  documentKeys: string[];
  subjectRef: string;
}

/** Blind indexes of a person's documents. */
export function documentIndexes(key: IndexKey, identity: Identity): Buffer[] {
  return identity.documents.map((d) => documentIndex(key, d.type, normalizeDocumentNumber(d.type, d.number, d.country)));
}

/**
 * Seals one person (and optionally their case) into rows, with a fresh subject id and data key.
 * Subject and case ids are time-ordered by `now`, the `created_at` their rows store in clear.
 */
export function sealPerson(keys: SealKeys, input: PersonInput, kase: CaseInput | null, now: string, subjectKey = newSubjectKey(keys.root, now)): SealedPerson {
  const { subjectId, dek } = subjectKey;
  const docs = documentIndexes(keys.documentIndex, input.identity);
  const person: PersonRows = {
    subject: {
      id: subjectId,
      jurisdiction_code: input.jurisdictionCode,
      street_code: input.streetCode ?? null,
      retention_until: input.retentionUntil ?? addDays(now.slice(0, 10), DEFAULT_RETENTION_DAYS),
      created_at: now,
    },
    key: { subject_id: subjectId, root_version: keys.root.version, wrapped: subjectKey.wrapped },
    identity: {
      subject_id: subjectId,
      sealed: sealJson(dek, input.identity, bindingFor(subjectId, 'identities', 'sealed', subjectId)),
      name_bidx: nameIndex(keys.nameIndex, normalizeName(input.identity.name)),
      phone_bidx: input.identity.phone ? phoneIndex(keys.phoneIndex, input.identity.phone) : null,
      updated_at: now,
    },
    documents: docs.map((doc_bidx) => ({ doc_bidx, subject_id: subjectId })),
  };
  let caseRow: NewCase | null = null;
  if (kase) {
    const caseId = timeOrderedId('c', now);
    const details: CaseDetails = { onsetDate: kase.onsetDate, outcome: kase.outcome, source: kase.source };
    caseRow = {
      id: caseId,
      subject_id: subjectId,
      case_number: kase.caseNumber || generatedCaseNumber(input.jurisdictionCode, kase.reportDate, caseId),
      classification: kase.classification,
      jurisdiction_code: input.jurisdictionCode,
      report_date: kase.reportDate,
      confirmation_date: kase.confirmationDate ?? null,
      sealed: sealJson(dek, details, bindingFor(subjectId, 'cases', 'sealed', caseId)),
      created_at: now,
    };
  }
  return { person, case: caseRow, documentKeys: docs.map((d) => d.toString('hex')), subjectRef: subjectReference(keys.auditSubject, subjectId) };
}

/** Unwraps a subject's data key. */
export function unwrapDataKey(root: RootKey, subjectId: string, wrapped: Uint8Array): DataKey {
  return unwrapKey(root, 'subject', subjectId, wrapped);
}

export function openIdentity(dek: DataKey, subjectId: string, sealed: Uint8Array): Identity {
  return openJson<Identity>(dek, sealed, bindingFor(subjectId, 'identities', 'sealed', subjectId));
}

export function openCaseDetails(dek: DataKey, subjectId: string, caseId: string, sealed: Uint8Array): CaseDetails {
  return openJson<CaseDetails>(dek, sealed, bindingFor(subjectId, 'cases', 'sealed', caseId));
}

/** Opens any subject-scoped envelope as raw bytes (tests and tools). */
export function openSubjectField(dek: DataKey, subjectId: string, table: string, column: string, rowId: string, sealed: Uint8Array): Buffer {
  return open(dek, sealed, bindingFor(subjectId, table, column, rowId));
}

/** Keys needed to seal travel: the subject's data key, the token key and the token-ref key. */
export interface TravelKeys {
  readonly colocation: TokenKey;
  readonly tokenRef: SystemKey;
}

export interface SealedTravel {
  record: NewTravelRecord;
  tokens: NewToken[];
}

/**
 * Seals a travel record under the subject's data key and, for a venue visit, computes one
 * co-location token per slot it covers. A token row holds the token and the travel record's id
 * sealed under the system token-ref key (bound to that token): no subject id, place or time in clear.
 */
export function sealTravel(keys: TravelKeys, dek: DataKey, subjectId: string, travel: TravelRecord, slotMs = DEFAULT_SLOT_MS, id = randomId('t')): SealedTravel {
  const record = { id, subject_id: subjectId, sealed: sealJson(dek, travel, bindingFor(subjectId, 'travel_records', 'sealed', id)) };
  if (travel.mode !== 'venue_visit' || !travel.placeId) return { record, tokens: [] };
  const tokens = slotsCovering(travel.arrival, travel.departure, slotMs).map((slot) => {
    const token = colocationToken(keys.colocation, travel.placeId!, slot, slotMs);
    return { token, ref: seal(keys.tokenRef, Buffer.from(id, 'utf8'), tokenRefBinding(token)) };
  });
  return { record, tokens };
}

export const tokenRefBinding = (token: Uint8Array): Binding => ({ keyId: 'system/token-ref', table: 'colocation_tokens', column: 'ref', rowId: Buffer.from(token).toString('hex') });

/** The travel record id behind a token row. */
export function openTokenRef(key: SystemKey, token: Uint8Array, ref: Uint8Array): string {
  return open(key, ref, tokenRefBinding(token)).toString('utf8');
}

export function openTravel(dek: DataKey, subjectId: string, id: string, sealed: Uint8Array): TravelRecord {
  return openJson<TravelRecord>(dek, sealed, bindingFor(subjectId, 'travel_records', 'sealed', id));
}

/** Seals a subject-scoped JSON document (observations, contact links, notes) under the subject's data key. */
export function sealSubjectJson(dek: DataKey, subjectId: string, table: string, rowId: string, value: unknown): Buffer {
  return sealJson(dek, value, bindingFor(subjectId, table, 'sealed', rowId));
}

export function openSubjectJson<T>(dek: DataKey, subjectId: string, table: string, rowId: string, sealed: Uint8Array): T {
  return openJson<T>(dek, sealed, bindingFor(subjectId, table, 'sealed', rowId));
}

/**
 * A fresh subject id and data key, wrapped under the current root (for callers that seal more
 * than identity). The id is time-ordered (src/crypto/random.ts): pass the subject's `created_at`
 * as `at`, so that the id carries no other time than the one stored in clear.
 */
export function newSubjectKey(root: RootKey, at: number | string = Date.now()): { subjectId: string; dek: DataKey; wrapped: Buffer } {
  const subjectId = timeOrderedId('s', at);
  const dek = generateKey('subject');
  return { subjectId, dek, wrapped: wrapKey(root, 'subject', subjectId, dek) };
}
