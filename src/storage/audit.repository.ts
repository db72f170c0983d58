import { sql } from 'kysely';
import type { Insertable, Selectable, Transaction } from 'kysely';
import type { AuditCheckpointTable, AuditEventTable, Database } from './schema.ts';
import type { Db } from './database.ts';
import type { Engine } from './engine.ts';
import { insertMany } from './insert-many.ts';
import { precompiled } from './precompiled.ts';

// The statements every append runs, compiled once per dialect (precompiled.ts): reads append their events in small groups.
const lockHeadForUpdate = precompiled(0, (db) => db.selectFrom('audit_tree_head').select(['size', 'root', 'frontier', 'updated_at']).where('id', '=', 1).forUpdate());
const lockHeadByWrite = precompiled(0, (db) => db.updateTable('audit_tree_head').set((eb) => ({ size: eb.ref('size') })).where('id', '=', 1).returning(['size', 'root', 'frontier', 'updated_at']));
const writeHead = precompiled(4, (db, size, root, frontier, updatedAt) => db.updateTable('audit_tree_head')
  .set({ size: size as unknown as number, root: root as unknown as Buffer, frontier: frontier as unknown as Buffer, updated_at: updatedAt }).where('id', '=', 1));

export type AuditEventRow = Selectable<AuditEventTable>;
/** An event as it is hashed into the log: every column but the leaf hash itself. */
export type AuditEventRecord = Omit<AuditEventRow, 'leaf_hash'>;
/** An event to append: the log assigns `seq` and computes `leaf_hash`. */
/** An auditor's filters (every one optional), with keyset pagination. */
export interface AuditQuery {
  readonly actor?: string;
  readonly subjectRef?: string;
  readonly action?: string;
  readonly from?: string;
  readonly to?: string;
  readonly beforeSeq?: number;
  readonly limit: number;
}

export type NewAuditEvent = Omit<Insertable<AuditEventTable>, 'seq' | 'leaf_hash'>;
export type AuditCheckpointRow = Selectable<AuditCheckpointTable>;

/** A hash completed for a tile of level ≥ 1: the node at height 8·level with this index. */
export interface TileEntry {
  readonly level: number;
  readonly index: number;
  readonly hash: Buffer;
}

/**
 * The hashing the log needs, injected because storage never hashes itself (only src/crypto does;
 * src/audit provides the implementation): the leaf hash of an event, and extending the compact
 * range by some leaves, which yields the new compact range, the new root and the tile entries
 * completed on the way.
 */
export interface AuditLogHashing {
  leafHash(event: AuditEventRecord): Buffer;
  extend(size: number, frontier: readonly Buffer[], leaves: readonly Buffer[]): { frontier: Buffer[]; root: Buffer; tileEntries: TileEntry[] };
}

export interface AuditTreeHead {
  size: number;
  root: Buffer;
  /** Compact range: roots of the perfect subtrees along the right edge, largest first. */
  frontier: Buffer[];
  updatedAt: string;
}

export interface AuditTile {
  level: number;
  idx: number;
  width: number;
  hashes: Buffer;
}

const HASH = 32;
export const TILE_WIDTH = 256;

export const splitHashes = (b: Buffer): Buffer[] => Array.from({ length: b.length / HASH }, (_, i) => Buffer.from(b.subarray(i * HASH, (i + 1) * HASH)));

/**
 * The audit log: the append-only event table, and the Merkle tree over it (docs/AUDIT.md). There
 * is deliberately no update or delete of events here. Appends run inside the caller's transaction:
 * they lock the tree head, number the events after it (seq dense from 1), hash them, and write the
 * events, the tiles they complete and the new head together, so a failed audit write fails the caller.
 */
export class AuditRepository {
  constructor(
    private readonly db: Db | Transaction<Database>,
    private readonly engine: Engine,
    private readonly hashing: AuditLogHashing | null,
  ) {}

  async append(event: NewAuditEvent): Promise<number> {
    const [seq] = await this.appendMany([event]);
    return seq!;
  }

