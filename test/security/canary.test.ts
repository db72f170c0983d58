/**
 * Nothing personal in clear (issue #2, item 4). Canary people are imported through the real
 * command line; then every database file (SQLite main file, WAL and shm, read while the data is
 * fresh, and the files again after the last connection has closed, which checkpoints the WAL into
 * the main file), a full PostgreSQL dump, every log line and all CLI output are scanned for each
 * canary value as UTF-8, hex and base64. None may be found. A positive control proves the scanner
 * finds the values where they are known to be (the input CSV).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { engines, freshDatabase, PG_URL } from '../support/engines.ts';
import type { TestDatabase } from '../support/engines.ts';
import { canaryPeople, canaryValues, findNeedles, needles } from '../support/canary.ts';
import { runCli } from '../support/cli.ts';
import { loadConfig } from '../../src/config/config.ts';
import { openApp } from '../../src/services/app-context.ts';
import { createLogger } from '../../src/services/logger.ts';
import { findByDocument, readPerson } from '../../src/services/people.service.ts';
import type { CliResult } from '../support/cli.ts';

const HEADER = 'name,id_number,phone,address,birth_date,sex,district_code,classification,onset_date,report_date,employer';

function csvOf(): string {
  const rows = canaryPeople().map((p, i) => [p.name, p.id_number, p.phone, `"${p.address}"`, p.birth_date, p.sex, '110108', i === 0 ? 'confirmed' : 'suspected', '2026-11-10', '2026-11-12', p.employer].join(','));
  // A rejected canary row: its values must not reach the rejection report either.
  rows.push(['欧阳坏号码', makeBadId(), '12345', '北京市西城区坏行路1号', '1938-03-03', 'F', '110102', 'confirmed', '2026-11-10', '2026-11-12', '坏行金丝雀'].join(','));
  return `${HEADER}\n${rows.join('\n')}\n`;
}

function makeBadId(): string {
  return '11010219380303123X'; // wrong check digit on purpose
}

const BAD_VALUES = ['欧阳坏号码', '11010219380303123X', '北京市西城区坏行路1号', '坏行金丝雀'];

for (const { engine, skip } of await engines()) {
  describe(`no personal value in clear on ${engine}`, { skip }, () => {
    let t: TestDatabase;
    const outputs: { label: string; r: CliResult }[] = [];
    let csv: string;
    // Holding a connection open keeps SQLite from checkpointing and deleting the WAL when the
    // CLI exits, so the scan sees the WAL as a running server would leave it.
    let holder: SQLite.Database | null = null;
    before(async () => {
      t = await freshDatabase(engine);
      csv = join(t.dir, 'canaries.csv');
      writeFileSync(csv, csvOf());
      const data = join(t.dir, 'data');
      mkdirSync(data, { recursive: true });
      const common = ['--data', data, '--db', t.url];
      const env = { EPIVAULT_LOG_LEVEL: 'trace' };
      for (const args of [['init', ...common], ['seed', '--persons', '50', '--seed', '3', ...common], ['import', csv, ...common], ['import', csv, ...common], ['stats', ...common], ['keys', 'rotate', ...common], ['stats', '--json', ...common]]) {
        const r = await runCli(args, env);
        outputs.push({ label: args.slice(0, 2).join(' '), r });
        assert.equal(r.code, 0, `${args.join(' ')} failed: ${r.stderr}`);
        if (engine === 'sqlite' && args[0] === 'init') {
          holder = new SQLite(t.target.location);
          holder.prepare('select count(*) from subjects').get();
        }
      }
    });
    after(async () => {
      holder?.close();
      await t?.cleanup();
    });

    const all = needles([...canaryValues(canaryPeople()), ...BAD_VALUES]);

    it('the scanner finds the canaries where they are (positive control)', () => {
      const hits = findNeedles(readFileSync(csv), all, 'input csv');
      assert.ok(hits.length >= canaryPeople().length * 4, 'canaries are found in the input file');
      assert.ok(findNeedles(Buffer.from(Buffer.from(`xx${canaryPeople()[0]!.name}yy`).toString('base64')), all, 'b64').length > 0, 'base64 at an odd offset is found');
    });

    it('the import really stored the canaries (they decrypt back, after the key rotation)', async () => {
      const imported = outputs.find((o) => o.label.startsWith('import'))!;
      assert.match(imported.r.stdout, /imported\D*3\b|3 imported/i);
      const ctx = await openApp(loadConfig({ data: join(t.dir, 'data'), db: t.url }, {}), { logger: createLogger('silent') });
      try {
        for (const p of canaryPeople()) {
          const [id] = await findByDocument(ctx, p.id_number, 'case_investigation');
          assert.ok(id, 'found through the blind index');
          const view = await readPerson(ctx, id, 'case_investigation');
          assert.equal(view.identity.name, p.name);
          assert.equal(view.identity.address, p.address);
        }
      } finally {
        await ctx.close();
      }
    });

    it('no CLI output or log line carries a canary', () => {
      for (const { label, r } of outputs) {
        assert.deepEqual(findNeedles(Buffer.from(r.stdout + r.stderr), all, label), []);
      }
    });

    it('no rejection report carries a canary, yet the bad row is reported', () => {
      const dir = join(t.dir, 'data', 'import-reports');
      const reports = existsSync(dir) ? readdirSync(dir) : [];
      assert.ok(reports.length > 0, 'a rejection report was written');
      for (const f of reports) {
        const text = readFileSync(join(dir, f));
        assert.deepEqual(findNeedles(text, all, f), []);
        assert.match(text.toString('utf8'), /id_number|phone/);
      }
    });

    it('no database file or dump carries a canary', () => {
      if (engine === 'sqlite') {
        const files = readdirSync(t.dir).filter((f) => f.startsWith('epivault.db'));
        assert.ok(files.includes('epivault.db') && files.includes('epivault.db-wal'), files.join(','));
        assert.ok(readFileSync(join(t.dir, 'epivault.db-wal')).length > 0, 'the WAL holds the recent writes');
        for (const f of files) assert.deepEqual(findNeedles(readFileSync(join(t.dir, f)), all, f), []);
      } else {
        const dump = execFileSync('pg_dump', ['--dbname', PG_URL, '--schema', t.target.schema!, '--no-owner'], { maxBuffer: 1 << 30 });
        assert.ok(dump.includes(Buffer.from('COPY ')), 'the dump has table data');
        assert.deepEqual(findNeedles(dump, all, 'pg_dump'), []);
      }
    });

    if (engine === 'sqlite') it('no database file carries a canary after the last connection closes (WAL checkpointed into the main file)', () => {
      const main = join(t.dir, 'epivault.db');
      const before = readFileSync(main);
      holder?.close();
      holder = null;
      // Closing the last connection checkpoints the WAL into the main file and removes the WAL.
      assert.ok(!existsSync(`${main}-wal`) || statSync(`${main}-wal`).size === 0, 'the WAL was checkpointed on close');
      const after = readFileSync(main);
      assert.ok(!after.equals(before), 'the checkpoint wrote the recent pages into the main file');
      const files = readdirSync(t.dir).filter((f) => f.startsWith('epivault.db'));
      for (const f of files) assert.deepEqual(findNeedles(readFileSync(join(t.dir, f)), all, `${f} after close`), []);
    });
  });
}
