import { merkleLeafHash } from '../crypto/index.ts';
import { CompactRange } from './merkle.ts';

/**
 * An audit event as it is logged: the columns of `audit_events` except the leaf hash. Declared
 * here (and structurally equal to storage's AuditEventRecord) so that src/audit needs no storage.
 */
export interface AuditEventFields {
  seq: number;
  at: string;
  actor: string;
  actor_role: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  subject_ref: string | null;
  purpose: string;
  reason: string | null;
  outcome: string;
  request_id: string | null;
}

/** The fields after `seq`, in the order they are serialized. Changing it needs a new version. */
export const LEAF_FIELDS = ['at', 'actor', 'actor_role', 'action', 'resource_type', 'resource_id', 'subject_ref', 'purpose', 'reason', 'outcome', 'request_id'] as const;
export const LEAF_VERSION = 0x01;

/**
 * Leaf bytes, version 1 (docs/AUDIT.md):
 *
 *   0x01                                  format version
 *   uint64 big-endian seq                 the event's position (leaf index + 1)
 *   for each of LEAF_FIELDS, in order:
 *     0x00                                the field is NULL
 *     0x01 || uint32 big-endian length || UTF-8 bytes   otherwise
 *
 * Every field is length-prefixed, so no two events serialize alike; the seq is inside, so a row
 * moved to another position no longer matches its leaf.
 */
export function leafBytes(e: AuditEventFields): Buffer {
  if (!Number.isSafeInteger(e.seq) || e.seq < 1) throw new TypeError('audit event seq must be a positive integer');
  const lengths: number[] = [];
  let total = 9;
  for (const f of LEAF_FIELDS) {
    const v = e[f];
    if (v === null || v === undefined) {
      lengths.push(-1);
      total += 1;
      continue;
    }
    if (typeof v !== 'string') throw new TypeError(`audit field ${f} must be a string`);
    const n = utf8Length(v);
    if (n < 0) throw new TypeError(`audit field ${f} is not well-formed Unicode`);
    lengths.push(n);
    total += 5 + n;
  }
  const out = Buffer.allocUnsafe(total);
  out[0] = LEAF_VERSION;
  out.writeUInt32BE(Math.floor(e.seq / 2 ** 32), 1);
  out.writeUInt32BE(e.seq % 2 ** 32, 5);
  let o = 9;
  for (let i = 0; i < LEAF_FIELDS.length; i++) {
    const n = lengths[i]!;
    if (n < 0) {
      out[o++] = 0;
      continue;
    }
    const v = e[LEAF_FIELDS[i]!] as string;
    out[o] = 1;
    out.writeUInt32BE(n, o + 1);
    o += 5;
    if (n === v.length) {
      for (let k = 0; k < n; k++) out[o + k] = v.charCodeAt(k); // ASCII: one byte per character
    } else {
      out.write(v, o, n, 'utf8');
    }
    o += n;
  }
  return out;
}

/**
 * UTF-8 length of a string, or −1 if it holds a lone surrogate (which would be written as
 * U+FFFD, so two different strings would serialize alike).
 */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d < 0xdc00 || d > 0xdfff) return -1;
      n += 4;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return -1;
    else n += 3;
  }
  return n;
}

/** RFC 6962 leaf hash of an event: SHA-256(0x00 || leafBytes(event)). */
export function eventLeafHash(e: AuditEventFields): Buffer {
  return merkleLeafHash(leafBytes(e));
}

/** Tile height of C2SP tlog-tiles: a tile of level L holds nodes of tree height 8·L. */
export const TILE_HEIGHT = 8;

/**
 * The hashing the storage layer is given (storage/audit.repository.ts AuditLogHashing): leaf
 * hashes, and extending the compact range by new leaves, reporting the nodes of height 8·L (L ≥ 1)
 * completed on the way, which are the hashes of the tiles of level L.
 */
export const auditLogHashing = {
  leafHash: eventLeafHash,
  extend(size: number, frontier: readonly Buffer[], leaves: readonly Buffer[]) {
    const range = new CompactRange(size, frontier);
    const tileEntries: { level: number; index: number; hash: Buffer }[] = [];
    const onNode = (n: { height: number; index: number; hash: Buffer }) => {
      if (n.height % TILE_HEIGHT === 0) tileEntries.push({ level: n.height / TILE_HEIGHT, index: n.index, hash: n.hash });
    };
    for (const l of leaves) range.push(l, onNode);
    return { frontier: range.hashes.slice(), root: range.root(), tileEntries };
  },
};