  /** Appends events in order (bulk jobs: one event per record created); returns their seqs. */
  async appendMany(events: readonly NewAuditEvent[]): Promise<number[]> {
    if (events.length === 0) return [];
    const hashing = this.hashing;
    if (!hashing) throw new Error('audit log hashing is not configured: construct the Store with an AuditLogHashing');
    // The lock, the events, the tiles and the head must commit together: outside a transaction, open one.
    if (!this.db.isTransaction) return this.db.transaction().execute((trx) => new AuditRepository(trx, this.engine, hashing).appendMany(events));
    const head = await this.lockHead();
    const rows: AuditEventRow[] = events.map((e, i) => {
      const record: AuditEventRecord = {
        seq: head.size + i + 1,
        at: e.at, actor: e.actor, actor_role: e.actor_role, action: e.action, resource_type: e.resource_type,
        resource_id: e.resource_id ?? null, subject_ref: e.subject_ref ?? null, purpose: e.purpose, reason: e.reason ?? null,
        outcome: e.outcome, request_id: e.request_id ?? null,
      };
      return { ...record, leaf_hash: hashing.leafHash(record) };
    });
    const next = hashing.extend(head.size, head.frontier, rows.map((r) => r.leaf_hash));
    await insertMany(this.db, 'audit_events', rows);
    await this.writeLeafTiles(head.size, rows.map((r) => r.leaf_hash));
    await this.writeTileEntries(next.tileEntries);
    await writeHead.run(this.db, head.size + rows.length, next.root, Buffer.concat(next.frontier), new Date().toISOString());
    return rows.map((r) => r.seq);
  }

  /**
   * Takes the log's lock for the rest of the transaction and reads the head. PostgreSQL: a row
   * lock on the single head row (concurrent appenders queue there and then read the new head).
   * SQLite has one writer: a write to the head takes the database's write lock first, so the head
   * read is current (a transaction whose snapshot is stale fails here instead of forking the log).
   */
  private async lockHead(): Promise<AuditTreeHead> {
    const [row] = await (this.engine === 'postgres' ? lockHeadForUpdate : lockHeadByWrite).run(this.db);
    if (!row) throw new Error('audit log tree head is missing');
    return { size: Number(row.size), root: row.root, frontier: splitHashes(row.frontier), updatedAt: row.updated_at };
  }

  /**
   * Stores each level-0 tile these leaves complete (256 leaf hashes in one row, so that a proof
   * reads one row instead of 256). Only the first may start before this batch: its earlier
   * leaves are read back from the events.
   */
  private async writeLeafTiles(oldSize: number, leaves: readonly Buffer[]): Promise<void> {
    const newSize = oldSize + leaves.length;
    for (let t = Math.floor(oldSize / TILE_WIDTH); (t + 1) * TILE_WIDTH <= newSize; t++) {
      const start = t * TILE_WIDTH;
      const before = start < oldSize ? (await this.leafHashes(start + 1, oldSize)).map((r) => r.leaf_hash) : [];
      if (before.length !== Math.max(0, oldSize - start)) throw new Error(`audit log leaf hashes ${start + 1}..${oldSize} are incomplete`);
      const hashes = [...before, ...leaves.slice(Math.max(0, start - oldSize), start + TILE_WIDTH - oldSize)];
      await this.db.insertInto('audit_tiles').values({ level: 0, idx: t, width: TILE_WIDTH, hashes: Buffer.concat(hashes) }).execute();
    }
  }

