import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { CaseTable, ColocationTokenTable, ContactLinkTable, Database, PlaceTable, SubjectKeyTable, TravelRecordTable } from './schema.ts';
import type { Db } from './database.ts';
import { insertMany } from './insert-many.ts';

/**
 * Contact tracing's tables (migration 0004, docs/TRACING.md). `sealed` columns are envelopes under
 * the subject's data key; `token`/`ref` as in colocation_tokens; the rest are pseudonymous ids,
 * states, division codes and staff ids.
 */
export interface DiscoveryCandidateTable { id: string; case_id: string; subject_id: string; status: string; sealed: Buffer; contact_link_id: string | null; created_at: string; updated_at: string }
export interface DiscoveryDismissalTable { candidate_id: string; reason_code: string; sealed: Buffer | null; dismissed_by: string; dismissed_at: string }
export interface QuarantineTable { id: string; contact_link_id: string; subject_id: string; status: string; jurisdiction_code: string; assigned_to: string | null; sealed: Buffer; created_at: string; updated_at: string }
export interface FollowupEntryTable { id: string; quarantine_id: string; subject_id: string; sealed: Buffer; created_by: string; created_at: string }
export interface SecondaryContactTable { id: string; contact_link_id: string; subject_id: string; sealed: Buffer; created_by: string; created_at: string }
export interface HandoverTable {
  id: string; contact_link_id: string; subject_id: string; from_jurisdiction: string; to_jurisdiction: string; status: string;
  created_by: string; created_at: string; decided_by: string | null; decided_at: string | null;
}
export interface RiskAreaTable {
  id: string; level: string; kind: string; district_code: string; place_id: string | null; window_start: string; window_end: string;
  valid_from: string; valid_until: string; jurisdiction_code: string; declared_by: string; created_at: string; revoked_by: string | null; revoked_at: string | null;
}
export interface RiskStatusTable { subject_id: string; status: string; reason: string; computed_at: string }
export interface DistrictDayTokenTable { token: Buffer; ref: Buffer }

export interface TracingTables {
  discovery_candidates: DiscoveryCandidateTable;
  discovery_dismissals: DiscoveryDismissalTable;
  quarantines: QuarantineTable;
  followup_entries: FollowupEntryTable;
  secondary_contacts: SecondaryContactTable;
  handovers: HandoverTable;
  risk_areas: RiskAreaTable;
  risk_status: RiskStatusTable;
  district_day_tokens: DistrictDayTokenTable;
}

type TracingDb = Kysely<Database & TracingTables> | Transaction<Database & TracingTables>;

export type CandidateRow = Selectable<DiscoveryCandidateTable>;
export type DismissalRow = Selectable<DiscoveryDismissalTable>;
export type QuarantineRow = Selectable<QuarantineTable>;
export type FollowupRow = Selectable<FollowupEntryTable>;
export type SecondaryContactRow = Selectable<SecondaryContactTable>;
export type HandoverRow = Selectable<HandoverTable>;
export type RiskAreaRow = Selectable<RiskAreaTable>;
export type RiskStatusRow = Selectable<RiskStatusTable>;
export type DistrictDayTokenRow = Selectable<DistrictDayTokenTable>;
export type NewDistrictDayToken = Insertable<DistrictDayTokenTable>;
export type TracingCaseRow = Selectable<CaseTable>;
export type TracingLinkRow = Selectable<ContactLinkTable>;
export interface TravelWithKey { id: string; subject_id: string; sealed: Buffer; root_version: number; wrapped: Buffer }

/** Chunk size of `in (...)` lists: far under both engines' parameter limits. */
const IN_CHUNK = 5000;

async function chunked<T, R>(items: readonly T[], fn: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  // One push per row: a spread of a chunk's rows overflows the stack past ~120,000 rows (busy venue-hours at 1,000,000 cases).
  for (let i = 0; i < items.length; i += IN_CHUNK) for (const row of await fn(items.slice(i, i + IN_CHUNK))) out.push(row);
  return out;
}

/** Reads and writes of contact tracing. Batch reads take id lists so that a discovery is a fixed number of queries. */
export class TracingRepository {
  private readonly db: TracingDb;

  constructor(db: Db | Transaction<Database>) {
    this.db = db as unknown as TracingDb;
  }

  // ---- discovery's reads (hot path: a few queries per case, keyed by token or id) --------------

