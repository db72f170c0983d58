import type { Insertable } from 'kysely';

/**
 * The database as Kysely sees it. Columns named `sealed` and `wrapped` hold envelopes
 * (docs/CRYPTO.md); `*_bidx` and `token` hold keyed MACs. Every other column is listed, with the
 * reason it is in clear, in docs/THREAT-MODEL.md.
 */
export interface MetaTable { key: string; value: string }

export interface WrappedKeyTable {
  name: string;
  kind: string;
  root_version: number;
  wrapped: Buffer;
  created_at: string;
}

export interface SubjectTable {
  id: string;
  jurisdiction_code: string;
  street_code: string | null;
  retention_until: string;
  created_at: string;
}

export interface SubjectKeyTable { subject_id: string; root_version: number; wrapped: Buffer }

export interface IdentityTable {
  subject_id: string;
  sealed: Buffer;
  name_bidx: Buffer;
  phone_bidx: Buffer | null;
  updated_at: string;
}

export interface IdentityDocumentTable { doc_bidx: Buffer; subject_id: string }

export interface CaseTable {
  id: string;
  subject_id: string;
  case_number: string;
  classification: string;
  jurisdiction_code: string;
  report_date: string;
  confirmation_date: string | null;
  sealed: Buffer;
  created_at: string;
}

export interface CaseAssignmentTable { case_id: string; staff_id: string; assigned_at: string }

export interface ObservationTable { id: string; subject_id: string; case_id: string | null; sealed: Buffer; created_at: string }

export interface ContactLinkTable { id: string; case_id: string; contact_subject_id: string; sealed: Buffer; created_at: string }

export interface TravelRecordTable { id: string; subject_id: string; sealed: Buffer }

export interface ColocationTokenTable { token: Buffer; ref: Buffer }

export interface PlaceTable {
  id: string;
  name: string;
  address: string;
  district_code: string;
  category: string;
  lat: number;
  lon: number;
}

export interface NoteTable { id: string; subject_id: string; case_id: string | null; author: string; sealed: Buffer; created_at: string }

/**
 * One audit event; also one leaf of the audit Merkle log (docs/AUDIT.md): `seq` is assigned by the
 * application under the log's lock, dense from 1, and leaf index = seq − 1; `leaf_hash` is the
 * RFC 6962 leaf hash of the event's canonical serialization.
 */
export interface AuditEventTable {
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
  leaf_hash: Buffer;
}

/** The one row (id 1) of the audit log's tree head: size, root and the compact range that appends extend. */
export interface AuditTreeHeadTable {
  id: number;
  size: number;
  root: Buffer;
  /** The hashes of the perfect subtrees along the right edge, largest first, 32 bytes each. */
  frontier: Buffer;
  updated_at: string;
}

/** C2SP tlog-tiles: full tiles of level 0 (the leaf hashes, also in `audit_events.leaf_hash`) and all tiles of level ≥ 1: `width` hashes of 32 bytes. */
export interface AuditTileTable {
  level: number;
  idx: number;
  width: number;
  hashes: Buffer;
}

/** Signed checkpoints (C2SP tlog-checkpoint notes), one per tree size. */
export interface AuditCheckpointTable {
  size: number;
  root: Buffer;
  note: string;
  /** The compact range at this size (unsigned; lets proofs against this checkpoint skip the partial tiles). */
  frontier: Buffer;
  created_at: string;
}

export interface JobProgressTable { job: string; cursor: string; updated_at: string }

export interface Database {
  meta: MetaTable;
  wrapped_keys: WrappedKeyTable;
  subjects: SubjectTable;
  subject_keys: SubjectKeyTable;
  identities: IdentityTable;
  identity_documents: IdentityDocumentTable;
  cases: CaseTable;
  case_assignments: CaseAssignmentTable;
  observations: ObservationTable;
  contact_links: ContactLinkTable;
  travel_records: TravelRecordTable;
  colocation_tokens: ColocationTokenTable;
  places: PlaceTable;
  notes: NoteTable;
  audit_events: AuditEventTable;
  audit_tree_head: AuditTreeHeadTable;
  audit_tiles: AuditTileTable;
  audit_checkpoints: AuditCheckpointTable;
  job_progress: JobProgressTable;
}

/** Row shapes for inserts, so that services never import Kysely themselves. */
export type NewCase = Insertable<CaseTable>;
export type NewTravelRecord = Insertable<TravelRecordTable>;
export type NewToken = Insertable<ColocationTokenTable>;
export type NewContactLink = Insertable<ContactLinkTable>;
export type NewObservation = Insertable<ObservationTable>;
export type NewNote = Insertable<NoteTable>;
export type NewPlace = Insertable<PlaceTable>;