  /** Adds completed hashes to their tiles: a new tile is inserted, a partial one grows (the database allows nothing else). */
  private async writeTileEntries(entries: readonly TileEntry[]): Promise<void> {
    const groups = new Map<string, { level: number; idx: number; first: number; hashes: Buffer[] }>();
    for (const e of entries) {
      const idx = Math.floor(e.index / TILE_WIDTH);
      const key = `${e.level}/${idx}`;
      const g = groups.get(key) ?? { level: e.level, idx, first: e.index % TILE_WIDTH, hashes: [] };
      if (g.first + g.hashes.length !== e.index % TILE_WIDTH) throw new Error('audit log tile entries out of order');
      g.hashes.push(e.hash);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      if (g.first === 0) {
        await this.db.insertInto('audit_tiles').values({ level: g.level, idx: g.idx, width: g.hashes.length, hashes: Buffer.concat(g.hashes) }).execute();
        continue;
      }
      const tile = await this.tile(g.level, g.idx);
      if (!tile || tile.width !== g.first) throw new Error(`audit log tile ${g.level}/${g.idx} does not match the tree head`);
      await this.db.updateTable('audit_tiles').set({ width: g.first + g.hashes.length, hashes: Buffer.concat([tile.hashes, ...g.hashes]) })
        .where('level', '=', g.level).where('idx', '=', g.idx).execute();
    }
  }

  /** The tree head, without locking (readers: proofs, checkpoints, verification). */
  async head(): Promise<AuditTreeHead> {
    const row = await this.db.selectFrom('audit_tree_head').selectAll().where('id', '=', 1).executeTakeFirst();
    if (!row) throw new Error('audit log tree head is missing');
    return { size: Number(row.size), root: row.root, frontier: splitHashes(row.frontier), updatedAt: row.updated_at };
  }

  async tile(level: number, idx: number): Promise<AuditTile | undefined> {
    const r = await this.db.selectFrom('audit_tiles').selectAll().where('level', '=', level).where('idx', '=', idx).executeTakeFirst();
    return r ? { level: Number(r.level), idx: Number(r.idx), width: Number(r.width), hashes: r.hashes } : undefined;
  }

  /** Tiles in (level, idx) order after the given position, for verification. */
  async tilesAfter(level: number, idx: number, limit: number): Promise<AuditTile[]> {
    const rows = await this.db.selectFrom('audit_tiles').selectAll()
      .where((eb) => eb.or([eb('level', '>', level), eb.and([eb('level', '=', level), eb('idx', '>', idx)])]))
      .orderBy('level').orderBy('idx').limit(limit).execute();
    return rows.map((r) => ({ level: Number(r.level), idx: Number(r.idx), width: Number(r.width), hashes: r.hashes }));
  }

  /** Stored leaf hashes of seqs [fromSeq, toSeq], in order (level-0 tiles are these). */
  async leafHashes(fromSeq: number, toSeq: number): Promise<{ seq: number; leaf_hash: Buffer }[]> {
    const rows = await this.db.selectFrom('audit_events').select(['seq', 'leaf_hash']).where('seq', '>=', fromSeq).where('seq', '<=', toSeq).orderBy('seq').execute();
    return rows.map((r) => ({ seq: Number(r.seq), leaf_hash: r.leaf_hash }));
  }

  async event(seq: number): Promise<AuditEventRow | undefined> {
    const r = await this.db.selectFrom('audit_events').selectAll().where('seq', '=', seq).executeTakeFirst();
    return r ? { ...r, seq: Number(r.seq) } : undefined;
  }

