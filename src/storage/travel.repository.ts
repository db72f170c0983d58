import type { Insertable, Selectable, Transaction } from 'kysely';
import type { ColocationTokenTable, Database, PlaceTable, TravelRecordTable } from './schema.ts';
import type { Db } from './database.ts';
import { insertMany } from './insert-many.ts';

export type PlaceRow = Selectable<PlaceTable>;
export type TravelRecordRow = Selectable<TravelRecordTable>;

/** Travel records (sealed), their co-location tokens, and the public venue registry. */
export class TravelRepository {
  constructor(private readonly db: Db | Transaction<Database>) {}

  async insertTravel(rows: readonly Insertable<TravelRecordTable>[]): Promise<void> {
    await insertMany(this.db, 'travel_records', rows);
  }

  /** Token rows are written in the order given; callers shuffle so order links nothing. */
  async insertTokens(rows: readonly Insertable<ColocationTokenTable>[]): Promise<void> {
    await insertMany(this.db, 'colocation_tokens', rows);
  }

  async travelOfSubject(subjectId: string): Promise<TravelRecordRow[]> {
    return this.db.selectFrom('travel_records').selectAll().where('subject_id', '=', subjectId).execute();
  }

  async getTravel(id: string): Promise<TravelRecordRow | undefined> {
    return this.db.selectFrom('travel_records').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** One page of a subject's travel records, by id (ids are random, so the order says nothing). */
  async pageOfSubject(subjectId: string, afterId: string | undefined, limit: number): Promise<TravelRecordRow[]> {
    let q = this.db.selectFrom('travel_records').selectAll().where('subject_id', '=', subjectId);
    if (afterId !== undefined) q = q.where('id', '>', afterId);
    return q.orderBy('id').limit(limit).execute();
  }

  async updateTravel(id: string, sealed: Buffer): Promise<void> {
    await this.db.updateTable('travel_records').set({ sealed }).where('id', '=', id).execute();
  }

  /** Deletes token rows by their exact (token, ref) pair. */
  async deleteTokens(rows: readonly Selectable<ColocationTokenTable>[]): Promise<void> {
    for (const r of rows) await this.db.deleteFrom('colocation_tokens').where('token', '=', r.token).where('ref', '=', r.ref).execute();
  }

  /** Token rows matching any of the given tokens: one equality query. */
  async tokensMatching(tokens: readonly Buffer[]): Promise<Selectable<ColocationTokenTable>[]> {
    if (tokens.length === 0) return [];
    return this.db.selectFrom('colocation_tokens').selectAll().where('token', 'in', tokens as Buffer[]).execute();
  }

  async insertPlaces(rows: readonly Insertable<PlaceTable>[]): Promise<void> {
    await insertMany(this.db, 'places', rows);
  }

  /** Which of the given place ids exist (an idempotent registry load inserts only the others). */
  async existingPlaceIds(ids: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < ids.length; i += 5000) {
      const rows = await this.db.selectFrom('places').select('id').where('id', 'in', ids.slice(i, i + 5000) as string[]).execute();
      for (const r of rows) out.add(r.id);
    }
    return out;
  }

  async listPlaces(): Promise<PlaceRow[]> {
    return this.db.selectFrom('places').selectAll().orderBy('id').execute();
  }

  async getPlace(id: string): Promise<PlaceRow | undefined> {
    return this.db.selectFrom('places').selectAll().where('id', '=', id).executeTakeFirst();
  }
}
