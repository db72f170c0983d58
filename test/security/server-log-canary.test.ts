/**
 * No personal value in the server's log (issue #3 item 9). Canary people go through the staff API
 * with the log at its most verbose level (trace): created as cases, searched by document, phone and
 * name, revealed field by field, updated, sent back in invalid requests (so that validation errors
 * would echo them if they could), typed as usernames and passwords of failed sign-ins, and put in
 * URLs where a careless client would put them. Then the whole log, and every other log the test
 * suite has written so far (EPIVAULT_TEST_LOG_DIR, set by scripts/run-tests.mjs), is scanned for the
 * canary values as UTF-8, hex and base64. Nothing may be found; a positive control proves the scan
 * finds a value that was planted on purpose.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { canaryPeople, canaryValues, findNeedles, needles } from '../support/canary.ts';
import { engines } from '../support/engines.ts';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { acceptTerms, createStaff, signIn, staffHeaders } from '../support/staff.ts';
import { buildServer } from '../../src/http/app.ts';
import { createLogger } from '../../src/services/logger.ts';

const people = canaryPeople();
const needleList = needles(canaryValues(people));

for (const { engine, skip } of await engines()) {
  describe(`no personal value in the server log on ${engine}`, { skip }, () => {
    let app: TestApp;
    let s: FastifyInstance;
    let dir: string;
    let logFile: string;

    before(async () => {
      app = await testApp(engine);
      dir = mkdtempSync(join(tmpdir(), 'epivault-log-canary-'));
      logFile = join(dir, 'server.log');
      // The application's own logger, at trace, into a file.
      s = buildServer({ ...app.ctx, logger: createLogger('trace', logFile) });
    });
    after(async () => {
      await s?.close();
      await app?.cleanup();
      if (!process.env.KEEP_LOG) rmSync(dir, { recursive: true, force: true });
    });

    it('logs requests, errors and sign-ins of canary people without any of their values', async () => {
      const inv = await createStaff(app.ctx, { role: 'investigator', jurisdiction: '110108', username: `canary-inv-${engine}` });
      const session = await signIn(s, inv);
      await acceptTerms(s, session);
      const h = staffHeaders(session, 'case_investigation');
      const caseIds: string[] = [];
      for (const [i, p] of people.entries()) {
        const person = {
          name: p.name, documentType: 'resident_id', documentNumber: p.id_number, phone: p.phone, address: p.address,
          birthDate: p.birth_date, sex: p.sex, employer: p.employer, districtCode: '110108',
        };
        const created = await s.inject({ method: 'POST', url: '/api/cases', headers: h, payload: { person, case: { classification: 'confirmed', reportDate: '2026-11-20', onsetDate: '2026-11-18' } } });
        assert.equal(created.statusCode, 201, created.body);
        const id = (created.json() as { id: string }).id;
        caseIds.push(id);
        // Invalid requests carrying the values: the errors must name fields, never echo values.
        const bad = await s.inject({ method: 'POST', url: '/api/cases', headers: h, payload: { person: { ...person, birthDate: p.name, districtCode: p.phone }, case: { classification: p.employer } } });
        assert.equal(bad.statusCode, 400);
        assert.deepEqual(findNeedles(Buffer.from(bad.body), needleList, 'error body'), []);
        const dup = await s.inject({ method: 'POST', url: '/api/cases', headers: h, payload: { person, case: { classification: 'suspected', reportDate: '2026-11-21' } } });
        assert.equal(dup.statusCode, 409);
        for (const [by, value] of [['document', p.id_number], ['phone', p.phone], ['name', p.name]] as const) {
          const found = await s.inject({ method: 'POST', url: '/api/search', headers: h, payload: { by, value } });
          assert.equal(found.statusCode, 200, found.body);
          assert.ok((found.json() as { items: unknown[] }).items.length >= 1, `search by ${by}`);
        }
        const detail = await s.inject({ method: 'GET', url: `/api/cases/${id}`, headers: h });
        assert.equal(detail.statusCode, 200);
        const subjectId = (detail.json() as { subject: { id: string } }).subject.id;
        for (const field of ['name', 'phone', 'address', 'document']) {
          const shown = await s.inject({ method: 'POST', url: '/api/reveal', headers: h, payload: { resourceType: 'subject', id: subjectId, field, reason: `calling about the case ${i}` } });
          assert.equal(shown.statusCode, 200, shown.body);
        }
        // A careless client putting values in URLs: the server answers, and must not log the query string's values.
        await s.inject({ method: 'GET', url: `/api/cases?jurisdiction=${encodeURIComponent(p.name)}`, headers: h });
        await s.inject({ method: 'GET', url: `/api/cases/${encodeURIComponent(p.id_number)}`, headers: h });
        // Failed sign-ins typed with personal values.
        await s.inject({ method: 'POST', url: '/api/auth/login', payload: { username: p.name, password: p.id_number, totp: '123456' } });
      }
      const patched = await s.inject({ method: 'PATCH', url: `/api/cases/${caseIds[0]}`, headers: h, payload: { outcome: 'recovered', source: people[1]!.name } });
      assert.equal(patched.statusCode, 200, patched.body);

      const log = readFileSync(logFile);
      const completed = log.toString('utf8').split('\n').filter((l) => l.includes('"request completed"'));
      assert.ok(completed.length >= 12 * people.length, `one line per request (${completed.length})`);
      assert.ok(completed.some((l) => l.includes('"route":"/api/cases/:id"')), 'requests are logged by route pattern');
      assert.deepEqual(findNeedles(log, needleList, 'server log'), []);
    });

    it('finds a planted value (positive control) and no canary in any log the suite wrote so far', () => {
      const planted = Buffer.concat([readFileSync(logFile), Buffer.from(JSON.stringify({ msg: `planted ${Buffer.from(people[0]!.phone).toString('base64')}` }))]);
      assert.ok(findNeedles(planted, needleList, 'control').some((f) => f.includes('base64')));
      const suiteDir = process.env.EPIVAULT_TEST_LOG_DIR;
      if (!suiteDir || !existsSync(suiteDir)) return;
      const found = readdirSync(suiteDir).flatMap((f) => findNeedles(readFileSync(join(suiteDir, f)), needleList, `suite log ${f}`));
      assert.deepEqual(found, []);
    });
  });
}
