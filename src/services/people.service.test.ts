import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/engines.ts';
import { testApp } from '../../test/support/app.ts';
import type { TestApp } from '../../test/support/app.ts';
import { validateLineListRow } from '../domain/line-list.ts';
import { makeResidentId } from '../domain/id-number.ts';
import { findByDocument, readPerson, registerPeople } from './people.service.ts';
import { sealPerson } from './subject-cipher.ts';

const row = (i: number) => ({
  name: `测试${i}`, id_number: makeResidentId('110105', '1985-03-0' + ((i % 9) + 1), i, i % 2 ? 'M' : 'F'), phone: `1380000${String(1000 + i).padStart(4, '0')}`,
  address: '北京市朝阳区某街道1号', birth_date: '1985-03-0' + ((i % 9) + 1), sex: i % 2 ? 'M' : 'F', district_code: '110105',
  classification: 'confirmed', onset_date: '2026-11-01', report_date: '2026-11-03',
});

for (const { engine, skip } of await engines()) {
  describe(`people service on ${engine}`, { skip }, () => {
    let app: TestApp;
    before(async () => { app = await testApp(engine); });
    after(async () => { await app?.cleanup(); });

    const sealRows = (n: number, from = 0) => Array.from({ length: n }, (_, k) => {
      const r = validateLineListRow(row(from + k), '2026-11-29');
      assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
      const keys = app.ctx.keys;
      return sealPerson({ root: keys.keyring.current(), documentIndex: keys.documentIndex, phoneIndex: keys.phoneIndex, nameIndex: keys.nameIndex, auditSubject: keys.auditSubject }, r.person, r.case, new Date().toISOString());
    });

    it('registers people once, reads them back decrypted, and audits every step', async () => {
      const first = await registerPeople(app.ctx, sealRows(20), { purpose: 'case_investigation' });
      assert.equal(first.created, 20);
      const again = await registerPeople(app.ctx, sealRows(25), { purpose: 'case_investigation' });
      assert.equal(again.created, 5);
      assert.equal(again.duplicates, 20);
      assert.equal(await app.ctx.store.system.count('subjects'), 25);
      const found = await findByDocument(app.ctx, row(3).id_number.toLowerCase(), 'case_investigation');
      assert.equal(found.length, 1);
      const view = await readPerson(app.ctx, found[0]!, 'case_investigation');
      assert.equal(view.identity.name, '测试3');
      assert.equal(view.cases[0]?.classification, 'confirmed');
      assert.equal(view.cases[0]?.details.onsetDate, '2026-11-01');
      const events = await app.ctx.store.audit.list(0, 1000);
      assert.equal(events.filter((e) => e.action === 'create').length, 25);
      assert.equal(events.filter((e) => e.action === 'read').length, 1);
      assert.ok(events.every((e) => e.subject_ref === null || /^[0-9a-f]{32}$/.test(e.subject_ref)));
    });

    it('answers an unknown subject like a forbidden one, and audits the attempt', async () => {
      const before = await app.ctx.store.audit.count();
      await assert.rejects(readPerson(app.ctx, 'snonexistent', 'case_investigation'), /not found or no access/);
      assert.equal(await app.ctx.store.audit.count(), before + 1);
    });
  });
}
