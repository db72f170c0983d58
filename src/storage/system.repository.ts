import { sql } from 'kysely';
import type { Selectable, Transaction } from 'kysely';
import type { Database, WrappedKeyTable } from './schema.ts';
import type { Db } from './database.ts';

export type WrappedKeyRow = Selectable<WrappedKeyTable>;

/** Tables counted by `epivault stats`: counts only, never contents. */
export const COUNTED_TABLES = ['subjects', 'identities', 'identity_documents', 'cases', 'observations', 'contact_links', 'travel_records', 'colocation_tokens', 'places', 'notes', 'audit_events'] as const;
export type CountedTable = (typeof COUNTED_TABLES)[number];

/** Configuration metadata, wrapped column keys, job progress, counts. */
export class SystemRepository {
  constructor(private readonly db: Db | Transaction<Database>) {}

  async getMeta(key: string): Promise<string | undefined> {
    return (await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.db.insertInto('meta').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
  }

  async wrappedKeys(): Promise<WrappedKeyRow[]> {
    return this.db.selectFrom('wrapped_keys').selectAll().orderBy('name').execute();
  }

  /** Inserts a wrapped key unless one of that name exists (two processes starting at once keep the first). */
  async insertWrappedKey(row: WrappedKeyRow): Promise<void> {
    await this.db.insertInto('wrapped_keys').values(row).onConflict((oc) => oc.column('name').doNothing()).execute();
  }

  async replaceWrappedKey(name: string, previousVersion: number, rootVersion: number, wrapped: Buffer): Promise<void> {
    await this.db.updateTable('wrapped_keys').set({ root_version: rootVersion, wrapped })
      .where('name', '=', name).where('root_version', '=', previousVersion).execute();
  }

  async getProgress(job: string): Promise<string | undefined> {
    return (await this.db.selectFrom('job_progress').select('cursor').where('job', '=', job).executeTakeFirst())?.cursor;
  }

  async setProgress(job: string, cursor: string, at: string): Promise<void> {
    await this.db.insertInto('job_progress').values({ job, cursor, updated_at: at })
      .onConflict((oc) => oc.column('job').doUpdateSet({ cursor, updated_at: at })).execute();
  }

  /**
   * SQLite only: this connection's `synchronous` level. A bulk load (seed) sets OFF while it runs,
   * then NORMAL again and checkpoints (Store.checkpoint), so that what it finished is durable.
   */
  async setSqliteSynchronous(level: 'OFF' | 'NORMAL'): Promise<void> {
    await sql.raw(`pragma synchronous = ${level === 'OFF' ? 'OFF' : 'NORMAL'}`).execute(this.db);
  }

  /**
   * SQLite only: this connection's WAL auto-checkpoint threshold in pages (SQLite's default is
   * 1,000); returns the previous one. A bulk import raises it while it runs, so that index pages
   * written by several batches reach the database file once per checkpoint (and its fsync) instead
   * of after every batch; durability of commits is unchanged (synchronous stays as it is).
   */
  async setSqliteWalAutocheckpoint(pages: number): Promise<number> {
    if (!Number.isSafeInteger(pages) || pages < 0) throw new RangeError('pages must be a non-negative integer');
    const before = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(this.db);
    await sql.raw(`pragma wal_autocheckpoint = ${pages}`).execute(this.db);
    return Number(before.rows[0]?.wal_autocheckpoint ?? 1000);
  }

  async count(table: CountedTable): Promise<number> {
    const r = await this.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Counts by a clear column that docs/THREAT-MODEL.md lists as clear (classification, district). */
  async casesByClassification(): Promise<Record<string, number>> {
    const rows = await this.db.selectFrom('cases').select(['classification', sql<number>`count(*)`.as('n')]).groupBy('classification').execute();
    return Object.fromEntries(rows.map((r) => [r.classification, Number(r.n)]));
  }
}
