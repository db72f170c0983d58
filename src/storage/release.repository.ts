import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { Db } from './database.ts';

/**
 * Disclosure releases (migration 0005, docs/DISCLOSURE-STANDARD.md "Workflow"). `content`, `risk`,
 * `failures` and `artifact` are JSON text of de-identified, checked data; the rest are ids, states,
 * division codes and times. The public API reaches this repository only through the two
 * published-artifact reads (`liveArtifacts`, `liveArtifact`), handed to it as a narrow function.
 * A published exposure-points artifact is revised (migration 0007) as its points expire.
 */
export interface ReleaseTable {
  id: string; type: string; status: string; jurisdiction_code: string; standard_version: string; recipient: string | null;
  content: string; risk: string; check_passed: number; failures: string; expires_at: string | null;
  prepared_by: string; prepared_at: string; published_at: string | null; withdrawn_by: string | null; withdrawn_at: string | null;
}
export interface ReleaseApprovalTable { release_id: string; account_id: string; decided_at: string }
export interface PublishedArtifactTable {
  release_id: string; public: number; artifact: string; signature: string; key_id: string; published_at: string; expires_at: string | null; withdrawn_at: string | null;
  /** 0 as published; raised by each signed revision that removes expired exposure points (migration 0007). */
  revision: Generated<number>;
  /** The earliest `expiresAt` of the exposure points the served artifact holds; the artifact is not served from then on. */
  points_expire_at: ColumnType<string | null, string | null | undefined, string | null>;
}
/** A superseded revision of a published artifact, kept with its signature (migration 0007). */
export interface PublishedArtifactRevisionTable { release_id: string; revision: number; artifact: string; signature: string; key_id: string; superseded_at: string }
export interface PrivacyBudgetLedgerTable { dataset: string; idx: number; release_id: string; period: string; epsilon: string; charged_at: string }

export interface ReleaseTables {
  releases: ReleaseTable;
  release_approvals: ReleaseApprovalTable;
  published_artifacts: PublishedArtifactTable;
  published_artifact_revisions: PublishedArtifactRevisionTable;
  privacy_budget_ledger: PrivacyBudgetLedgerTable;
}

type ReleaseDb = Kysely<Database & ReleaseTables> | Transaction<Database & ReleaseTables>;

export type ReleaseRow = Selectable<ReleaseTable>;
export type NewRelease = Insertable<ReleaseTable>;
export type PublishedArtifactRow = Selectable<PublishedArtifactTable>;
export type LedgerRow = Selectable<PrivacyBudgetLedgerTable>;

export class ReleaseRepository {
  private readonly db: ReleaseDb;

  constructor(db: Db | Transaction<Database>) {
    this.db = db as unknown as ReleaseDb;
  }

  // ---- releases ----------------------------------------------------------------------------------

  async insertRelease(row: NewRelease): Promise<void> {
    await this.db.insertInto('releases').values(row).execute();
  }

