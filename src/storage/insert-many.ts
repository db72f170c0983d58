import type { Insertable, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { Db } from './database.ts';

/** SQLite allows 32,766 bound parameters per statement and PostgreSQL 65,535; stay under both. */
const MAX_PARAMS = 30000;

/** Inserts rows in multi-row statements sized to the engines' parameter limits. */
export async function insertMany<T extends keyof Database & string>(db: Db | Transaction<Database>, table: T, rows: readonly Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object).length || 1;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns));
  for (let i = 0; i < rows.length; i += perStatement) {
    await db.insertInto(table).values(rows.slice(i, i + perStatement) as never).execute();
  }
}