  /** Token rows of co-location tokens equal to any of these: one query (or one per 5,000 tokens). */
  async colocationTokensMatching(tokens: readonly Buffer[]): Promise<Selectable<ColocationTokenTable>[]> {
    return chunked([...new Set(tokens.map((t) => t.toString('hex')))].map((h) => Buffer.from(h, 'hex')), (c) => this.db.selectFrom('colocation_tokens').selectAll().where('token', 'in', c).execute());
  }

  async districtTokensMatching(tokens: readonly Buffer[]): Promise<DistrictDayTokenRow[]> {
    return chunked(tokens, (c) => this.db.selectFrom('district_day_tokens').selectAll().where('token', 'in', c).execute());
  }

  async insertDistrictTokens(rows: readonly NewDistrictDayToken[]): Promise<void> {
    await insertMany(this.db as unknown as Db, 'district_day_tokens' as never, rows as never);
  }

  /** Deletes district-day token rows by their exact (token, ref) pair. */
  async deleteDistrictTokens(rows: readonly DistrictDayTokenRow[]): Promise<void> {
    for (const r of rows) await this.db.deleteFrom('district_day_tokens').where('token', '=', r.token).where('ref', '=', r.ref).execute();
  }

  async travelByIds(ids: readonly string[]): Promise<Selectable<TravelRecordTable>[]> {
    return chunked(ids, (c) => this.db.selectFrom('travel_records').selectAll().where('id', 'in', c).execute());
  }

  /** Travel records by id with their subject's wrapped data key (one query: discovery's hot path). */
  async travelWithKeysByIds(ids: readonly string[]): Promise<TravelWithKey[]> {
    return chunked([...new Set(ids)], (c) => this.db.selectFrom('travel_records as t').innerJoin('subject_keys as k', 'k.subject_id', 't.subject_id')
      .select(['t.id', 't.subject_id', 't.sealed', 'k.root_version', 'k.wrapped']).where('t.id', 'in', c).execute());
  }

  /** Every travel record of these subjects with their wrapped data keys (one query). */
  async travelWithKeysOfSubjects(subjectIds: readonly string[]): Promise<TravelWithKey[]> {
    return chunked([...new Set(subjectIds)], (c) => this.db.selectFrom('travel_records as t').innerJoin('subject_keys as k', 'k.subject_id', 't.subject_id')
      .select(['t.id', 't.subject_id', 't.sealed', 'k.root_version', 'k.wrapped']).where('t.subject_id', 'in', c).execute());
  }

  async travelOfSubjects(subjectIds: readonly string[]): Promise<Selectable<TravelRecordTable>[]> {
    return chunked([...new Set(subjectIds)], (c) => this.db.selectFrom('travel_records').selectAll().where('subject_id', 'in', c).execute());
  }

  async keysOf(subjectIds: readonly string[]): Promise<Selectable<SubjectKeyTable>[]> {
    return chunked([...new Set(subjectIds)], (c) => this.db.selectFrom('subject_keys').selectAll().where('subject_id', 'in', c).execute());
  }

  async placesByIds(ids: readonly string[]): Promise<Selectable<PlaceTable>[]> {
    return chunked([...new Set(ids)], (c) => this.db.selectFrom('places').selectAll().where('id', 'in', c).execute());
  }

  async subjectsByIds(ids: readonly string[]): Promise<{ id: string; jurisdiction_code: string }[]> {
    return chunked([...new Set(ids)], (c) => this.db.selectFrom('subjects').select(['id', 'jurisdiction_code']).where('id', 'in', c).execute());
  }

  // ---- candidates and dismissals --------------------------------------------------------------

  async candidatesOfCase(caseId: string): Promise<CandidateRow[]> {
    return this.db.selectFrom('discovery_candidates').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  }

