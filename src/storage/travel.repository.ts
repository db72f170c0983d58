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
