import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/engines.ts';
import { testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { CHAOYANG, daysAgo, person } from '../../../test/support/records.ts';
import { addCase, staffMember } from '../../../test/support/tracing.ts';
import { addContact } from '../contact.service.ts';
import { quarantineContact } from './follow-up.service.ts';
import { scheduleRiskStatusRefresh, storedRiskStatuses } from './risk-status.service.ts';

/**
 * The scheduled refresh of risk statuses (the server runs it every EPIVAULT_RISK_REFRESH_MINUTES):
 * a status that time alone changes is updated in storage without anyone reading it.
 */
for (const { engine, skip } of await engines()) {
  describe(`risk status refresh on a schedule on ${engine}`, { skip }, () => {
    let t: TestApp;
    let caseSubject: string;
    let contactSubject: string;

    const stored = async (id: string) => (await t.ctx.store.transaction((repos) => storedRiskStatuses(repos, [id]))).get(id);

    before(async () => {
      t = await testApp(engine);
      const supervisor = await staffMember(t.ctx, 'supervisor', '110000');
      const tracer = await staffMember(t.ctx, 'tracer', CHAOYANG);
      const kase = await addCase(t.ctx, supervisor, CHAOYANG, { onset: daysAgo(5), report: daysAgo(2) }, [tracer]);
      caseSubject = kase.subjectId;
      const c = await addContact(t.ctx, tracer.req(), kase.caseId, { person: person(CHAOYANG), exposure: { exposureType: 'household', exposureDate: daysAgo(3) } });
      contactSubject = c.subject.id;
      if (!(await t.ctx.store.tracing.quarantineOfLink(c.id))) await quarantineContact(t.ctx, tracer.req(), c.id);
    });
    after(async () => { await t?.cleanup(); });

    it('updates in storage a quarantine that ended with time, without a read; leaves the confirmed case as it was', async () => {
      assert.deepEqual([(await stored(contactSubject))?.status, (await stored(contactSubject))?.reason], ['red', 'close_contact_in_quarantine']);
      const caseBefore = await stored(caseSubject);
      assert.equal(caseBefore?.reason, 'confirmed_case');
      // 30 days on, the 14-day quarantine is over: the status is no longer red, though no one read it.
      const later = new Date(Date.now() + 30 * 86_400_000);
      const runs: ({ looked: number } | { error: Error })[] = [];
      let ran!: () => void;
      const first = new Promise<void>((resolve) => { ran = resolve; });
      const stop = scheduleRiskStatusRefresh(t.ctx, 60 * 60_000, { now: () => later, immediately: true, onRun: (r) => { runs.push(r); ran(); } });
      try {
        await first;
      } finally {
        stop();
      }
      assert.deepEqual(runs, [{ looked: 1 }], 'only the status time may change was looked at');
      const now = await stored(contactSubject);
      assert.deepEqual([now?.status, now?.reason, now?.computedAt], ['green', 'no_risk_found', later.toISOString()]);
      assert.deepEqual(await stored(caseSubject), caseBefore, 'a status from a case classification is not time-bound: untouched');
    });

    it('refuses an interval under a second', () => {
      assert.throws(() => scheduleRiskStatusRefresh(t.ctx, 10), /at least 1000 ms/);
      assert.throws(() => scheduleRiskStatusRefresh(t.ctx, Number.NaN), /at least 1000 ms/);
    });
  });
}
