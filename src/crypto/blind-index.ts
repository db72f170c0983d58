import { labelledMac } from './mac.ts';
import type { IndexKey } from './secret-key.ts';

/**
 * Blind indexes (docs/CRYPTO.md): HMAC-SHA256 under a random per-column key of a value already
 * normalized by the domain layer, truncated. Equal inputs give equal indexes, which is what lets
 * an exact search run without decrypting; it also reveals which rows share a value (see the
 * leakage notes in docs/THREAT-MODEL.md). The name index is cut to 16 bits so that it works as a
 * bucket: a search decrypts the few candidates in the bucket, and the bucket sizes say little
 * about how common a given name is.
 */
export const BLIND_INDEX_BYTES = { document: 16, phone: 16, name: 2 } as const;
export type BlindIndexColumn = keyof typeof BLIND_INDEX_BYTES;

/** Blind index of an identity document: type and number are both part of the input. */
export function documentIndex(key: IndexKey, docType: string, normalizedNumber: string): Buffer {
  return labelledMac(key, 'epivault/bidx/v1/document', `${docType}:${normalizedNumber}`, BLIND_INDEX_BYTES.document);
}

/** Blind index of an E.164 phone number. */
export function phoneIndex(key: IndexKey, e164: string): Buffer {
  return labelledMac(key, 'epivault/bidx/v1/phone', e164, BLIND_INDEX_BYTES.phone);
}

/** Blind index bucket of a normalized name. */
export function nameIndex(key: IndexKey, normalizedName: string): Buffer {
  return labelledMac(key, 'epivault/bidx/v1/name', normalizedName, BLIND_INDEX_BYTES.name);
}
