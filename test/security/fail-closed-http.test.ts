/**
 * Fail closed through the HTTP API: when the audit event of a read cannot be written, the staff
 * API answers an error without any of the record's data; when it can again, the same read works.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { engines } from '../support/engines.ts';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { injectAuditFault } from '../support/raw-sql.ts';
import { acceptTerms, createStaff, signIn, staffHeaders } from '../support/staff.ts';
import { buildServer } from '../../src/http/app.ts';
import { makeResidentId } from '../../src/domain/id-number.ts';

for (const { engine, skip } of await engines()) {
  describe(`the staff API fails closed on ${engine}`, { skip }, () => {
    let app: TestApp;
    let s: FastifyInstance;
    before(async () => {
      app = await testApp(engine);
      s = buildServer(app.ctx);
    });
    after(async () => {
      await s?.close();
      await app?.cleanup();
    });

    it('returns nothing of a case whose read cannot be audited', async () => {
      const inv = await createStaff(app.ctx, { role: 'investigator', jurisdiction: '110101', username: `fc-${engine}` });
      const session = await signIn(s, inv);
      await acceptTerms(s, session);
      const h = staffHeaders(session, 'case_investigation');
      const person = { name: '闭锁测试', documentType: 'resident_id', documentNumber: makeResidentId('110101', '1988-08-08', 5, 'F'), phone: '13700001234', address: '北京市东城区闭锁路5号', birthDate: '1988-08-08', sex: 'F', districtCode: '110101' };
      const created = await s.inject({ method: 'POST', url: '/api/cases', headers: h, payload: { person, case: { classification: 'confirmed', reportDate: '2026-11-20' } } });
      assert.equal(created.statusCode, 201, created.body);
      const url = `/api/cases/${(created.json() as { id: string }).id}`;
      assert.equal((await s.inject({ method: 'GET', url, headers: h })).statusCode, 200);

      const removeFault = await injectAuditFault(app.db);
      try {
        const res = await s.inject({ method: 'GET', url, headers: h });
        assert.equal(res.statusCode, 500);
        assert.deepEqual(Object.keys(res.json() as object).sort(), ['code', 'message']);
        assert.ok(!res.body.includes(person.name[0]!) && !res.body.includes('1234') && !res.body.includes('caseNumber'), 'no data of the case');
      } finally {
        await removeFault();
      }
      assert.equal((await s.inject({ method: 'GET', url, headers: h })).statusCode, 200);
    });
  });
}
