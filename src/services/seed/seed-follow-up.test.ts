import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { documentIndex } from '../../crypto/index.ts';
import { addDays, todayIsoDate } from '../../domain/dates.ts';
import { normalizeDocumentNumber } from '../../domain/documents.ts';
import type { ContactExposure } from '../../domain/model.ts';
import { engines } from '../../../test/support/engines.ts';
import { testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { staffMember } from '../../../test/support/tracing.ts';
import type { AppContext } from '../app-context.ts';
import { openSubjectJson, unwrapDataKey } from '../subject-cipher.ts';
import { addFollowup, readQuarantine } from '../tracing/follow-up.service.ts';
import { recomputeRiskStatus } from '../tracing/risk-status.service.ts';
import type { QuarantineState } from '../tracing/tracing-records.ts';
import { City } from './city-generator.ts';
import { DEFAULT_DAYS, seedCity } from './seed.service.ts';

// The period ends yesterday (the default start date) and imported cases keep coming (as in the demo
// city), so some quarantines are over and some still run.
const TODAY = todayIsoDate();
const PARAMS = { persons: 300, seed: 11, days: DEFAULT_DAYS, startDate: addDays(TODAY, -DEFAULT_DAYS), importedCasesPerWeek: 2 };
const city = new City(PARAMS);

async function subjectOf(ctx: AppContext, index: number): Promise<string> {
  const bidx = documentIndex(ctx.keys.documentIndex, 'resident_id', normalizeDocumentNumber('resident_id', city.idNumber(index)));
  return [...(await ctx.store.subjects.findByDocuments([bidx])).values()][0]!;
}

async function dekOf(ctx: AppContext, subjectId: string) {
  const key = (await ctx.store.subjects.getKey(subjectId))!;
  return unwrapDataKey(ctx.keys.keyring.get(key.root_version), subjectId, key.wrapped);
}

for (const { engine, skip } of await engines()) {
  describe(`seeded close contacts' follow-up on ${engine}`, { skip }, () => {
    let app: TestApp;
    /** Per planned link: the link row, its quarantines, the opened exposure and state. */
    let seeded: { index: number; contact: string; caseJurisdiction: string; exposure: ContactExposure; quarantines: Awaited<ReturnType<AppContext['store']['tracing']['quarantinesOfLinks']>>; state: QuarantineState }[];

    before(async () => {
      app = await testApp(engine);
      // Interrupted once and resumed: links across the stop resolve their earlier person from the database.
      assert.equal((await seedCity(app.ctx, { ...PARAMS, batchSize: 70, stopAfterBatches: 2 })).status, 'interrupted');
      const s = await seedCity(app.ctx, { ...PARAMS, batchSize: 70 });
      assert.equal(s.status, 'complete');
      seeded = [];
      for (const l of city.plan.links) {
        const contact = await subjectOf(app.ctx, l.contactIndex);
        const [kase] = await app.ctx.store.cases.casesOfSubject(await subjectOf(app.ctx, l.caseIndex));
        const link = (await app.ctx.store.cases.contactsOfCase(kase!.id)).find((c) => c.contact_subject_id === contact)!;
        const dek = await dekOf(app.ctx, contact);
        const quarantines = await app.ctx.store.tracing.quarantinesOfLinks([link.id]);
        const state = quarantines[0] ? openSubjectJson<QuarantineState>(dek, contact, 'quarantines', quarantines[0].id, quarantines[0].sealed) : { events: [] };
        seeded.push({ index: l.contactIndex, contact, caseJurisdiction: kase!.jurisdiction_code, exposure: openSubjectJson<ContactExposure>(dek, contact, 'contact_links', link.id, link.sealed), quarantines, state });
      }
    });
    after(async () => { await app?.cleanup(); });

    it('gives every contact link exactly one quarantine with the link’s dates, ended if over before today, else active', async () => {
      assert.ok(seeded.length > 20, `a city with contacts (${seeded.length})`);
      const all = [...await app.ctx.store.tracing.quarantinesIn('', 'active', undefined, 100_000), ...await app.ctx.store.tracing.quarantinesIn('', 'ended', undefined, 100_000)];
      assert.equal(all.length, seeded.length, 'no other quarantine');
      const statuses = new Set<string>();
      for (const [k, s] of seeded.entries()) {
        assert.equal(s.quarantines.length, 1, `link ${k}`);
        const q = s.quarantines[0]!;
        assert.equal(s.exposure.quarantineStart, city.plan.links[k]!.exposure.quarantineStart);
        assert.equal(s.exposure.quarantineEnd, city.plan.links[k]!.exposure.quarantineEnd);
        const ended = s.exposure.quarantineEnd! < TODAY;
        assert.equal(q.status, ended ? 'ended' : 'active', `link ${k} ends ${s.exposure.quarantineEnd}`);
        statuses.add(q.status);
        assert.deepEqual([q.subject_id, q.jurisdiction_code, q.assigned_to], [s.contact, s.caseJurisdiction, null]);
        assert.deepEqual(s.state.events.map((e) => [e.action, e.end, e.by]), [
          ['start', s.exposure.quarantineEnd, app.ctx.actor.id],
          ...(ended ? [['end', s.exposure.quarantineEnd, app.ctx.actor.id]] : []),
        ]);
        if (ended) assert.equal(s.state.events[1]!.reason, 'completed');
      }
      assert.deepEqual([...statuses].sort(), ['active', 'ended'], 'both kinds in a period ending yesterday');
    });

    it('stores the risk status recomputing would give every contact', async () => {
      const people = new Set(seeded.map((s) => s.contact));
      const stored = new Map((await app.ctx.store.tracing.riskStatusesOf([...people])).map((r) => [r.subject_id, r]));
      assert.equal(stored.size, people.size, 'every contact has a status');
      const everyone = await app.ctx.store.tracing.subjectsWithReason(['confirmed_case', 'close_contact_in_quarantine', 'secondary_contact', 'high_risk_area_stay', 'no_risk_found'], undefined, 100_000);
      assert.equal(everyone.length, people.size, 'nobody else');
      const recomputed = await app.ctx.store.transaction((repos) => recomputeRiskStatus(app.ctx, repos, [...people], new Date()));
      const reasons = new Set<string>();
      for (const id of people) {
        const want = recomputed.get(id)!;
        assert.deepEqual([stored.get(id)!.status, stored.get(id)!.reason], [want.status, want.reason]);
        reasons.add(want.reason);
      }
      assert.ok(reasons.has('close_contact_in_quarantine') && reasons.has('confirmed_case') && reasons.has('no_risk_found'), [...reasons].join());
    });

    it('lets staff add a follow-up entry to a running quarantine through the follow-up service, and not to an ended one', async () => {
      const supervisor = await staffMember(app.ctx, 'supervisor', '110000');
      const req = supervisor.req('quarantine_followup');
      const running = seeded.find((s) => s.quarantines[0]!.status === 'active' && s.exposure.quarantineStart! <= TODAY)!;
      const q = running.quarantines[0]!;
      const view = await addFollowup(app.ctx, req, q.id, { date: TODAY, symptoms: ['咳嗽'], temperatureC: 37.2 });
      assert.deepEqual([view.status, view.quarantineStart, view.quarantineEnd], ['active', running.exposure.quarantineStart, running.exposure.quarantineEnd]);
      assert.deepEqual(view.entries.map((e) => [e.date, e.symptoms, e.temperatureC]), [[TODAY, ['咳嗽'], 37.2]]);
      assert.equal((await app.ctx.store.tracing.followupsOf(q.id)).length, 1);
      await assert.rejects(addFollowup(app.ctx, req, q.id, { date: TODAY }), { code: 'ERR_CONFLICT', field: 'date' });
      const over = seeded.find((s) => s.quarantines[0]!.status === 'ended')!.quarantines[0]!;
      assert.equal((await readQuarantine(app.ctx, req, over.id)).status, 'ended');
      await assert.rejects(addFollowup(app.ctx, req, over.id, { date: TODAY }), { code: 'ERR_CONFLICT' });
    });
  });
}