  async getRelease(id: string): Promise<ReleaseRow | undefined> {
    return this.db.selectFrom('releases').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Releases whose jurisdiction starts with the prefix, newest first. */
  async listReleases(jurisdictionPrefix: string, limit: number): Promise<ReleaseRow[]> {
    return this.db.selectFrom('releases').selectAll().where('jurisdiction_code', 'like', `${jurisdictionPrefix}%`)
      .orderBy('prepared_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /** Moves a release from one status to the next; false if it was no longer in `from` (a concurrent change). */
  async moveRelease(id: string, from: string, to: string, change: { published_at?: string; withdrawn_by?: string; withdrawn_at?: string } = {}): Promise<boolean> {
    const r = await this.db.updateTable('releases').set({ status: to, ...change }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async insertApproval(row: Insertable<ReleaseApprovalTable>): Promise<void> {
    await this.db.insertInto('release_approvals').values(row).execute();
  }

  async approvalsOf(releaseId: string): Promise<Selectable<ReleaseApprovalTable>[]> {
    return this.db.selectFrom('release_approvals').selectAll().where('release_id', '=', releaseId).orderBy('decided_at').execute();
  }

  // ---- published artifacts -----------------------------------------------------------------------

  async insertArtifact(row: Insertable<PublishedArtifactTable>): Promise<void> {
    await this.db.insertInto('published_artifacts').values(row).execute();
  }

  async getArtifact(releaseId: string): Promise<PublishedArtifactRow | undefined> {
    return this.db.selectFrom('published_artifacts').selectAll().where('release_id', '=', releaseId).executeTakeFirst();
  }

  async withdrawArtifact(releaseId: string, at: string): Promise<void> {
    await this.db.updateTable('published_artifacts').set({ withdrawn_at: at }).where('release_id', '=', releaseId).where('withdrawn_at', 'is', null).execute();
  }

  /**
   * Public, unwithdrawn, unexpired artifacts, newest first. An artifact still holding an exposure
   * point whose own expiry has passed (`points_expire_at`) is not served until the expiry step has
   * signed a revision without it: an expired point is never served.
   */
  async liveArtifacts(now: string, limit: number): Promise<PublishedArtifactRow[]> {
    return this.db.selectFrom('published_artifacts').selectAll().where('public', '=', 1).where('withdrawn_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .where((eb) => eb.or([eb('points_expire_at', 'is', null), eb('points_expire_at', '>', now)]))
      .orderBy('published_at', 'desc').orderBy('release_id', 'desc').limit(limit).execute();
  }

  async liveArtifact(releaseId: string, now: string): Promise<PublishedArtifactRow | undefined> {
    return this.db.selectFrom('published_artifacts').selectAll().where('release_id', '=', releaseId).where('public', '=', 1).where('withdrawn_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .where((eb) => eb.or([eb('points_expire_at', 'is', null), eb('points_expire_at', '>', now)])).executeTakeFirst();
  }

  // ---- expiry of exposure points (migration 0007) ------------------------------------------------

  /**
   * Served (public, unwithdrawn, unexpired) exposure-points artifacts whose earliest point expiry
   * has come by `now`, or is not known yet (published before migration 0007), oldest first.
   */
  async artifactsWithPointsDue(now: string, limit: number): Promise<PublishedArtifactRow[]> {
    return this.db.selectFrom('published_artifacts').innerJoin('releases', 'releases.id', 'published_artifacts.release_id')
      .selectAll('published_artifacts').where('releases.type', '=', 'exposure_points')
      .where('published_artifacts.public', '=', 1).where('published_artifacts.withdrawn_at', 'is', null)
      .where((eb) => eb.or([eb('published_artifacts.expires_at', 'is', null), eb('published_artifacts.expires_at', '>', now)]))
      .where((eb) => eb.or([eb('published_artifacts.points_expire_at', 'is', null), eb('published_artifacts.points_expire_at', '<=', now)]))
      .orderBy('published_artifacts.published_at').orderBy('published_artifacts.release_id').limit(limit).execute();
  }

  /** The earliest point expiry after `now` among served artifacts (when the expiry step is next due), or null. */
  async nextPointExpiry(now: string): Promise<string | null> {
    const r = await this.db.selectFrom('published_artifacts').select((eb) => eb.fn.min('points_expire_at').as('next'))
      .where('public', '=', 1).where('withdrawn_at', 'is', null).where('points_expire_at', '>', now).executeTakeFirst();
    return (r?.next as string | null | undefined) ?? null;
  }

  /** Records the earliest point expiry of the served revision (no new revision); false if the revision changed. */
  async setPointsExpiry(releaseId: string, revision: number, pointsExpireAt: string | null): Promise<boolean> {
    const r = await this.db.updateTable('published_artifacts').set({ points_expire_at: pointsExpireAt })
      .where('release_id', '=', releaseId).where('revision', '=', revision).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Replaces the served artifact of a release by its next revision, keeping the superseded one (and
   * its signature) in `published_artifact_revisions`. False when the served revision is no longer
   * `revision` or the release was withdrawn meanwhile (nothing is written then).
   */
  async reviseArtifact(releaseId: string, revision: number, next: { artifact: string; signature: string; key_id: string; points_expire_at: string | null }, at: string): Promise<boolean> {
    const current = await this.db.selectFrom('published_artifacts').selectAll().where('release_id', '=', releaseId).where('revision', '=', revision).where('withdrawn_at', 'is', null).executeTakeFirst();
    if (!current) return false;
    const r = await this.db.updateTable('published_artifacts').set({ ...next, revision: revision + 1 })
      .where('release_id', '=', releaseId).where('revision', '=', revision).where('withdrawn_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await this.db.insertInto('published_artifact_revisions').values({ release_id: releaseId, revision, artifact: current.artifact, signature: current.signature, key_id: current.key_id, superseded_at: at }).execute();
    return true;
  }

  /** The superseded revisions of a release's artifact, oldest first. */
  async artifactRevisions(releaseId: string): Promise<Selectable<PublishedArtifactRevisionTable>[]> {
    return this.db.selectFrom('published_artifact_revisions').selectAll().where('release_id', '=', releaseId).orderBy('revision').execute();
  }

  // ---- the privacy-budget ledger (BudgetLedgerStore) ---------------------------------------------

  async ledgerOf(dataset: string): Promise<LedgerRow[]> {
    return this.db.selectFrom('privacy_budget_ledger').selectAll().where('dataset', '=', dataset).orderBy('idx').execute();
  }

  /**
   * Appends charges at positions `expectedCount`, `expectedCount + 1`, … of the data set; the
   * primary key (dataset, idx) makes a concurrent append of the same positions fail. Returns false
   * when the data set no longer has exactly `expectedCount` charges.
   */
  async ledgerAppend(dataset: string, rows: readonly Omit<LedgerRow, 'dataset' | 'idx'>[], expectedCount: number): Promise<boolean> {
    const { n } = await this.db.selectFrom('privacy_budget_ledger').select((eb) => eb.fn.countAll<number>().as('n')).where('dataset', '=', dataset).executeTakeFirstOrThrow();
    if (Number(n) !== expectedCount) return false;
    if (rows.length === 0) return true;
    await this.db.insertInto('privacy_budget_ledger').values(rows.map((r, i) => ({ ...r, dataset, idx: expectedCount + i }))).execute();
    return true;
  }

  // ---- what releases are built from (clear columns only) -----------------------------------------

  /** Cases of these classifications reported in [from, to] under the jurisdiction prefix (no sealed column). */
  async casesReported(jurisdictionPrefix: string, classifications: readonly string[], from: string, to: string): Promise<{ id: string; subject_id: string; jurisdiction_code: string; report_date: string; confirmation_date: string | null; classification: string }[]> {
    return this.db.selectFrom('cases').select(['id', 'subject_id', 'jurisdiction_code', 'report_date', 'confirmation_date', 'classification'])
      .where('jurisdiction_code', 'like', `${jurisdictionPrefix}%`).where('classification', 'in', [...classifications])
      .where('report_date', '>=', from).where('report_date', '<=', to).orderBy('report_date').orderBy('id').execute();
  }

  /** The sealed part of these cases (onset date, outcome), for the service to open under each subject's key. */
  async sealedCases(ids: readonly string[]): Promise<{ id: string; subject_id: string; sealed: Buffer }[]> {
    if (ids.length === 0) return [];
    const out: { id: string; subject_id: string; sealed: Buffer }[] = [];
    for (let i = 0; i < ids.length; i += 5000) {
      out.push(...await this.db.selectFrom('cases').select(['id', 'subject_id', 'sealed']).where('id', 'in', ids.slice(i, i + 5000)).execute());
    }
    return out;
  }

  /** The owner of each of these travel records (clear `subject_id` only; the sealed visit stays sealed). */
  async travelOwners(ids: readonly string[]): Promise<{ id: string; subject_id: string }[]> {
    const out: { id: string; subject_id: string }[] = [];
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 5000) {
      out.push(...await this.db.selectFrom('travel_records').select(['id', 'subject_id']).where('id', 'in', unique.slice(i, i + 5000)).execute());
    }
    return out;
  }

  /** Registered subjects under the prefix, by id after `afterId` (the register for the journalist risk). */
  async subjectsIn(jurisdictionPrefix: string, afterId: string, limit: number): Promise<{ id: string; jurisdiction_code: string }[]> {
    return this.db.selectFrom('subjects').select(['id', 'jurisdiction_code']).where('jurisdiction_code', 'like', `${jurisdictionPrefix}%`)
      .where('id', '>', afterId).orderBy('id').limit(limit).execute();
  }

  /** New cases per (report date, case jurisdiction) in [from, to] under the prefix: clear columns only. */
  async dailyCaseCounts(jurisdictionPrefix: string, classifications: readonly string[], from: string, to: string): Promise<{ report_date: string; jurisdiction_code: string; n: number }[]> {
    const rows = await this.db.selectFrom('cases').select(['report_date', 'jurisdiction_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('jurisdiction_code', 'like', `${jurisdictionPrefix}%`).where('classification', 'in', [...classifications])
      .where('report_date', '>=', from).where('report_date', '<=', to).groupBy(['report_date', 'jurisdiction_code']).execute();
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  }
}
