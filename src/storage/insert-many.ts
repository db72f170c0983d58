import { CompiledQuery } from 'kysely';
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { Db } from './database.ts';

/** SQLite allows 32,766 bound parameters per statement and PostgreSQL 65,535; stay under both. */
const MAX_PARAMS = 30000;
/** Rows per statement at most (a power of two): a larger statement saves little and costs memory when cached. */
const MAX_ROWS_PER_STATEMENT = 512;

/**
 * SQL text of multi-row inserts, by shape: the one-row statement Kysely compiles for the table and
 * columns (its text differs between dialects: quoting, `?` or `$n`) and the number of rows.
 */
const templates = new Map<string, string>();
const MAX_TEMPLATES = 256;

type AnyDb = Db | Transaction<Database>;

/**
 * Inserts rows in multi-row statements sized to the engines' parameter limits.
 *
 * Bulk paths call this with thousands of rows of one shape (every row the same columns, none
 * undefined). Those rows are split into statements of a few fixed sizes (chunks of a power of
 * two, the rest as a sum of smaller powers of two), whose SQL text Kysely compiles once per shape
 * and dialect; each statement then runs as that text with the rows' values as parameters. This
 * skips building and compiling Kysely's operation tree for every row, and gives the SQLite driver
 * the same few statement texts over and over (src/storage/sqlite-statements.ts prepares each once).
 * The SQL and parameters are exactly those Kysely would produce for the same rows. Rows of mixed
 * shapes go through Kysely's builder as before.
 */
export async function insertMany<T extends keyof Database & string>(db: AnyDb, table: T, rows: readonly Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / (columns.length || 1)));
  if (columns.length === 0 || !sameShape(rows as readonly object[], columns)) {
    for (let i = 0; i < rows.length; i += perStatement) {
      await db.insertInto(table).values(rows.slice(i, i + perStatement) as never).execute();
    }
    return;
  }
  let chunk = 1;
  while (chunk * 2 <= Math.min(perStatement, MAX_ROWS_PER_STATEMENT)) chunk *= 2;
  const oneRow = Object.fromEntries(columns.map((c) => [c, null]));
  const shape = db.insertInto(table).values(oneRow as never).compile().sql;
  let i = 0;
  for (; i + chunk <= rows.length; i += chunk) await run(db, table, shape, oneRow, columns, rows, i, chunk);
  // The rest, largest power of two first: at most log2(chunk) more statements, each of a fixed size.
  for (let size = chunk >> 1; size >= 1; size >>= 1) {
    if (i + size <= rows.length) {
      await run(db, table, shape, oneRow, columns, rows, i, size);
      i += size;
    }
  }
}

/** Every row has exactly these columns, none undefined (so that values map to columns by position). */
function sameShape(rows: readonly object[], columns: readonly string[]): boolean {
  for (const row of rows) {
    if (Object.keys(row).length !== columns.length) return false;
    for (const c of columns) if ((row as Record<string, unknown>)[c] === undefined) return false;
  }
  return true;
}

async function run(db: AnyDb, table: string, shape: string, oneRow: object, columns: readonly string[], rows: readonly object[], from: number, count: number): Promise<void> {
  const key = `${count}\u0000${shape}`;
  let text = templates.get(key);
  if (text === undefined) {
    text = (db as unknown as Kysely<Record<string, unknown>>).insertInto(table).values(Array.from({ length: count }, () => oneRow) as never).compile().sql;
    if (templates.size >= MAX_TEMPLATES) templates.delete(templates.keys().next().value!);
    templates.set(key, text);
  }
  const params = new Array<unknown>(count * columns.length);
  let p = 0;
  for (let r = from; r < from + count; r++) {
    const row = rows[r] as Record<string, unknown>;
    for (const c of columns) params[p++] = row[c];
  }
  await db.executeQuery(CompiledQuery.raw(text, params));
}
