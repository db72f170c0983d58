import type { Insertable, Selectable, Transaction } from 'kysely';
import type { AuditEventTable, Database } from './schema.ts';
import type { Db } from './database.ts';
import { insertMany } from './insert-many.ts';

export type AuditEventRow = Selectable<AuditEventTable>;
export type NewAuditEvent = Insertable<AuditEventTable>;

/** The append-only audit event table. There is deliberately no update or delete here. */
export class AuditRepository {
  constructor(private readonly db: Db | Transaction<Database>) {}

  async append(event: NewAuditEvent): Promise<number> {
    const r = await this.db.insertInto('audit_events').values(event).returning('seq').executeTakeFirstOrThrow();
    return Number(r.seq);
  }

  /** Appends events in order (bulk jobs: one event per record created). */
  async appendMany(events: readonly NewAuditEvent[]): Promise<void> {
    await insertMany(this.db, 'audit_events', events);
  }

  async list(afterSeq: number, limit: number): Promise<AuditEventRow[]> {
    return this.db.selectFrom('audit_events').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