  async getCandidate(id: string): Promise<CandidateRow | undefined> {
    return this.db.selectFrom('discovery_candidates').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertCandidates(rows: readonly Insertable<DiscoveryCandidateTable>[]): Promise<void> {
    for (const row of rows) await this.db.insertInto('discovery_candidates').values(row).execute();
  }

  async updateCandidate(id: string, change: Updateable<DiscoveryCandidateTable>): Promise<void> {
    await this.db.updateTable('discovery_candidates').set(change).where('id', '=', id).execute();
  }

  /** Moves an open candidate to `status`; false if it was no longer open (another tracer decided first). */
  async decideCandidate(id: string, status: 'confirmed' | 'dismissed', at: string): Promise<boolean> {
    const r = await this.db.updateTable('discovery_candidates').set({ status, updated_at: at }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Removes candidates nobody acted on (a new discovery run no longer finds them). */
  async deleteOpenCandidates(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('discovery_candidates').where('id', 'in', ids as string[]).where('status', '=', 'open').execute();
  }

  async insertDismissal(row: Insertable<DiscoveryDismissalTable>): Promise<void> {
    await this.db.insertInto('discovery_dismissals').values(row).execute();
  }

  async dismissalsOf(candidateIds: readonly string[]): Promise<DismissalRow[]> {
    return chunked(candidateIds, (c) => this.db.selectFrom('discovery_dismissals').selectAll().where('candidate_id', 'in', c).execute());
  }

  // ---- quarantines and follow-up --------------------------------------------------------------

  async insertQuarantine(row: Insertable<QuarantineTable>): Promise<void> {
    await this.db.insertInto('quarantines').values(row).execute();
  }

  async getQuarantine(id: string): Promise<QuarantineRow | undefined> {
    return this.db.selectFrom('quarantines').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async quarantineOfLink(linkId: string): Promise<QuarantineRow | undefined> {
    return this.db.selectFrom('quarantines').selectAll().where('contact_link_id', '=', linkId).executeTakeFirst();
  }

  async quarantinesOfLinks(linkIds: readonly string[]): Promise<QuarantineRow[]> {
    return chunked(linkIds, (c) => this.db.selectFrom('quarantines').selectAll().where('contact_link_id', 'in', c).execute());
  }

  async quarantinesOfSubject(subjectId: string): Promise<QuarantineRow[]> {
    return this.db.selectFrom('quarantines').selectAll().where('subject_id', '=', subjectId).orderBy('id').execute();
  }

  /** Quarantines under a jurisdiction prefix (GB/T 2260 canonical code), by status. */
  async quarantinesIn(jurisdictionPrefix: string, status: string, afterId: string | undefined, limit: number): Promise<QuarantineRow[]> {
    let q = this.db.selectFrom('quarantines').selectAll().where('jurisdiction_code', 'like', `${jurisdictionPrefix}%`).where('status', '=', status);
    if (afterId !== undefined) q = q.where('id', '>', afterId);
    return q.orderBy('id').limit(limit).execute();
  }

  async updateQuarantine(id: string, change: Updateable<QuarantineTable>): Promise<void> {
    await this.db.updateTable('quarantines').set(change).where('id', '=', id).execute();
  }

  async insertFollowup(row: Insertable<FollowupEntryTable>): Promise<void> {
    await this.db.insertInto('followup_entries').values(row).execute();
  }

  async followupsOf(quarantineId: string): Promise<FollowupRow[]> {
    return this.db.selectFrom('followup_entries').selectAll().where('quarantine_id', '=', quarantineId).orderBy('created_at').orderBy('id').execute();
  }

  // ---- secondary contacts ---------------------------------------------------------------------

  async insertSecondary(row: Insertable<SecondaryContactTable>): Promise<void> {
    await this.db.insertInto('secondary_contacts').values(row).execute();
  }

  async getSecondary(id: string): Promise<SecondaryContactRow | undefined> {
    return this.db.selectFrom('secondary_contacts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async secondariesOfLinks(linkIds: readonly string[]): Promise<SecondaryContactRow[]> {
    return chunked(linkIds, (c) => this.db.selectFrom('secondary_contacts').selectAll().where('contact_link_id', 'in', c).orderBy('created_at').orderBy('id').execute());
  }

  async secondariesOfSubjects(subjectIds: readonly string[]): Promise<SecondaryContactRow[]> {
    return chunked(subjectIds, (c) => this.db.selectFrom('secondary_contacts').selectAll().where('subject_id', 'in', c).execute());
  }

  // ---- the outbreak graph (clear pseudonymous pairs) ------------------------------------------

  async casesOfSubjects(subjectIds: readonly string[]): Promise<TracingCaseRow[]> {
    return chunked(subjectIds, (c) => this.db.selectFrom('cases').selectAll().where('subject_id', 'in', c).execute());
  }

  async casesByIds(ids: readonly string[]): Promise<TracingCaseRow[]> {
    return chunked(ids, (c) => this.db.selectFrom('cases').selectAll().where('id', 'in', c).execute());
  }

  async linksOfCases(caseIds: readonly string[]): Promise<TracingLinkRow[]> {
    return chunked(caseIds, (c) => this.db.selectFrom('contact_links').selectAll().where('case_id', 'in', c).execute());
  }

  async linksOfContacts(subjectIds: readonly string[]): Promise<TracingLinkRow[]> {
    return chunked(subjectIds, (c) => this.db.selectFrom('contact_links').selectAll().where('contact_subject_id', 'in', c).execute());
  }

  async linksByIds(ids: readonly string[]): Promise<TracingLinkRow[]> {
    return chunked(ids, (c) => this.db.selectFrom('contact_links').selectAll().where('id', 'in', c).execute());
  }

  // ---- hand-overs ----------------------------------------------------------------------------

  async insertHandover(row: Insertable<HandoverTable>): Promise<void> {
    await this.db.insertInto('handovers').values(row).execute();
  }

  async handoversOfLink(linkId: string): Promise<HandoverRow[]> {
    return this.db.selectFrom('handovers').selectAll().where('contact_link_id', '=', linkId).orderBy('created_at', 'desc').orderBy('id').execute();
  }

  async getHandover(id: string): Promise<HandoverRow | undefined> {
    return this.db.selectFrom('handovers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async handoversTo(jurisdictionPrefix: string, status: string, limit: number): Promise<HandoverRow[]> {
    return this.db.selectFrom('handovers').selectAll().where('to_jurisdiction', 'like', `${jurisdictionPrefix}%`).where('status', '=', status).orderBy('created_at').orderBy('id').limit(limit).execute();
  }

  /** Decides a pending hand-over; false if it was no longer pending (two supervisors at once). */
  async decideHandover(id: string, status: 'accepted' | 'declined', by: string, at: string): Promise<boolean> {
    const r = await this.db.updateTable('handovers').set({ status, decided_by: by, decided_at: at }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // ---- risk areas and risk status ---------------------------------------------------------------

  async insertRiskArea(row: Insertable<RiskAreaTable>): Promise<void> {
    await this.db.insertInto('risk_areas').values(row).execute();
  }

  async getRiskArea(id: string): Promise<RiskAreaRow | undefined> {
    return this.db.selectFrom('risk_areas').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Areas valid at `now` (declared, not revoked, inside their validity period). */
  async activeRiskAreas(now: string): Promise<RiskAreaRow[]> {
    return this.db.selectFrom('risk_areas').selectAll().where('valid_from', '<=', now).where('valid_until', '>', now).where('revoked_at', 'is', null).orderBy('id').execute();
  }

  async riskAreasIn(jurisdictionPrefix: string, limit: number): Promise<RiskAreaRow[]> {
    return this.db.selectFrom('risk_areas').selectAll().where('jurisdiction_code', 'like', `${jurisdictionPrefix}%`).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
  }

  async revokeRiskArea(id: string, by: string, at: string): Promise<boolean> {
    const r = await this.db.updateTable('risk_areas').set({ revoked_by: by, revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async getRiskStatus(subjectId: string): Promise<RiskStatusRow | undefined> {
    return this.db.selectFrom('risk_status').selectAll().where('subject_id', '=', subjectId).executeTakeFirst();
  }

  async riskStatusesOf(subjectIds: readonly string[]): Promise<RiskStatusRow[]> {
    return chunked(subjectIds, (c) => this.db.selectFrom('risk_status').selectAll().where('subject_id', 'in', c).execute());
  }

  async putRiskStatus(row: RiskStatusRow): Promise<void> {
    await this.db.insertInto('risk_status').values(row)
      .onConflict((oc) => oc.column('subject_id').doUpdateSet({ status: row.status, reason: row.reason, computed_at: row.computed_at })).execute();
  }

  /** Subjects whose stored status has one of these reasons (to recompute when what gave it may have changed). */
  async subjectsWithReason(reasons: readonly string[], afterId: string | undefined, limit: number): Promise<string[]> {
    if (reasons.length === 0) return [];
    let q = this.db.selectFrom('risk_status').select('subject_id').where('reason', 'in', reasons as string[]);
    if (afterId !== undefined) q = q.where('subject_id', '>', afterId);
    return (await q.orderBy('subject_id').limit(limit).execute()).map((r) => r.subject_id);
  }
}
