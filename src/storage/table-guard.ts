/**
 * A Kysely plugin that lets a Kysely instance run only SELECT queries naming allowed tables
 * (docs/PUBLIC-SITE.md "Scope"). The public site's reader is handed a guarded instance, so even
 * code that tried to read subjects, cases or the audit log through it would be refused before any
 * SQL reached the database. It inspects the query's operation tree: every table node (FROM, JOIN,
 * subqueries, qualified column references, CTE names) must be one of the allowed names without a
 * schema; raw SQL cannot be checked and is refused; so is every statement other than SELECT.
 */
import type { Kysely, KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** Thrown when a guarded instance is asked for something outside its allowance; names the table, never a value. */
export class TableAccessRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableAccessRefused';
  }
}

const SORT_KEYWORDS = /^\s*(asc|desc)(\s+nulls\s+(first|last))?\s*$/i;

/** Every table name (with its schema, if qualified) an operation tree refers to, and whether it holds raw SQL. */
export function tablesOf(node: OperationNode): { tables: { schema: string | null; table: string }[]; raw: boolean } {
  const tables: { schema: string | null; table: string }[] = [];
  let raw = false;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) walk(v);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const n = value as { kind?: unknown; table?: { schema?: { name: string }; identifier?: { name: string } }; sqlFragments?: readonly string[]; parameters?: readonly unknown[] };
    // Kysely writes sort directions as fixed raw keywords; any other raw SQL is opaque.
    if (n.kind === 'RawNode' && !(n.parameters?.length === 0 && n.sqlFragments?.every((f) => SORT_KEYWORDS.test(f)))) raw = true;
    if (n.kind === 'TableNode' && n.table?.identifier) tables.push({ schema: n.table.schema?.name ?? null, table: n.table.identifier.name });
    for (const v of Object.values(value)) walk(v);
  };
  walk(node);
  return { tables, raw };
}

export class TableGuardPlugin implements KyselyPlugin {
  readonly #allowed: ReadonlySet<string>;

  constructor(allowed: readonly string[]) {
    this.#allowed = new Set(allowed);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    if (node.kind !== 'SelectQueryNode') throw new TableAccessRefused(`only reads are allowed here, not ${node.kind.replace(/Node$/, '')}`);
    const { tables, raw } = tablesOf(node);
    if (raw) throw new TableAccessRefused('raw SQL is not allowed here: its tables cannot be checked');
    if (tables.length === 0) throw new TableAccessRefused('a query here must name its table');
    for (const t of tables) {
      if (t.schema !== null) throw new TableAccessRefused(`table ${t.schema}.${t.table} is not allowed here (no schema-qualified tables)`);
      if (!this.#allowed.has(t.table)) throw new TableAccessRefused(`table ${t.table} is not allowed here (allowed: ${[...this.#allowed].join(', ')})`);
    }
    return node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** The same database through a guard: reads of the allowed tables only. */
export function guardTables<DB>(db: Kysely<DB>, allowed: readonly string[]): Kysely<DB> {
  return db.withPlugin(new TableGuardPlugin(allowed));
}
