/**
 * docs/THREAT-MODEL.md "What is stored in clear, and why" lists every table and column of the
 * schema, each once, as clear or protected (ciphertext, keyed MAC or one-way hash). This test reads
 * that table from the document and compares it with the schema of a freshly migrated database on
 * each engine: a migration that adds a table or a column the threat model does not list fails it,
 * as does a listed column the schema does not have. Protected columns must be binary (blob/bytea),
 * except the two text ones the document names.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { engines, freshDatabase } from '../support/engines.ts';
import type { TestDatabase } from '../support/engines.ts';
import { rawSql } from '../support/raw-sql.ts';
import { openDatabase } from '../../src/storage/database.ts';

const DOC = fileURLToPath(new URL('../../docs/THREAT-MODEL.md', import.meta.url));
const SECTION = '## What is stored in clear, and why';
/** Protected columns stored as text: a hexadecimal keyed HMAC and an Argon2id PHC string. */
const PROTECTED_TEXT = new Set(['audit_events.subject_ref', 'staff_accounts.password_hash']);

interface Listed { clear: string[]; protected: string[] }
interface Column { table: string; column: string; type: string }

/** The section's table: table name → its clear and protected columns. Throws on a malformed row. */
function parseClearColumns(markdown: string): Map<string, Listed> {
  const start = markdown.indexOf(SECTION);
  assert.ok(start >= 0, `THREAT-MODEL.md has no section "${SECTION}"`);
  const rest = markdown.slice(start + SECTION.length);
  const next = rest.search(/\n## /);
  const rows = (next >= 0 ? rest.slice(0, next) : rest).split('\n').filter((l) => l.startsWith('|'));
  assert.ok(rows.length > 2, 'the section has a table');
  const header = cells(rows[0]!);
  assert.deepEqual(header.slice(0, 3), ['table', 'clear columns', 'protected columns'], 'the table starts with table | clear columns | protected columns');
  const out = new Map<string, Listed>();
  for (const row of rows.slice(2)) {
    const [table, clear, prot] = cells(row);
    assert.match(table ?? '', /^[a-z_][a-z0-9_]*$/, `one table name per row: ${row.slice(0, 60)}`);
    assert.ok(!out.has(table!), `table ${table} is listed twice`);
    out.set(table!, { clear: columnList(clear ?? '', `${table} clear columns`), protected: columnList(prot ?? '', `${table} protected columns`) });
  }
  return out;
}

function cells(row: string): string[] {
  return row.replace(/^\|/, '').replace(/\|\s*$/, '').split('|').map((c) => c.trim());
}

/** "—" or a comma-separated list of `column` names, nothing else (so no prose hides a column). */
function columnList(cell: string, where: string): string[] {
  if (cell === '—') return [];
  assert.match(cell, /^`[a-z_][a-z0-9_]*`(, `[a-z_][a-z0-9_]*`)*$/, `${where}: only \`column\` names separated by commas, or —; got "${cell}"`);
  return [...cell.matchAll(/`([a-z0-9_]+)`/g)].map((m) => m[1]!);
}

/** Every difference between the document's list and the schema, as readable lines. */
function compareWithSchema(listed: Map<string, Listed>, schema: readonly Column[]): string[] {
  const problems: string[] = [];
  const tables = new Map<string, Column[]>();
  for (const c of schema) tables.set(c.table, [...(tables.get(c.table) ?? []), c]);
  for (const [table, columns] of tables) {
    const doc = listed.get(table);
    if (!doc) {
      problems.push(`table ${table} (${columns.map((c) => c.column).join(', ')}) is not in THREAT-MODEL.md`);
      continue;
    }
    const both = doc.clear.filter((c) => doc.protected.includes(c));
    for (const c of both) problems.push(`${table}.${c} is listed both clear and protected`);
    for (const list of [doc.clear, doc.protected]) {
      for (const c of list.filter((c, i) => list.indexOf(c) !== i)) problems.push(`${table}.${c} is listed twice`);
    }
    const documented = new Set([...doc.clear, ...doc.protected]);
    for (const c of columns) {
      if (!documented.has(c.column)) problems.push(`${table}.${c.column} is not in THREAT-MODEL.md`);
      if (doc.protected.includes(c.column) && !/^(blob|bytea)$/i.test(c.type) && !PROTECTED_TEXT.has(`${table}.${c.column}`)) {
        problems.push(`${table}.${c.column} is listed as protected but is of type ${c.type}, not binary`);
      }
    }
    for (const c of documented) {
      if (!columns.some((s) => s.column === c)) problems.push(`${table}.${c} is in THREAT-MODEL.md but not in the schema`);
    }
  }
  for (const table of listed.keys()) {
    if (!tables.has(table)) problems.push(`table ${table} is in THREAT-MODEL.md but not in the schema`);
  }
  return problems;
}

async function schemaOf(t: TestDatabase): Promise<Column[]> {
  const raw = await rawSql(t);
  try {
    if (t.engine === 'sqlite') {
      const tables = await raw.query<{ name: string }>(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`);
      const out: Column[] = [];
      for (const { name } of tables) {
        for (const c of await raw.query<{ name: string; type: string }>(`pragma table_info(${JSON.stringify(name)})`)) out.push({ table: name, column: c.name, type: c.type });
      }
      return out;
    }
    return (await raw.query<{ table_name: string; column_name: string; data_type: string }>(
      `select table_name, column_name, data_type from information_schema.columns where table_schema = '${t.target.schema!}' order by table_name, ordinal_position`,
    )).map((r) => ({ table: r.table_name, column: r.column_name, type: r.data_type }));
  } finally {
    await raw.close();
  }
}

const listed = parseClearColumns(readFileSync(DOC, 'utf8'));

for (const { engine, skip } of await engines()) {
  describe(`THREAT-MODEL.md lists every column of the ${engine} schema`, { skip }, () => {
    let t: TestDatabase;
    let schema: Column[];
    before(async () => {
      t = await freshDatabase(engine);
      const open = await openDatabase(t.target);
      await open.close();
      schema = await schemaOf(t);
    });
    after(async () => { await t?.cleanup(); });

    it('every table and column of the migrated schema is listed once, clear or protected, and nothing else is', () => {
      assert.ok(schema.length > 100 && schema.some((c) => c.table === 'audit_tiles'), `the schema was read (${schema.length} columns)`);
      assert.deepEqual(compareWithSchema(listed, schema), []);
    });

    it('a column, a table or a protected text column the document does not account for is reported (the check can fail)', () => {
      const added = [...schema, { table: 'subjects', column: 'birth_date', type: 'text' }, { table: 'visits', column: 'place_id', type: 'text' }];
      assert.deepEqual(compareWithSchema(listed, added), ['subjects.birth_date is not in THREAT-MODEL.md', 'table visits (place_id) is not in THREAT-MODEL.md']);
      const dropped = schema.filter((c) => !(c.table === 'audit_events' && c.column === 'leaf_hash'));
      assert.deepEqual(compareWithSchema(listed, dropped), ['audit_events.leaf_hash is in THREAT-MODEL.md but not in the schema']);
      const retyped = schema.map((c) => (c.table === 'identities' && c.column === 'sealed' ? { ...c, type: 'text' } : c));
      assert.deepEqual(compareWithSchema(listed, retyped), ['identities.sealed is listed as protected but is of type text, not binary']);
    });
  });
}

describe('the THREAT-MODEL.md column list parser', () => {
  it('refuses prose in a column cell and a column listed both ways', () => {
    const doc = (clear: string, prot: string) => `${SECTION}\n\n| table | clear columns | protected columns | why | reveals |\n|---|---|---|---|---|\n| subjects | ${clear} | ${prot} | x | y |\n`;
    assert.deepEqual([...parseClearColumns(doc('`id`, `created_at`', '—'))], [['subjects', { clear: ['id', 'created_at'], protected: [] }]]);
    assert.throws(() => parseClearColumns(doc('`id`; all other columns', '—')), /only `column` names/);
    const both = parseClearColumns(doc('`id`, `sealed`', '`sealed`'));
    assert.deepEqual(compareWithSchema(both, [{ table: 'subjects', column: 'id', type: 'text' }, { table: 'subjects', column: 'sealed', type: 'blob' }]), ['subjects.sealed is listed both clear and protected']);
  });
});
