import type { SealedPerson } from './subject-cipher.ts';

/**
 * Sealed people in a form that crosses from a sealing worker to the main thread cheaply.
 *
 * Posted as they are, ten thousand SealedPerson objects are some seventy thousand objects, a
 * quarter of a million strings and seventy thousand byte arrays (most with an ArrayBuffer of their
 * own) for the structured clone to rebuild, one by one, on the main thread, which is the thread
 * that writes to the database and the import's bottleneck: about 20–40 µs per person, plus the
 * garbage collection of it all (docs/PERFORMANCE.md). Packed, a batch is one string, one byte
 * buffer (transferred, not copied) and a few typed arrays; `unpackPeople` rebuilds the same rows
 * with object literals and Buffer views into that one buffer, several times faster.
 */
export interface PackedPeople {
  readonly count: number;
  /** Every string of every person, concatenated in a fixed order (lengths in `textLengths`). */
  readonly text: string;
  readonly textLengths: Uint32Array;
  /** Every byte field, concatenated in a fixed order (lengths in `blobLengths`); transferred. */
  readonly blobs: Uint8Array;
  readonly blobLengths: Uint32Array;
  /** Per person: which optional fields are present (FLAG_*). */
  readonly flags: Uint8Array;
  /** Per person: number of identity documents, and the root key version of the wrapped data key. */
  readonly documents: Uint16Array;
  readonly rootVersions: Uint32Array;
}

/** Optional columns are null when absent (undefined would insert the same NULL). */
const present = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

const HAS_STREET = 1;
const HAS_PHONE = 2;
const HAS_CASE = 4;
const HAS_CONFIRMATION = 8;

/**
 * Packs the output of `sealPerson` (one row per table, as it builds them; the per-row subject id
 * columns are the subject's id). Returns the packed batch and the ArrayBuffer to transfer.
 */
export function packPeople(people: readonly SealedPerson[]): { packed: PackedPeople; transfer: ArrayBuffer[] } {
  const n = people.length;
  // First pass: check the rows and size the arrays.
  let textCount = 0;
  let blobCount = 0;
  let byteCount = 0;
  for (const { person: { subject, key, identity, documents: docs }, case: kase } of people) {
    const id = subject.id;
    if (key.subject_id !== id || identity.subject_id !== id || (kase && kase.subject_id !== id)) throw new Error('packPeople: rows of one person name different subjects');
    if (docs.length > 0xffff) throw new Error('packPeople: too many documents');
    textCount += 6 + (present(subject.street_code) ? 1 : 0) + (kase ? 6 + (present(kase.confirmation_date) ? 1 : 0) : 0);
    blobCount += 3 + docs.length + (present(identity.phone_bidx) ? 1 : 0) + (kase ? 1 : 0);
    byteCount += key.wrapped.byteLength + identity.sealed.byteLength + identity.name_bidx.byteLength + (identity.phone_bidx?.byteLength ?? 0) + (kase ? kase.sealed.byteLength : 0);
    for (const d of docs) {
      if (d.subject_id !== id) throw new Error('packPeople: rows of one person name different subjects');
      byteCount += d.doc_bidx.byteLength;
    }
  }
  const texts = new Array<string>(textCount);
  const textLengths = new Uint32Array(textCount);
  const bytes = new Uint8Array(new ArrayBuffer(byteCount));
  const blobLengths = new Uint32Array(blobCount);
  const flags = new Uint8Array(n);
  const documents = new Uint16Array(n);
  const rootVersions = new Uint32Array(n);
  let t = 0;
  let b = 0;
  let offset = 0;
  const text = (v: string) => {
    textLengths[t] = v.length;
    texts[t++] = v;
  };
  const blob = (v: Uint8Array) => {
    bytes.set(v, offset);
    offset += blobLengths[b++] = v.byteLength;
  };
  for (let i = 0; i < n; i++) {
    const { person: { subject, key, identity, documents: docs }, case: kase, subjectRef } = people[i]!;
    text(subject.id);
    text(subject.jurisdiction_code);
    text(subject.retention_until);
    text(subject.created_at);
    text(identity.updated_at);
    text(subjectRef);
    let f = 0;
    if (present(subject.street_code)) {
      text(subject.street_code);
      f |= HAS_STREET;
    }
    blob(key.wrapped);
    blob(identity.sealed);
    blob(identity.name_bidx);
    if (present(identity.phone_bidx)) {
      blob(identity.phone_bidx);
      f |= HAS_PHONE;
    }
    for (const d of docs) blob(d.doc_bidx);
    if (kase) {
      f |= HAS_CASE;
      text(kase.id);
      text(kase.case_number);
      text(kase.classification);
      text(kase.jurisdiction_code);
      text(kase.report_date);
      text(kase.created_at);
      if (present(kase.confirmation_date)) {
        text(kase.confirmation_date);
        f |= HAS_CONFIRMATION;
      }
      blob(kase.sealed);
    }
    flags[i] = f;
    documents[i] = docs.length;
    rootVersions[i] = key.root_version;
  }
  const packed: PackedPeople = { count: n, text: texts.join(''), textLengths, blobs: bytes, blobLengths, flags, documents, rootVersions };
  return { packed, transfer: [bytes.buffer, textLengths.buffer, blobLengths.buffer, flags.buffer, documents.buffer, rootVersions.buffer] };
}

