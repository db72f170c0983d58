import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/engines.ts';
import { testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { rawSql } from '../../../test/support/raw-sql.ts';
import { CHAOYANG, daysAgo, HAIDIAN } from '../../../test/support/records.ts';
import { addCase, addPerson, addPlace, staffMember, visit } from '../../../test/support/tracing.ts';
import type { StaffMember } from '../../../test/support/tracing.ts';
import { tracingSettings } from '../../tracing/settings.ts';
import { confirmCandidate, dismissCandidate, listCandidates, onCaseConfirmed, runDiscovery } from './discovery.service.ts';

/**
 * A seeded scenario: a case in Chaoyang (onset 5 days ago, reported 3 days ago: infectious window
 * from 9 days ago to the end of the report day) visited venue A 6 days ago 10:00–11:00 and venue B
 * 11 days ago (before the window). Other people visited around those times; the default buffer is
 * 30 minutes, so the case's exposure interval at A is 09:30–11:30.
 */
for (const { engine, skip } of await engines()) {
  describe(`contact discovery on ${engine}`, { skip }, () => {
    let t: TestApp;
    let supervisor: StaffMember;
    let tracer: StaffMember;
    let stranger: StaffMember;
    let caseId: string;
    let placeA: string;
    const day = daysAgo(6);
    const people: Record<string, string> = {};
    const trips: Record<string, string> = {};

    before(async () => {
      t = await testApp(engine);
      const ctx = t.ctx;
      supervisor = await staffMember(ctx, 'supervisor', '110000');
      tracer = await staffMember(ctx, 'tracer', CHAOYANG);
      stranger = await staffMember(ctx, 'tracer', CHAOYANG);
      const a = await addPlace(ctx, CHAOYANG, '测试火锅店');
      placeA = a;
      const b = await addPlace(ctx, CHAOYANG);
      const c = await addPlace(ctx, CHAOYANG);
      const kase = await addCase(ctx, supervisor, CHAOYANG, { onset: daysAgo(5), report: daysAgo(3) }, [tracer]);
      caseId = kase.caseId;
      people.theFirstCase = kase.subjectId;
      trips.caseA = await visit(ctx, supervisor, kase.subjectId, a, day, '10:00', '11:00');
      trips.caseB = await visit(ctx, supervisor, kase.subjectId, b, daysAgo(11), '10:00', '12:00');
      const stays: [string, string, string, string, string, string?][] = [
        ['overlap30', a, day, '10:30', '11:30'],
        ['same', a, day, '10:00', '11:00'],
        ['touchingAfter', a, day, '11:00', '11:20'], // touches the case's departure: only the buffer makes it a contact
        ['beyondBuffer', a, day, '11:40', '12:00'], // shares the 11:00 slot's token, no overlap: opened, rejected
        ['beforeBuffer', a, day, '09:00', '09:25'], // shares the 09:00 slot's token (the buffer reaches 09:30): opened, rejected
        ['oneMinute', a, day, '09:00', '09:31'],
        ['outsideWindow', b, daysAgo(11), '10:30', '11:00'], // overlaps the case at B, but before the infectious window
        ['otherDay', a, daysAgo(4), '10:30', '11:00'],
        ['otherVenue', c, day, '10:00', '11:00'],
        ['nextSlot', a, day, '12:00', '12:30'],
        ['elsewhere', a, day, '10:45', '11:15', HAIDIAN], // lives in Haidian: a hand-over on confirmation
      ];
      for (const [name, place, date, from, to, district] of stays) {
        people[name] = await addPerson(ctx, district ?? CHAOYANG);
        trips[name] = await visit(ctx, supervisor, people[name]!, place, date, from, to);
      }
      // Candidates' other visits must stay sealed too.
      trips.overlap30Other = await visit(ctx, supervisor, people.overlap30!, c, daysAgo(4), '10:00', '11:00');
    });
    after(async () => { await t?.cleanup(); });

    it('finds exactly the overlapping visitors in the infectious window, ranked by overlap', async () => {
      const r = await runDiscovery(t.ctx, tracer.req(), caseId);
      const found = new Map(r.candidates.map((c) => [c.subject.id, c]));
      // Equal totals: the later exposure first (overlap30 ends at 11:30, same at 11:00).
      const expected = ['overlap30', 'same', 'elsewhere', 'touchingAfter', 'oneMinute'];
      assert.deepEqual(new Set(found.keys()), new Set(expected.map((n) => people[n])));
      assert.deepEqual(r.candidates.map((c) => c.subject.id), expected.map((n) => people[n]), 'ranked by total overlap');
      const minutes = Object.fromEntries(expected.map((n) => [n, found.get(people[n]!)!.totalOverlapMinutes]));
      assert.deepEqual(minutes, { overlap30: 60, same: 60, elsewhere: 30, touchingAfter: 20, oneMinute: 1 });
      const top = r.candidates[0]!;
      assert.equal(top.rank, 1);
      assert.equal(top.status, 'open');
      assert.equal(top.overlaps[0]!.placeName, '测试火锅店');
      assert.equal(top.subject.identity.name.masked, true);
      assert.match(top.subject.identity.name.value ?? '', /^测\*+$/);
      assert.equal(found.get(people.elsewhere!)!.subject.livesElsewhere, true);
      assert.equal(r.bufferMinutes, 30);
    });

    it('treats touching stays as apart without a buffer, and honours a minimum overlap', async () => {
      const noBuffer = await runDiscovery(t.ctx, tracer.req(), caseId, { settings: tracingSettings({ discovery: { bufferMinutes: 0 } }) });
      assert.deepEqual(new Set(noBuffer.candidates.map((c) => c.subject.id)), new Set(['same', 'overlap30', 'elsewhere'].map((n) => people[n])));
      const min = await runDiscovery(t.ctx, tracer.req(), caseId, { settings: tracingSettings({ discovery: { minOverlapMinutes: 25 } }) });
      assert.deepEqual(new Set(min.candidates.map((c) => c.subject.id)), new Set(['same', 'overlap30', 'elsewhere'].map((n) => people[n])));
    });

    it('opens only the case\'s own trail and the visits that share a token with it, never another person\'s key otherwise', async () => {
      // Non-candidates' keys are destroyed: had discovery needed any of them, it would fail.
      const raw = await rawSql(t.db);
      const shredded = ['outsideWindow', 'otherDay', 'otherVenue', 'nextSlot'].map((n) => people[n]!);
      for (const id of shredded) await raw.exec(`update subject_keys set wrapped = ${engine === 'sqlite' ? "x'00'" : "'\\x00'::bytea"} where subject_id = '${id}'`);
      await raw.close();
      const opened: string[] = [];
      const unwrapped: string[] = [];
      const r = await runDiscovery(t.ctx, tracer.req(), caseId, { probe: { onOpenTravel: (id, _s, own) => { if (!own) opened.push(id); }, onUnwrapKey: (s) => unwrapped.push(s) } });
      assert.equal(r.candidates.length, 5);
      const expectedOpened = ['overlap30', 'same', 'touchingAfter', 'beyondBuffer', 'beforeBuffer', 'oneMinute', 'elsewhere'].map((n) => trips[n]);
      assert.deepEqual(new Set(opened), new Set(expectedOpened), 'only the records matching a token are opened');
      assert.equal(opened.length, expectedOpened.length, 'each once');
      assert.ok(!opened.includes(trips.overlap30Other), 'a candidate\'s other visits stay sealed');
      for (const id of shredded) assert.ok(!unwrapped.includes(id));
    });

    it('keeps decisions across runs, dismisses with a reason, confirms into a contact, quarantine and hand-over', async () => {
      const list = await listCandidates(t.ctx, tracer.req(), caseId);
      const byName = (n: string) => list.find((c) => c.subject.id === people[n])!;
      const dismissed = await dismissCandidate(t.ctx, tracer.req(), byName('touchingAfter').id, { reason: 'separate_space', note: '在隔壁包间，没有接触' });
      assert.equal(dismissed.status, 'dismissed');
      assert.deepEqual({ reason: dismissed.dismissal!.reason, note: dismissed.dismissal!.note }, { reason: 'separate_space', note: '在隔壁包间，没有接触' });
      await assert.rejects(dismissCandidate(t.ctx, tracer.req(), byName('same').id, { reason: 'other' }), { code: 'ERR_REASON_REQUIRED' });
      const confirmed = await confirmCandidate(t.ctx, tracer.req(), byName('same').id);
      assert.equal(confirmed.candidate.status, 'confirmed');
      assert.equal(confirmed.handoverId, null);
      const link = (await t.ctx.store.contacts.get(confirmed.contactId))!;
      assert.equal(link.case_id, caseId);
      assert.equal(link.contact_subject_id, people.same);
      const q = (await t.ctx.store.tracing.getQuarantine(confirmed.quarantineId))!;
      assert.equal(q.status, 'active');
      assert.equal((await t.ctx.store.tracing.getRiskStatus(people.same!))!.status, 'red');
      const away = await confirmCandidate(t.ctx, tracer.req(), byName('elsewhere').id);
      assert.ok(away.handoverId);
      assert.equal((await t.ctx.store.tracing.getHandover(away.handoverId))!.to_jurisdiction, HAIDIAN);
      await assert.rejects(confirmCandidate(t.ctx, tracer.req(), byName('same').id), { code: 'ERR_CONFLICT' });
      const again = await runDiscovery(t.ctx, tracer.req(), caseId);
      const status = Object.fromEntries(again.candidates.map((c) => [c.subject.id, c.status]));
      assert.equal(status[people.touchingAfter!], 'dismissed');
      assert.equal(status[people.same!], 'confirmed');
      assert.equal(status[people.overlap30!], 'open');
    });

    it('runs on confirmation: candidates stored for the case\'s tracers, nothing returned, audited once', async () => {
      const other = await addCase(t.ctx, supervisor, CHAOYANG, { onset: daysAgo(5), report: daysAgo(3) }, [tracer]);
      await visit(t.ctx, supervisor, other.subjectId, placeA, day, '09:00', '09:40');
      const before = await t.ctx.store.audit.count();
      const n = await onCaseConfirmed(t.ctx, supervisor.req('case_investigation'), other.caseId);
      assert.equal(n, 4, 'oneMinute, beforeBuffer, same and the first case (09:00-09:40 plus 30 minutes reaches 10:10)');
      assert.equal(await t.ctx.store.audit.count(), before + 1);
      const listed = await listCandidates(t.ctx, tracer.req(), other.caseId);
      assert.deepEqual(new Set(listed.map((c) => c.subject.id)), new Set(['oneMinute', 'beforeBuffer', 'same', 'theFirstCase'].map((x) => people[x])));
      assert.equal((await t.ctx.store.tracing.getRiskStatus(other.subjectId))!.status, 'red');
    });

    it('denies staff not assigned to the case, and audits discovery, each candidate shown and each denial', async () => {
      const auditor = await staffMember(t.ctx, 'auditor', '110000');
      const unaccepted = await staffMember(t.ctx, 'tracer', CHAOYANG, false);
      await t.ctx.store.cases.assign(caseId, unaccepted.id, new Date().toISOString());
      const before = await t.ctx.store.audit.count();
      await assert.rejects(runDiscovery(t.ctx, stranger.req(), caseId), { code: 'ERR_NOT_FOUND' });
      await assert.rejects(listCandidates(t.ctx, stranger.req(), caseId), { code: 'ERR_NOT_FOUND' });
      await assert.rejects(runDiscovery(t.ctx, tracer.req('case_investigation'), caseId), { code: 'ERR_NOT_FOUND' });
      await assert.rejects(runDiscovery(t.ctx, tracer.req(), 'c-does-not-exist'), { code: 'ERR_NOT_FOUND' });
      await assert.rejects(listCandidates(t.ctx, auditor.req(), caseId), { code: 'ERR_NOT_FOUND' });
      await assert.rejects(listCandidates(t.ctx, unaccepted.req(), caseId), { code: 'ERR_TERMS_REQUIRED' });
      const denied = await t.ctx.store.audit.count();
      assert.equal(denied - before, 6, 'every denial is audited');
      const r = await runDiscovery(t.ctx, supervisor.req(), caseId);
      assert.equal(await t.ctx.store.audit.count(), denied + 1 + r.candidates.length);
    });
  });
}
