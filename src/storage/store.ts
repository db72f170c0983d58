import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { Db, OpenDatabase } from './database.ts';
import { AccessRepository } from './access.repository.ts';
import { AuditRepository } from './audit.repository.ts';
import type { AuditLogHashing } from './audit.repository.ts';
import type { Engine } from './engine.ts';
import { CaseRepository } from './case.repository.ts';
import { ContactRepository } from './contact.repository.ts';
import { NoteRepository } from './note.repository.ts';
import { StaffRepository } from './staff.repository.ts';
import { SubjectRepository } from './subject.repository.ts';
import { SystemRepository } from './system.repository.ts';
import { TravelRepository } from './travel.repository.ts';
import { TracingRepository } from './tracing.repository.ts';
import { ReleaseRepository } from './release.repository.ts';
import { PublicDataRepository } from './repositories/public-data.repository.ts';

/** The repositories over one connection or one transaction. */
export class Repositories {
  readonly subjects: SubjectRepository;
  readonly cases: CaseRepository;
  readonly travel: TravelRepository;
  readonly audit: AuditRepository;
  readonly system: SystemRepository;
  readonly access: AccessRepository;
  readonly contacts: ContactRepository;
  readonly notes: NoteRepository;
  readonly staff: StaffRepository;
  readonly tracing: TracingRepository;
  readonly releases: ReleaseRepository;

  constructor(db: Db | Transaction<Database>, engine: Engine, auditHashing: AuditLogHashing | null) {
    this.subjects = new SubjectRepository(db);
    this.cases = new CaseRepository(db);
    this.travel = new TravelRepository(db);
    this.audit = new AuditRepository(db, engine, auditHashing);
    this.system = new SystemRepository(db);
    this.access = new AccessRepository(db);
    this.contacts = new ContactRepository(db);
    this.notes = new NoteRepository(db);
    this.staff = new StaffRepository(db);
    this.tracing = new TracingRepository(db);
    this.releases = new ReleaseRepository(db);
  }
}

export interface StoreOptions {
  /**
   * The audit log's hashing (src/audit `auditLogHashing`), injected because storage never hashes.
   * Without it everything works except appending audit events, which then fails (closed).
   */
  readonly auditHashing?: AuditLogHashing;
}

/** The only way services reach the database: repositories, and transactions over them. */
export class Store extends Repositories {
  /** The public site's reader: published artifacts and places only, through a table guard. */
  readonly publicData: PublicDataRepository;

  constructor(private readonly open: OpenDatabase, private readonly options: StoreOptions = {}) {
    super(open.db, open.engine, options.auditHashing ?? null);
    this.publicData = new PublicDataRepository(open.db);
  }

  get engine() {
    return this.open.engine;
  }

  get file() {
    return this.open.file;
  }

  /** Runs `fn` in one transaction: everything it writes, including audit events, commits together or not at all. */
  async transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.open.db.transaction().execute((trx) => fn(new Repositories(trx, this.open.engine, this.options.auditHashing ?? null)));
  }

  /** Moves the SQLite WAL into the main file (before a size report or backup). */
  async checkpoint(): Promise<void> {
    if (this.open.engine === 'sqlite') {
      await sql`pragma wal_checkpoint(truncate)`.execute(this.open.db);
    }
  }

  close(): Promise<void> {
    return this.open.close();
  }
}

export { openDatabase, DEFAULT_SQLITE_CACHE_MIB } from './database.ts';
export type { SqliteTuning } from './database.ts';
export { parseDatabaseUrl, describeDatabase } from './engine.ts';
export type { Engine, DatabaseTarget } from './engine.ts';
export type { AuditCheckpointRow, AuditEventRecord, AuditQuery, AuditEventRow, AuditLogHashing, AuditTile, AuditTreeHead, NewAuditEvent, TileEntry } from './audit.repository.ts';
export { splitHashes, TILE_WIDTH } from './audit.repository.ts';
