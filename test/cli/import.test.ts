/**
 * `epivault import` as a user runs it: child processes against a fresh data directory, on SQLite
 * (the default database in the data directory) and on PostgreSQL (`--db postgres://…?schema=…`).
 * The SIGKILL test kills an import after its first committed batch and re-runs it: every person
 * must be there exactly once, with exactly one `create` audit event.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { addDays } from '../../src/domain/dates.ts';
import { makeResidentId } from '../../src/domain/id-number.ts';
import { BIN, runCli } from '../support/cli.ts';
import { engines, freshDatabase } from '../support/engines.ts';
import type { TestDatabase } from '../support/engines.ts';
import { rawSql } from '../support/raw-sql.ts';
import type { RawSql } from '../support/raw-sql.ts';

const HEADER = 'name,id_number,phone,address,birth_date,sex,district_code,classification,onset_date,report_date';

interface Person { name: string; id: string; phone: string; address: string; birth: string; sex: 'M' | 'F' }

function person(i: number): Person {
  const sex = i % 2 === 0 ? 'F' : 'M';
  const birth = addDays('1940-01-01', i % 10_000);
  return { name: `命令行${i}`, id: makeResidentId('110105', birth, 2 * Math.floor(i / 10_000), sex), phone: `1380${String(i).padStart(7, '0')}`, address: `北京市朝阳区命令行路${i}号`, birth, sex };
}

const line = (p: Person, phone = p.phone) => [p.name, p.id, phone, `"${p.address}"`, p.birth, p.sex, '110105', 'confirmed', '2025-01-02', '2025-01-03'].join(',');

interface Summary { rowsRead: number; imported: number; alreadyPresent: number; rejected: number; skipped: number; resumedAfter: number | null; report: string; rowsPerSecond: number; elapsedMs: number }

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

for (const { engine, skip } of await engines()) {
  describe(`epivault import on ${engine}`, { skip }, () => {
    let t: TestDatabase;
    let data: string;
    let common: string[];
    let sql: RawSql;
    const count = async (query: string) => Number((await sql.query<{ n: number | string }>(query))[0]!.n);

    before(async () => {
      t = await freshDatabase(engine);
      data = join(t.dir, 'data');
      // SQLite: the default database in the data directory; PostgreSQL: --db with ?schema=
      common = ['--data', data, ...(engine === 'postgres' ? ['--db', t.url] : [])];
      const init = await runCli(['init', ...common]);
      assert.equal(init.code, 0, init.stderr);
      sql = await rawSql(engine === 'postgres' ? t : { ...t, target: { engine, location: join(data, 'epivault.db') } });
    });
    after(async () => {
      await sql?.close();
      await t?.cleanup();
    });

    it('imports a file, prints the summary, writes a 0600 report without values, and is idempotent', async () => {
      const people = [1, 2, 3, 4].map(person);
      const file = join(t.dir, 'cases.csv');
      writeFileSync(file, [HEADER, line(people[0]!), line(people[1]!), line(people[2]!, '12345'), line(people[3]!), ''].join('\r\n'));
      const r = await runCli(['import', file, ...common]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^rows read\s+4$/m);
      assert.match(r.stdout, /^imported\s+3$/m);
      assert.match(r.stdout, /^already present\s+0$/m);
      assert.match(r.stdout, /^rejected\s+1 rows, 1 problems$/m);
      assert.match(r.stdout, /^elapsed\s+[\d.]+ s \(\d+ rows\/s\)$/m);
      const reportPath = /^report\s+(.+)$/m.exec(r.stdout)![1]!;
      assert.match(reportPath, new RegExp(`^${join(data, 'import-reports')}/cases\\.\\d{8}T\\d{6}(-\\d+)?\\.rejections\\.csv$`));
      assert.equal(statSync(reportPath).mode & 0o777, 0o600);
      const report = readFileSync(reportPath, 'utf8');
      assert.match(report, /^row,field,reason\n4,phone,/);
      const output = r.stdout + r.stderr + report;
      for (const p of people) for (const v of [p.name, p.id, p.phone, p.address, p.birth]) assert.ok(!output.includes(v), 'no personal value in output or report');
      assert.ok(!output.includes('12345'), 'not even the rejected phone');
      assert.equal(await count('select count(*) as n from subjects'), 3);

      const again = await runCli(['import', file, ...common, '--json', '--report', join(t.dir, 'again.csv')]);
      assert.equal(again.code, 0, again.stderr);
      const s = JSON.parse(again.stdout) as Summary;
      assert.deepEqual([s.rowsRead, s.imported, s.alreadyPresent, s.rejected], [4, 0, 3, 1]);
      assert.equal(s.report, join(t.dir, 'again.csv'));
      assert.equal(await count('select count(*) as n from subjects'), 3);
    });

    it('a missing file, unreadable bytes or a bad header: one line on stderr, exit 1, nothing imported', async () => {
      const before = await count('select count(*) as n from subjects');
      const badHeader = join(t.dir, 'bad-header.csv');
      writeFileSync(badHeader, `${HEADER},remarks\n${line(person(50))},note\n`);
      const noColumn = join(t.dir, 'no-column.csv');
      writeFileSync(noColumn, `${HEADER.replace(',phone', '')}\n${line(person(51)).replace(`,${person(51).phone}`, '')}\n`);
      const badBytes = join(t.dir, 'bad-bytes.csv');
      writeFileSync(badBytes, Buffer.concat([Buffer.from(`${HEADER}\n${line(person(52))}\n`), Buffer.from([0xff, 0xfe, 0xfd, 0x0a])]));
      for (const [args, message] of [
        [[join(t.dir, 'missing.csv')], /^epivault: input file not found: .*missing\.csv$/],
        [[badHeader], /^epivault: bad header: unknown column "remarks" \(column 11\)/],
        [[noColumn], /^epivault: bad header: missing required column phone$/],
        [[badBytes], /^epivault: the file is neither valid UTF-8 nor valid GB18030 text$/],
        [[badBytes, '--encoding', 'utf-8'], /^epivault: the file is not valid UTF-8 text/],
      ] as const) {
        const r = await runCli(['import', ...args, ...common]);
        assert.equal(r.code, 1, args.join(' '));
        const lines = r.stderr.trimEnd().split('\n');
        assert.equal(lines.length, 1, `one line on stderr: ${r.stderr}`);
        assert.match(lines[0]!, message);
        assert.equal(r.stdout, '');
        for (const i of [50, 51, 52]) assert.ok(!r.stderr.includes(person(i).name) && !r.stderr.includes(person(i).id));
      }
      assert.equal(await count('select count(*) as n from subjects'), before);
    });

    it('killed with SIGKILL mid-import and re-run: every person exactly once', { timeout: 300_000 }, async () => {
      const rows: string[] = [HEADER];
      let valid = 0;
      for (let i = 0; i < 20_010; i++) {
        const p = person(1000 + i);
        if (i % 2001 === 1000) rows.push(line(p, 'not a phone'));
        else { rows.push(line(p)); valid++; }
      }
      assert.equal(valid, 20_000);
      const file = join(t.dir, 'big.csv');
      writeFileSync(file, rows.join('\n') + '\n');
      const job = `import:${sha256(file)}`;
      const lastRecord = rows.length;
      const subjectsBefore = await count('select count(*) as n from subjects');
      const createsBefore = await count("select count(*) as n from audit_events where action = 'create'");

      const child = spawn(process.execPath, [BIN, 'import', file, ...common], {
        env: { ...process.env, EPIVAULT_SEAL_WORKERS: '1', EPIVAULT_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      let done = false;
      void exited.then(() => { done = true; });
      let cursor: string | undefined;
      const deadline = Date.now() + 120_000;
      while (cursor === undefined) {
        assert.ok(!done, `the import ended before its first batch was seen: ${stderr}`);
        assert.ok(Date.now() < deadline, 'no batch committed within 120 s');
        cursor = (await sql.query<{ cursor: string }>(`select cursor from job_progress where job = '${job}'`))[0]?.cursor;
        if (cursor === undefined) await sleep(10);
      }
      child.kill('SIGKILL');
      const end = await exited;
      assert.equal(end.signal, 'SIGKILL', 'the import was killed, not finished');
      const killedAt = Number((await sql.query<{ cursor: string }>(`select cursor from job_progress where job = '${job}'`))[0]!.cursor);
      assert.ok(killedAt < lastRecord, `killed mid-import (cursor ${killedAt} of ${lastRecord})`);
      const partial = (await count('select count(*) as n from subjects')) - subjectsBefore;
      assert.ok(partial > 0 && partial < valid, `some but not all people committed (${partial})`);

      const r = await runCli(['import', file, ...common, '--json'], { EPIVAULT_SEAL_WORKERS: '1' }, 300_000);
      assert.equal(r.code, 0, r.stderr);
      const s = JSON.parse(r.stdout) as Summary;
      assert.equal(s.resumedAfter, killedAt);
      assert.equal(s.rowsRead, 20_010);
      assert.equal(s.rejected, 10);
      assert.equal(s.imported + s.alreadyPresent, valid);
      assert.equal(s.imported, valid - partial, 'the re-run creates exactly the people the first run had not committed');
      console.log(`# ${engine}: killed after ${partial} people (cursor ${killedAt}); re-run imported ${s.imported} in ${(s.elapsedMs / 1000).toFixed(1)} s (${s.rowsPerSecond} rows/s)`);

      assert.equal(await count('select count(*) as n from subjects') - subjectsBefore, valid);
      assert.equal(await count('select count(*) as n from identity_documents'), await count('select count(*) as n from subjects'));
      assert.equal(await count('select count(distinct subject_id) as n from identity_documents'), await count('select count(*) as n from subjects'), 'one document per person, no person twice');
      assert.equal(await count("select count(*) as n from audit_events where action = 'create'") - createsBefore, valid, 'exactly one create event per person');
      assert.equal(await count("select count(distinct subject_ref) as n from audit_events where action = 'create'") - createsBefore, valid, 'a create event for every person');
      const stats = await runCli(['stats', '--json', ...common]);
      assert.equal((JSON.parse(stats.stdout) as { counts: { subjects: number } }).counts.subjects, subjectsBefore + valid);
      assert.ok(existsSync(s.report));
    });
  });
}