  async list(afterSeq: number, limit: number): Promise<AuditEventRow[]> {
    const rows = await this.db.selectFrom('audit_events').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  /**
   * Events matching an auditor's filters, newest first, keyset-paginated by seq (`beforeSeq`):
   * actor, subject reference, action, time range [from, to).
   */
  async query(filter: AuditQuery): Promise<AuditEventRecord[]> {
    let q = this.db.selectFrom('audit_events')
      .select(['seq', 'at', 'actor', 'actor_role', 'action', 'resource_type', 'resource_id', 'subject_ref', 'purpose', 'reason', 'outcome', 'request_id']);
    if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
    if (filter.subjectRef !== undefined) q = q.where('subject_ref', '=', filter.subjectRef);
    if (filter.action !== undefined) q = q.where('action', '=', filter.action);
    if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('at', '<', filter.to);
    if (filter.beforeSeq !== undefined) q = q.where('seq', '<', filter.beforeSeq);
    const rows = await q.orderBy('seq', 'desc').limit(filter.limit).execute();
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  /** Events with seq <= `uptoSeq` and time >= `from`, in seq order: the context a supervision scan looks back on. */
  async since(from: string, uptoSeq: number, limit: number): Promise<AuditEventRecord[]> {
    const rows = await this.db.selectFrom('audit_events')
      .select(['seq', 'at', 'actor', 'actor_role', 'action', 'resource_type', 'resource_id', 'subject_ref', 'purpose', 'reason', 'outcome', 'request_id'])
      .where('at', '>=', from).where('seq', '<=', uptoSeq).orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  /** Counts of one actor's events per action and outcome in [from, to): the per-staff activity report. */
  async activity(actor: string, from: string, to: string): Promise<{ action: string; outcome: string; n: number }[]> {
    const rows = await this.db.selectFrom('audit_events')
      .select(['action', 'outcome', (eb) => eb.fn.countAll<number>().as('n')])
      .where('actor', '=', actor).where('at', '>=', from).where('at', '<', to)
      .groupBy(['action', 'outcome']).orderBy('action').orderBy('outcome').execute();
    return rows.map((r) => ({ action: r.action, outcome: r.outcome, n: Number(r.n) }));
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Stores a signed checkpoint; one per tree size (a second one of the same size is ignored). */
  async insertCheckpoint(row: AuditCheckpointRow): Promise<void> {
    await this.db.insertInto('audit_checkpoints').values(row).onConflict((oc) => oc.column('size').doNothing()).execute();
  }

  async checkpoints(): Promise<AuditCheckpointRow[]> {
    const rows = await this.db.selectFrom('audit_checkpoints').selectAll().orderBy('size').execute();
    return rows.map((r) => ({ ...r, size: Number(r.size) }));
  }

  /** The checkpoint of the smallest size ≥ `size`, or the latest with `size` omitted. */
  async checkpointCovering(size?: number): Promise<AuditCheckpointRow | undefined> {
    const q = this.db.selectFrom('audit_checkpoints').selectAll();
    const r = size === undefined
      ? await q.orderBy('size', 'desc').limit(1).executeTakeFirst()
      : await q.where('size', '>=', size).orderBy('size').limit(1).executeTakeFirst();
    return r ? { ...r, size: Number(r.size) } : undefined;
  }

  /** Whether events written before the log existed are still waiting in `audit_events_legacy`. */
  async legacyPending(): Promise<boolean> {
    const r = await this.db.selectFrom('meta').select('value').where('key', '=', 'audit_legacy_pending').executeTakeFirst();
    return r?.value === '1';
  }

  /**
   * Appends up to `batch` events from `audit_events_legacy` (written before the Merkle log) to the
   * log, in their original order, and records how far it got in the same transaction; when none
   * are left, drops the legacy table. Returns how many were adopted (0: finished).
   */
  async adoptLegacy(batch: number): Promise<number> {
    if (!(await this.legacyPending())) return 0;
    const cursor = Number((await this.db.selectFrom('meta').select('value').where('key', '=', 'audit_legacy_cursor').executeTakeFirst())?.value ?? 0);
    const rows = await sql<AuditEventRecord>`select seq, at, actor, actor_role, action, resource_type, resource_id, subject_ref, purpose, reason, outcome, request_id
      from audit_events_legacy where seq > ${cursor} order by seq limit ${batch}`.execute(this.db);
    if (rows.rows.length === 0) {
      await sql`drop table audit_events_legacy`.execute(this.db);
      await this.db.updateTable('meta').set({ value: '0' }).where('key', '=', 'audit_legacy_pending').execute();
      return 0;
    }
    await this.appendMany(rows.rows.map(({ seq: _seq, ...e }) => e));
    const last = String(rows.rows[rows.rows.length - 1]!.seq);
    await this.db.insertInto('meta').values({ key: 'audit_legacy_cursor', value: last }).onConflict((oc) => oc.column('key').doUpdateSet({ value: last })).execute();
    return rows.rows.length;
  }
}