/** Rebuilds the rows that `packPeople` packed (byte fields as Buffer views into the one received buffer). */
export function unpackPeople(p: PackedPeople): SealedPerson[] {
  const ab = p.blobs.buffer;
  let blobOffset = p.blobs.byteOffset;
  let b = 0;
  const blob = (): Buffer => {
    const length = p.blobLengths[b++]!;
    const out = Buffer.from(ab, blobOffset, length);
    blobOffset += length;
    return out;
  };
  let textOffset = 0;
  let t = 0;
  const text = (): string => {
    const length = p.textLengths[t++]!;
    const out = p.text.slice(textOffset, textOffset + length);
    textOffset += length;
    return out;
  };
  const out = new Array<SealedPerson>(p.count);
  for (let i = 0; i < p.count; i++) {
    const f = p.flags[i]!;
    const id = text();
    const jurisdiction = text();
    const retention = text();
    const createdAt = text();
    const updatedAt = text();
    const subjectRef = text();
    const street = f & HAS_STREET ? text() : null;
    const wrapped = blob();
    const sealed = blob();
    const nameBidx = blob();
    const phoneBidx = f & HAS_PHONE ? blob() : null;
    const documents = new Array<{ doc_bidx: Buffer; subject_id: string }>(p.documents[i]!);
    const documentKeys = new Array<string>(documents.length);
    for (let d = 0; d < documents.length; d++) {
      const doc = blob();
      documents[d] = { doc_bidx: doc, subject_id: id };
      documentKeys[d] = doc.toString('hex');
    }
    let kase: SealedPerson['case'] = null;
    if (f & HAS_CASE) {
      const caseId = text();
      const caseNumber = text();
      const classification = text();
      const caseJurisdiction = text();
      const reportDate = text();
      const caseCreatedAt = text();
      const confirmation = f & HAS_CONFIRMATION ? text() : null;
      kase = {
        id: caseId, subject_id: id, case_number: caseNumber, classification, jurisdiction_code: caseJurisdiction,
        report_date: reportDate, confirmation_date: confirmation, sealed: blob(), created_at: caseCreatedAt,
      };
    }
    out[i] = {
      person: {
        subject: { id, jurisdiction_code: jurisdiction, street_code: street, retention_until: retention, created_at: createdAt },
        key: { subject_id: id, root_version: p.rootVersions[i]!, wrapped },
        identity: { subject_id: id, sealed, name_bidx: nameBidx, phone_bidx: phoneBidx, updated_at: updatedAt },
        documents,
      },
      case: kase,
      documentKeys,
      subjectRef,
    };
  }
  if (b !== p.blobLengths.length || t !== p.textLengths.length) throw new Error('unpackPeople: malformed batch');
  return out;
}
