import { createQueryId } from 'kysely';
import type { Compilable, CompiledQuery, Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** The text a parameter slot holds while a query is compiled (never a value a caller could pass: it starts with NUL). */
const SLOT = '\u0000epivault-slot:';

type Slot = { readonly param: number } | { readonly value: unknown };

interface Template<R> {
  readonly query: CompiledQuery<R>;
  readonly slots: readonly Slot[];
}

/** A value a precompiled query binds: one scalar per slot (no lists: an `in (…)` of varying length is a different statement). */
export type SlotValue = string | number | Buffer | null;

/**
 * A hot query written once with Kysely's builder and compiled once per dialect; each run binds new
 * values to the same SQL text and skips building and compiling, which cost several times what
 * SQLite needs to answer a keyed lookup. `build` receives one placeholder per parameter, in the
 * order of `run`'s arguments; a placeholder may be used as a plain value any number of times.
 * Values the builder writes itself (constants) stay as they were compiled.
 *
 * The SQL text depends only on the dialect, so templates are kept per dialect adapter (shared by a
 * Kysely instance and its transactions): SQLite and PostgreSQL each get their own.
 */
export function precompiled<R>(arity: number, build: (db: Kysely<Database>, ...slots: string[]) => Compilable<R>) {
  const templates = new WeakMap<object, Template<R>>();
  const templateFor = (db: Kysely<Database> | Transaction<Database>): Template<R> => {
    const adapter = db.getExecutor().adapter;
    let template = templates.get(adapter);
    if (!template) {
      const placeholders = Array.from({ length: arity }, (_, i) => `${SLOT}${i}`);
      const query = build(db, ...placeholders).compile();
      const slots: Slot[] = query.parameters.map((p) => (typeof p === 'string' && p.startsWith(SLOT) ? { param: Number(p.slice(SLOT.length)) } : { value: p }));
      const used = new Set(slots.flatMap((s) => ('param' in s ? [s.param] : [])));
      if (used.size !== arity) throw new Error(`precompiled query uses ${used.size} of its ${arity} parameters: ${query.sql}`);
      template = { query, slots };
      templates.set(adapter, template);
    }
    return template;
  };
  return {
    /** The rows of one run. */
    async run(db: Kysely<Database> | Transaction<Database>, ...params: SlotValue[]): Promise<R[]> {
      if (params.length !== arity) throw new Error(`precompiled query takes ${arity} parameters, not ${params.length}`);
      const { query, slots } = templateFor(db);
      const parameters = slots.map((s) => ('param' in s ? params[s.param] : s.value));
      const result = await db.executeQuery<R>({ sql: query.sql, parameters, query: query.query, queryId: createQueryId() });
      return result.rows;
    },
    /** The SQL text for this database's dialect (tests, plans). */
    sql(db: Kysely<Database> | Transaction<Database>): string {
      return templateFor(db).query.sql;
    },
  };
}
