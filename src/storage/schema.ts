import type { Generated, Insertable } from 'kysely';

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

/** A staff account (migration 0003). `totp_sealed` is the TOTP secret in an envelope; `password_hash` an Argon2id PHC string. */
export interface StaffAccountTable {
  id: string;
  username: string;
  role: string;
  jurisdiction_code: string;
  password_hash: string;
  /** 1 after `user add`/`user reset` and for the first administrator: a new password is required at next sign-in. */
  must_change_password: number;
  totp_sealed: Buffer;
  /** The last TOTP time step accepted: a code of that step or an earlier one is refused (replay). */
  totp_last_step: number | null;
  /** 1 for the demo accounts that `npm start` creates in the demo data directory only. */
  demo: Generated<number>;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A server-side session; the cookie holds the random session id, the table only its SHA-256. */
export interface StaffSessionTable {
  id_hash: Buffer;
  account_id: string;
  /** 'password_change' until a forced password change is done, then 'active'. */
  stage: string;
  created_at: string;
  last_seen_at: string;
  /** Absolute timeout. The idle timeout is checked against last_seen_at. */
  expires_at: string;
  ended_at: string | null;
}

/** Failed sign-ins per keyed MAC of the username (existing or not), for growing delays and lockout. */
export interface LoginThrottleTable { key: Buffer; failures: number; first_failure_at: string; locked_until: string | null; updated_at: string }

export interface TermsAcceptanceTable { account_id: string; version: string; accepted_at: string }

/** One field of one record revealed to one account until `expires_at`. */
export interface RevealGrantTable { id: string; account_id: string; resource_type: string; resource_id: string; field: string; created_at: string; expires_at: string }

/** Break-glass access to an unassigned case in the actor's jurisdiction; reviewed afterwards by a supervisor. */
export interface BreakGlassGrantTable {
  id: string;
  account_id: string;
  case_id: string;
  jurisdiction_code: string;
  reason: string;
  created_at: string;
  expires_at: string;
  review_status: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
}

/** A supervision alert over the audit stream; `details` is JSON without personal data, `event_seqs` a JSON array of audit seqs. */
export interface AlertTable {
  id: string;
  kind: string;
  account_id: string;
  jurisdiction_code: string;
  details: string;
  event_seqs: string;
  status: string;
  decision: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
}

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
  staff_accounts: StaffAccountTable;
  staff_sessions: StaffSessionTable;
  login_throttle: LoginThrottleTable;
  terms_acceptances: TermsAcceptanceTable;
  reveal_grants: RevealGrantTable;
  break_glass_grants: BreakGlassGrantTable;
  alerts: AlertTable;
}

/** Row shapes for inserts, so that services never import Kysely themselves. */
export type NewCase = Insertable<CaseTable>;
export type NewTravelRecord = Insertable<TravelRecordTable>;
export type NewToken = Insertable<ColocationTokenTable>;
export type NewContactLink = Insertable<ContactLinkTable>;
export type NewObservation = Insertable<ObservationTable>;
export type NewNote = Insertable<NoteTable>;
export type NewPlace = Insertable<PlaceTable>;
