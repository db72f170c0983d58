/**
 * Fail closed (DESIGN.md): if the audit event cannot be written, the operation fails, returns
 * nothing and changes nothing. The fault is injected in the database: a trigger that rejects
 * every insert into audit_events.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.ts';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { injectAuditFault } from '../support/raw-sql.ts';
import { validateLineListRow } from '../../src/domain/line-list.ts';
import { makeResidentId } from '../../src/domain/id-number.ts';
import { readPerson, registerPeople } from '../../src/services/people.service.ts';
import { sealPerson } from '../../src/services/subject-cipher.ts';
import { workerKeysOf } from '../../src/services/seal-tasks.ts';

const row = (i: number) => ({
  name: `故障${i}`, id_number: makeResidentId('110101', '1990-01-01', i, 'F'), phone: `1390000${String(i).padStart(4, '0')}`,
  address: '北京市东城区东华门街道1号', birth_date: '1990-01-01', sex: 'F', district_code: '110101',
  classification: 'suspected', onset_date: '2026-11-20', report_date: '2026-11-21',
});

for (const { engine, skip } of await engines()) {
  describe(`audit fails closed on ${engine}`, { skip }, () => {
    let app: TestApp;
    before(async () => { app = await testApp(engine); });
    after(async () => { await app?.cleanup(); });

    const sealed = (i: number) => {
      const r = validateLineListRow(row(i), '2026-11-29');
      assert.ok(r.ok);
      return sealPerson(workerKeysOf(app.ctx.keys), r.person, r.case, new Date().toISOString());
    };

    it('a read whose audit event cannot be written returns nothing; a write is rolled back', async () => {
      const created = await registerPeople(app.ctx, [sealed(1)], { purpose: 'case_investigation' });
      const subjectId = created.subjectIds[0]!;
      assert.equal((await readPerson(app.ctx, subjectId, 'case_investigation')).identity.name, '故障1');

      const removeFault = await injectAuditFault(app.db);
      try {
        let leaked: unknown = null;
        await assert.rejects(async () => { leaked = await readPerson(app.ctx, subjectId, 'case_investigation'); }, /injected audit fault/);
        assert.equal(leaked, null, 'nothing was returned');
        const subjectsBefore = await app.ctx.store.system.count('subjects');
        await assert.rejects(registerPeople(app.ctx, [sealed(2)], { purpose: 'case_investigation' }), /injected audit fault/);
        assert.equal(await app.ctx.store.system.count('subjects'), subjectsBefore, 'the write was rolled back with its audit event');
      } finally {
        await removeFault();
      }
      assert.equal((await readPerson(app.ctx, subjectId, 'case_investigation')).identity.name, '故障1');
    });
  });
}
