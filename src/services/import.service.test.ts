import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { engines } from '../../test/support/engines.ts';
import { testApp } from '../../test/support/app.ts';
import type { TestApp } from '../../test/support/app.ts';
import { sha256File } from '../crypto/index.ts';
import { addDays, todayIsoDate } from '../domain/dates.ts';
import { streetsOf } from '../domain/divisions.ts';
import { makeResidentId, residentIdCheckDigit } from '../domain/id-number.ts';
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from '../domain/line-list.ts';
import type { LineListColumn, LineListRow } from '../domain/line-list.ts';
import { CLASSIFICATIONS } from '../domain/model.ts';
import { importLineList, ingestRows } from './import.service.ts';
import type { ImportOptions } from './import.service.ts';
import { findByDocument, readPerson } from './people.service.ts';
import { SealPool } from './seal-pool.ts';
import { workerKeysOf } from './seal-tasks.ts';

type Row = Partial<Record<LineListColumn, string>>;
const ALL_COLUMNS: LineListColumn[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

/** A valid row; `k` makes every personal value distinct (and greppable). */
function person(k: number, extra: Row = {}): Row {
  const sex = k % 2 === 0 ? 'F' : 'M';
  const birth = addDays('1930-01-01', (k * 41) % 30_000);
  return {
    name: `导入测试${k}号`, id_number: makeResidentId('110105', birth, k % 1000, sex), phone: `1391${String(k).padStart(7, '0')}`,
    address: `北京市朝阳区测试路${k}号院`, birth_date: birth, sex, district_code: '110105', classification: 'confirmed',
    onset_date: '2025-01-02', report_date: '2025-01-03', ...extra,
  };
}

const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
function csv(rows: (Row | string)[], header: readonly string[] = ALL_COLUMNS, eol = '\n'): string {
  const lines = [header.join(','), ...rows.map((r) => (typeof r === 'string' ? r : header.map((c) => field(r[c as LineListColumn] ?? '')).join(',')))];
  return lines.join(eol) + eol;
}

/** A resident id with a wrong check digit. */
function badCheckDigit(id: string): string {
  const right = residentIdCheckDigit(id.slice(0, 17));
  return id.slice(0, 17) + (right === '0' ? '1' : '0');
}

for (const { engine, skip } of await engines()) {
  describe(`line-list import on ${engine}`, { skip }, () => {
    let app: TestApp;
    let n = 0;
    before(async () => { app = await testApp(engine); });
    after(async () => { await app?.cleanup(); });

    const write = (text: string | Buffer, name = `in${++n}.csv`) => {
      const path = join(app.dataDir, name);
      writeFileSync(path, text);
      return path;
    };
    const run = (file: string, options: ImportOptions = {}) => importLineList(app.ctx, file, { dataDir: app.dataDir, ...options });
    const count = (t: 'subjects' | 'identity_documents' | 'cases') => app.ctx.store.system.count(t);
    const auditEvents = async () => app.ctx.store.audit.list(0, 1_000_000);

    it('imports exactly the valid rows and reports every problem by row, field and reason, never by value', async () => {
      const today = todayIsoDate();
      const valid = [0, 1, 2, 3, 4].map((k) => person(k));
      valid[1] = { ...valid[1], street_code: streetsOf('110105')[0]!, case_number: 'BJ-CY-0001', outcome: 'recovered', occupation: '教师', employer: '朝阳测试中学' };
      valid[2] = { ...valid[2], document_type: 'passport', document_country: 'gbr', id_number: 'P1234567A9', classification: 'suspected' };
      const bad: { row: Row | string; field: string; reason: RegExp }[] = [
        { row: person(100, { id_number: badCheckDigit(person(100).id_number!) }), field: 'id_number', reason: /check digit/ },
        { row: person(101, { birth_date: addDays(person(101).birth_date!, 1) }), field: 'id_number', reason: /birth date does not match/ },
        { row: person(102, { sex: 'M' }), field: 'id_number', reason: /sex does not match/ },
        { row: person(103, { phone: '1234567' }), field: 'phone', reason: /phone/ },
        { row: person(104, { district_code: '999999' }), field: 'district_code', reason: /not a GB\/T 2260 district/ },
        { row: person(105, { street_code: streetsOf('310101')[0]! }), field: 'street_code', reason: /not a street of the district/ },
        { row: person(106, { onset_date: '2025-02-30' }), field: 'onset_date', reason: /YYYY-MM-DD/ },
        { row: person(107, { report_date: addDays(today, 3) }), field: 'report_date', reason: /in the future/ },
        { row: person(108, { onset_date: '2025-03-10', report_date: '2025-03-05' }), field: 'onset_date', reason: /after the report date/ },
        { row: person(109, { classification: 'confirmd' }), field: 'classification', reason: /must be one of/ },
        { row: person(110, { address: '' }), field: 'address', reason: /is required/ },
        { row: person(111, { id_number: valid[0]!.id_number!.toLowerCase(), birth_date: valid[0]!.birth_date!, sex: valid[0]!.sex! }), field: 'id_number', reason: /^duplicate document in this file$/ },
        { row: `${csv([person(112)]).split('\n')[1]},多余的值`, field: '(row)', reason: /has 19 fields but the header has 18/ },
      ];
      const blank = ','.repeat(ALL_COLUMNS.length - 1);
      const file = write(csv([...valid, blank, ...bad.map((b) => b.row)], ALL_COLUMNS, '\r\n'));
      const reportPath = join(app.dataDir, 'reports', 'mixed.rejections.csv');
      const before = await count('subjects');

      const s = await run(file, { report: reportPath });

      assert.equal(s.rowsRead, valid.length + bad.length);
      assert.equal(s.imported, valid.length);
      assert.equal(s.alreadyPresent, 0);
      assert.equal(s.rejected, bad.length);
      assert.equal(s.problems, bad.length);
      assert.equal(s.encoding, 'utf-8');
      assert.equal(s.reportPath, reportPath);
      assert.equal(await count('subjects'), before + valid.length);
      assert.equal(statSync(reportPath).mode & 0o777, 0o600);

      const report = readFileSync(reportPath, 'utf8');
      const lines = report.trimEnd().split('\n');
      assert.equal(lines[0], 'row,field,reason');
      const parsed = lines.slice(1).map((l) => /^(\d+),([^,]+),(.*)$/.exec(l)!);
      assert.equal(parsed.length, bad.length, report);
      bad.forEach((b, i) => {
        const [, row, fieldName, reason] = parsed[i]!;
        // header = 1, five valid rows = 2..6, the blank record = 7
        assert.equal(Number(row), 8 + i, `row number of bad row ${i}`);
        assert.equal(fieldName, b.field, `field of bad row ${i}`);
        assert.match(reason!.replace(/^"|"$/g, ''), b.reason, `reason of bad row ${i}`);
      });
      for (const b of bad) {
        const values = typeof b.row === 'string' ? b.row.split(',') : Object.values(b.row);
        for (const v of values) {
          if (v === undefined || v.length < 4 || (CLASSIFICATIONS as readonly string[]).includes(v)) continue;
          assert.ok(!report.includes(v), `the report quotes a rejected value (${values.indexOf(v)})`);
          assert.ok(!report.includes(v.toUpperCase()) && !report.includes(v.replaceAll('-', '')), 'no transformed value either');
        }
      }

      // the valid rows are there, decrypted as given
      const id = await findByDocument(app.ctx, valid[1]!.id_number!, 'case_investigation');
      const view = await readPerson(app.ctx, id[0]!, 'case_investigation');
      assert.equal(view.identity.name, valid[1]!.name);
      assert.equal(view.identity.employer, '朝阳测试中学');
      assert.equal(view.streetCode, valid[1]!.street_code);
      assert.equal(view.cases[0]!.caseNumber, 'BJ-CY-0001');
      assert.equal(view.cases[0]!.details.outcome, 'recovered');
      const passport = await findByDocument(app.ctx, 'P1234567A9', 'case_investigation', 'passport', 'GBR');
      assert.equal(passport.length, 1);

      const importEvents = (await auditEvents()).filter((e) => e.action === 'import');
      const last = importEvents.at(-1)!;
      assert.equal(last.resource_type, 'line_list');
      assert.equal(last.resource_id, (await sha256File(file)).slice(0, 16));
      assert.equal(last.outcome, 'success');
    });

    it('imports a GB18030 file exactly like its UTF-8 twin', async () => {
      const names = ['欧阳娜娜', '阿卜杜·热合曼', '𠀀𠀁𪚥', '龘靐齉', 'Li Wei'];
      const rows = names.map((name, i) => person(200 + i, { name, address: i === 0 ? '北京市朝阳区建国路88号,SOHO现代城"A"座' : `广东省深圳市南山区科技园${i}路` }));
      const text = csv(rows, ALL_COLUMNS, '\r\n');
      const gb = write(iconv.encode(text, 'gb18030'));
      assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(gb)), 'the GB18030 file is not UTF-8');

      const s = await run(gb);
      assert.equal(s.encoding, 'gb18030');
      assert.equal(s.imported, rows.length);
      assert.equal(s.rejected, 0);
      for (const r of rows) {
        const [id] = await findByDocument(app.ctx, r.id_number!, 'case_investigation');
        const view = await readPerson(app.ctx, id!, 'case_investigation');
        assert.equal(view.identity.name, r.name);
        assert.equal(view.identity.address, r.address);
      }

      const twin = await run(write(text));
      assert.equal(twin.encoding, 'utf-8');
      assert.equal(twin.imported, 0, 'the UTF-8 twin holds the same people');
      assert.equal(twin.alreadyPresent, rows.length);

      const forced = await run(gb, { encoding: 'gb18030' });
      assert.equal(forced.alreadyPresent, rows.length);
      await assert.rejects(run(gb, { encoding: 'utf-8' }), { name: 'ImportError', message: /not valid UTF-8/ });
    });

    it('reads UTF-8 with a byte-order mark', async () => {
      const rows = [person(300), person(301)];
      const file = write(`\uFEFF${csv(rows)}`);
      assert.deepEqual([...readFileSync(file).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const s = await run(file);
      assert.equal(s.encoding, 'utf-8');
      assert.equal(s.imported, 2);
      const [id] = await findByDocument(app.ctx, rows[0]!.id_number!, 'case_investigation');
      assert.equal((await readPerson(app.ctx, id!, 'case_investigation')).identity.name, rows[0]!.name);
      await assert.rejects(run(file, { encoding: 'gb18030' }), /byte-order mark/);
    });

    it('refuses a bad header, bad bytes or malformed CSV with one clear error, and imports nothing', async () => {
      const rows = [person(400), person(401)];
      const cases: { text: string | Buffer; error: RegExp }[] = [
        { text: csv(rows, ALL_COLUMNS.filter((c) => c !== 'phone')), error: /^bad header: missing required column phone$/ },
        { text: csv(rows, [...ALL_COLUMNS, 'remarks']), error: /unknown column "remarks" \(column 19\)/ },
        { text: csv(rows, [...REQUIRED_COLUMNS, ' name ']), error: /column "name" appears more than once/ },
        { text: csv(rows, [...REQUIRED_COLUMNS, '']), error: /column 11 has no name/ },
        { text: csv(rows).split('\n').slice(1).join('\n'), error: /names none of the line-list columns/ },
        { text: Buffer.concat([Buffer.from(csv(rows)), Buffer.from([0x81, 0x20, 0x0a])]), error: /neither valid UTF-8 nor valid GB18030/ },
        { text: `${csv(rows)}${csv([person(402)]).split('\n')[1]!.replace(',', ',"unclosed')}\n`, error: /not valid CSV at line 4: a quote/ },
        { text: '', error: /empty/ },
      ];
      const before = { subjects: await count('subjects'), audit: (await auditEvents()).length };
      for (const c of cases) {
        const report = join(app.dataDir, `never-${++n}.csv`);
        await assert.rejects(run(write(c.text), { report }), (e: Error) => {
          assert.equal(e.name, 'ImportError');
          assert.match(e.message, c.error);
          assert.ok(!e.message.includes('\n'), 'one line');
          for (const r of rows) for (const v of [r.name!, r.id_number!, r.phone!, r.address!]) assert.ok(!e.message.includes(v), 'no value in the message');
          return true;
        });
        assert.ok(!existsSync(report), 'no report for a file that was refused');
      }
      await assert.rejects(run(join(app.dataDir, 'no-such-file.csv')), /input file not found/);
      assert.equal(await count('subjects'), before.subjects);
      assert.equal((await auditEvents()).length, before.audit, 'nothing written at all');
    });

    it('creates nobody twice: the same file again, or the same people in another file', async () => {
      const rows = [500, 501, 502, 503].map((k) => person(k));
      const file = write(csv(rows));
      const first = await run(file);
      assert.equal(first.imported, 4);
      const subjects = await count('subjects');
      const creates = (await auditEvents()).filter((e) => e.action === 'create').length;

      const again = await run(file);
      assert.deepEqual([again.imported, again.alreadyPresent, again.rejected, again.skipped], [0, 4, 0, 4]);
      const copy = await run(write(readFileSync(file)), { encoding: 'utf-8' });
      assert.equal(copy.imported, 0);

      // another file: two of the same people (other spelling of the number, other details) and two new ones
      const other = write(csv([
        { ...rows[1]!, id_number: rows[1]!.id_number!.replace(/(\d{6})(\d{8})/, '$1 $2 '), phone: '13999999999', name: '别名' },
        person(504), { ...rows[3]!, classification: 'suspected' }, person(505),
      ]));
      const s = await run(other);
      assert.deepEqual([s.imported, s.alreadyPresent, s.rejected, s.skipped], [2, 2, 0, 0]);
      assert.equal(await count('subjects'), subjects + 2);
      assert.equal((await auditEvents()).filter((e) => e.action === 'create').length, creates + 2);
      assert.equal(await count('identity_documents'), await count('subjects'));
    });

    it('resumes after an interruption: every person exactly once, every row still validated', async () => {
      const rows = Array.from({ length: 25 }, (_, k) => person(600 + k));
      rows.splice(7, 0, person(650, { phone: 'x' }));
      const file = write(csv(rows));
      const inline = new SealPool(workerKeysOf(app.ctx.keys), 0);
      let calls = 0;
      const crashing = { run: (task: 'seal-people', input: never) => (++calls >= 3 ? Promise.reject(new Error('simulated crash')) : inline.run(task, input)), close: async () => {} } as unknown as SealPool;
      const subjects = await count('subjects');
      await assert.rejects(run(file, { batchSize: 5, pool: crashing }), /simulated crash/);
      assert.equal(await count('subjects'), subjects + 10, 'two batches committed before the crash');
      assert.equal(await app.ctx.store.system.getProgress(`import:${await sha256File(file)}`), '12', 'marker at the last record of batch 2');

      const s = await run(file, { batchSize: 5 });
      assert.equal(s.resumedAfter, 12);
      assert.equal(s.skipped, 10);
      assert.equal(s.imported, 15);
      assert.equal(s.alreadyPresent, 10);
      assert.equal(s.rejected, 1, 'the bad row before the cursor is still reported');
      assert.match(readFileSync(s.reportPath, 'utf8'), /^9,phone,/m);
      assert.equal(await count('subjects'), subjects + 25);
      const failures = (await auditEvents()).filter((e) => e.action === 'import' && e.outcome === 'failure');
      assert.equal(failures.length, 1, 'the interrupted run is audited as a failure');
    });

    it('keeps case numbers unique', async () => {
      const file = write(csv([person(700, { case_number: 'CN-700' }), person(701, { case_number: 'CN-700' })]));
      const s = await run(file);
      assert.deepEqual([s.imported, s.rejected], [1, 1]);
      assert.match(readFileSync(s.reportPath, 'utf8'), /^3,case_number,duplicate case number in this file$/m);
      const other = await run(write(csv([person(702, { case_number: 'CN-700' }), person(703, { case_number: 'CN-703' })])));
      assert.deepEqual([other.imported, other.alreadyPresent, other.rejected], [1, 0, 1]);
      assert.match(readFileSync(other.reportPath, 'utf8'), /^2,case_number,is already registered to another person$/m);
      const same = await run(write(csv([person(700, { case_number: 'CN-700', outcome: 'recovered' })])));
      assert.deepEqual([same.imported, same.alreadyPresent, same.rejected], [0, 1, 0], 'the same person with the same case number is already present');
    });

    it('ingestRows takes generated rows directly (no CSV), with the same rules', async () => {
      const rows: { record: number; row: LineListRow }[] = Array.from({ length: 30 }, (_, k) => ({ record: k + 2, row: person(800 + k) }));
      rows.push({ record: 32, row: person(830, { sex: 'X' }) }, { record: 33, row: rows[0]!.row });
      const rejected: [number, string][] = [];
      const r = await ingestRows(app.ctx, (async function* () { yield* rows; })(), { batchSize: 7, pool: new SealPool(workerKeysOf(app.ctx.keys), 0), onReject: (rec, p) => rejected.push([rec, p[0]!.field]) });
      assert.deepEqual([r.rowsRead, r.imported, r.alreadyPresent, r.rejected, r.resumedAfter], [32, 30, 0, 2, null]);
      assert.deepEqual(rejected, [[32, 'sex'], [33, 'id_number']]);
      const again = await ingestRows(app.ctx, rows, { pool: new SealPool(workerKeysOf(app.ctx.keys), 0) });
      assert.deepEqual([again.imported, again.alreadyPresent], [0, 30]);
    });

    it('gives subjects and cases ids ordered by their batch time, and case numbers from the ids\' random part', async () => {
      const rows = Array.from({ length: 12 }, (_, k) => ({ record: k + 2, row: person(900 + k) }));
      const r = await ingestRows(app.ctx, rows, { batchSize: 4, pool: new SealPool(workerKeysOf(app.ctx.keys), 0) });
      assert.equal(r.imported, 12);
      const created = await findByDocument(app.ctx, rows[0]!.row.id_number!, 'case_investigation');
      const people = await Promise.all(rows.map(async ({ row }) => readPerson(app.ctx, (await findByDocument(app.ctx, row.id_number!, 'case_investigation'))[0]!, 'case_investigation')));
      assert.equal(people[0]!.subjectId, created[0]);
      const SORTED = '234567abcdefghijklmnopqrstuvwxyz';
      const timeOf = (id: string) => { let n = 0n; for (const ch of id.slice(1, 11)) n = (n << 5n) | BigInt(SORTED.indexOf(ch)); return Number(n >> 2n); };
      for (const p of people) {
        assert.match(p.subjectId, /^s[a-z2-7]{26}$/);
        const subject = (await app.ctx.store.subjects.getSubject(p.subjectId))!;
        assert.equal(timeOf(p.subjectId), Date.parse(subject.created_at), 'the id holds the created_at stored beside it, nothing else');
        const kase = p.cases[0]!;
        assert.match(kase.id, /^c[a-z2-7]{26}$/);
        assert.equal(timeOf(kase.id), Date.parse(subject.created_at));
        assert.equal(kase.caseNumber, `110105-20250103-${kase.id.slice(11, 21)}`);
      }
      // Batches are sealed at increasing times: ids of later batches sort after those of earlier ones.
      const ids = people.map((p) => p.subjectId);
      for (let b = 4; b < 12; b += 4) assert.ok(ids.slice(b - 4, b).every((a) => ids.slice(b, b + 4).every((z) => a < z || timeOf(a) === timeOf(z))));
      if (engine === 'sqlite') assert.equal(await app.ctx.store.system.setSqliteWalAutocheckpoint(1000), 1000, 'the import restored the WAL checkpoint threshold');
    });
  });
}
