import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/engines.ts';
import { testApp } from '../../test/support/app.ts';
import type { TestApp } from '../../test/support/app.ts';
import { totpCode } from '../crypto/index.ts';
import { validateLineListRow } from '../domain/line-list.ts';
import { makeResidentId } from '../domain/id-number.ts';
import { DEMO_ACCOUNTS, DEMO_DATA_DIR_MARK, ensureDemoAccountsIn } from './demo-accounts.service.ts';
import { registerPeople } from './people.service.ts';
import { signIn } from './session.service.ts';
import { sealPerson } from './subject-cipher.ts';

const row = (i: number, district: string) => ({
  name: `演示${i}`, id_number: makeResidentId(district, '1980-01-0' + ((i % 9) + 1), i, i % 2 ? 'M' : 'F'), phone: `1390000${String(1000 + i).padStart(4, '0')}`,
  address: '北京市某街道1号', birth_date: '1980-01-0' + ((i % 9) + 1), sex: i % 2 ? 'M' : 'F', district_code: district,
  classification: 'confirmed', onset_date: '2026-11-01', report_date: `2026-11-${String(10 + i).padStart(2, '0')}`,
});

for (const { engine, skip } of await engines()) {
  describe(`demo accounts on ${engine}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await testApp(engine);
      const k = app.ctx.keys;
      const people = [...Array.from({ length: 7 }, (_, i) => row(i, '110108')), ...Array.from({ length: 2 }, (_, i) => row(10 + i, '110105'))].map((r) => {
        const v = validateLineListRow(r, '2026-11-29');
        assert.ok(v.ok);
        return sealPerson({ root: k.keyring.current(), documentIndex: k.documentIndex, phoneIndex: k.phoneIndex, nameIndex: k.nameIndex, auditSubject: k.auditSubject }, v.person, v.case, new Date().toISOString());
      });
      await registerPeople(app.ctx, people, { purpose: 'case_investigation' });
    });
    after(async () => { await app?.cleanup(); });

    it('are never created outside the demo data directory', async () => {
      assert.equal(await ensureDemoAccountsIn(app.ctx), null);
      assert.equal((await app.ctx.store.staff.listAccounts()).length, 0);
    });

    it('in the demo data directory: one per role, fixed credentials, no password change, terms not accepted, cases assigned', async () => {
      await app.ctx.store.system.setMeta(DEMO_DATA_DIR_MARK, '1');
      const accounts = (await ensureDemoAccountsIn(app.ctx))!;
      assert.deepEqual(accounts.map((a) => a.account.role).sort(), ['administrator', 'approver', 'auditor', 'data_protection_officer', 'disclosure_officer', 'investigator', 'supervisor', 'tracer']);
      for (const a of accounts) {
        assert.equal(a.account.demo, true);
        assert.equal(a.account.mustChangePassword, false);
        assert.equal(await app.ctx.store.staff.hasAcceptedTerms(a.account.id, '2026-12-01'), false);
      }
      const investigator = accounts.find((a) => a.account.role === 'investigator')!;
      assert.equal(investigator.account.jurisdiction, '110108', 'the district with the most cases');
      assert.equal(investigator.assignedCases, 5);
      assert.equal(accounts.find((a) => a.account.role === 'supervisor')!.account.jurisdiction, '11');
      const page = await app.ctx.store.access.listForStaff(investigator.account.id, { limit: 10 });
      assert.equal(page.items.length, 5);
      assert.ok(page.items.every((c) => c.jurisdiction === '110108'));

      const spec = DEMO_ACCOUNTS.find((d) => d.role === 'tracer')!;
      const s = await signIn(app.ctx, { username: spec.username, password: spec.password, totp: await totpCode(spec.totpSecret, Date.now()) });
      assert.equal(s.stage, 'active');
      assert.equal(s.demo, true);
      assert.equal(s.actor.termsAccepted, false);

      const again = (await ensureDemoAccountsIn(app.ctx))!;
      assert.deepEqual(again.map((a) => a.account.id), accounts.map((a) => a.account.id), 'idempotent');
      assert.equal(again.every((a) => a.assignedCases === 0), true);
      const events = await app.ctx.store.audit.list(0, 1000);
      assert.equal(events.filter((e) => e.action === 'account.create').length, 8);
      assert.equal(events.filter((e) => e.action === 'assign').length, 10);
    });
  });
}
