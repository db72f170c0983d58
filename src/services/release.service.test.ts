import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { engines } from '../../test/support/engines.ts';
import { testApp } from '../../test/support/app.ts';
import type { TestApp } from '../../test/support/app.ts';
import { CHAOYANG, daysAgo } from '../../test/support/records.ts';
import { addCase, addPerson, addPlace, staffMember, visit } from '../../test/support/tracing.ts';
import type { StaffMember } from '../../test/support/tracing.ts';
import { generateKey } from '../crypto/index.ts';
import { ed25519PublicKey } from '../crypto/index.ts';
import { DEFAULT_STANDARD_URL, parseStandard } from '../disclosure/standard/index.ts';
import type { ReleaseArtifact } from '../disclosure/release/index.ts';
import { createCase } from './case.service.ts';
import { person } from '../../test/support/records.ts';
import { BudgetConflictError, BudgetExceededError, chargeBudget, rational } from '../disclosure/index.ts';
import { declareRiskArea, listReleasableAreas, revokeRiskArea } from './tracing/risk-area.service.ts';
import { AREA_ADVICE } from '../disclosure/release/risk-areas.ts';
import { approveRelease, exportResearchExtract, ledgerStore, listReleases, prepareRelease, publishedReleaseReader, publishRelease, readRelease, verifyReleaseSignature, withdrawRelease } from './release.service.ts';

/** The default standard with a smaller visitor threshold and budget, so a small world exercises every path. */
function testStandard() {
  const s = JSON.parse(readFileSync(DEFAULT_STANDARD_URL, 'utf8'));
  s.parameters.exposurePoints.minVisitors = 4;
  s.parameters.dailyCounts.capPerPeriod = '1';
  return parseStandard(s);
}

const REASON = 'checked the preview and the risk report';

/**
 * A small world in Chaoyang: two confirmed cases (onset 3 days ago, reported today) who both visited
 * restaurant A 2 days ago 12:00–13:00, where 3 other registered people were that hour; case 1 also
 * visited restaurant B (one other visitor) and an office building (a workplace).
 */
for (const { engine, skip } of await engines()) {
  describe(`release workflow on ${engine}`, { skip }, () => {
    let t: TestApp;
    let supervisor: StaffMember;
    let officer: StaffMember;
    let approver: StaffMember;
    let placeA: string;
    const standard = testStandard();
    const day = daysAgo(2);

    before(async () => {
      t = await testApp(engine);
      const ctx = t.ctx;
      supervisor = await staffMember(ctx, 'supervisor', '110000');
      officer = await staffMember(ctx, 'disclosure_officer', CHAOYANG);
      approver = await staffMember(ctx, 'approver', CHAOYANG);
      placeA = await addPlace(ctx, CHAOYANG, '测试火锅店');
      const placeB = await addPlace(ctx, CHAOYANG);
      const office = 'pl-test-office';
      await ctx.store.travel.insertPlaces([{ id: office, name: '某大厦', address: '北京市某区某路1号', district_code: CHAOYANG, category: 'office_building', lat: 39.9, lon: 116.4 }]);
      const c1 = await addCase(ctx, supervisor, CHAOYANG, { onset: daysAgo(3), report: daysAgo(0) });
      const c2 = await addCase(ctx, supervisor, CHAOYANG, { onset: daysAgo(3), report: daysAgo(0) });
      await visit(ctx, supervisor, c1.subjectId, placeA, day, '12:00', '12:40');
      await visit(ctx, supervisor, c2.subjectId, placeA, day, '12:10', '12:50');
      await visit(ctx, supervisor, c1.subjectId, placeB, day, '18:00', '19:00');
      await visit(ctx, supervisor, c1.subjectId, office, day, '09:00', '11:00');
      for (let i = 0; i < 3; i++) await visit(ctx, supervisor, await addPerson(ctx), placeA, day, '12:15', '12:45');
      await visit(ctx, supervisor, await addPerson(ctx), placeB, day, '18:00', '18:30');
      for (let i = 0; i < 3; i++) await visit(ctx, supervisor, await addPerson(ctx), office, day, '10:00', '10:30');
    });
    after(async () => t?.cleanup());

    const req = (m: StaffMember) => m.req('disclosure');

    it('prepares exposure points: only the venue with enough visitors, no workplace, nothing about the cases', async () => {
      const r = await prepareRelease(t.ctx, req(officer), { type: 'exposure_points', from: daysAgo(7), to: daysAgo(0) }, standard);
      assert.equal(r.status, 'prepared');
      assert.deepEqual(r.check, { passed: true, failures: [] });
      assert.deepEqual(r.preview.items.map((i) => i.venueId), [placeA]);
      assert.equal(r.risk.staysExcludedByCategory, 1);
      assert.equal(r.risk.windowsWithheld, 1, 'restaurant B is withheld even after widening');
      assert.equal(r.risk.casesContributing, 2);
      assert.equal(r.preview.items[0]!.visitorCount, null);
      assert.ok(r.expiresAt && Date.parse(r.expiresAt) > Date.now() + 10 * 86_400_000);
    });

    it('four eyes: the officer cannot approve, an approver cannot approve a release they prepared, a reason is required', async () => {
      const r = await prepareRelease(t.ctx, req(officer), { type: 'exposure_points', from: daysAgo(7), to: daysAgo(0) }, standard);
      await assert.rejects(approveRelease(t.ctx, req(officer), r.id, REASON), { code: 'ERR_NOT_FOUND' });
      await assert.rejects(approveRelease(t.ctx, req(approver), r.id, ''), { code: 'ERR_REASON_REQUIRED' });
      await assert.rejects(publishRelease(t.ctx, req(officer), r.id, standard), { code: 'ERR_CONFLICT' }, 'not approved: not published');
      // A release the approver prepared (written directly: no rule lets an approver prepare one).
      const row = await t.ctx.store.releases.getRelease(r.id);
      await t.ctx.store.releases.insertRelease({ ...row!, id: `${r.id}x`, prepared_by: approver.id });
      await assert.rejects(approveRelease(t.ctx, req(approver), `${r.id}x`, REASON), { code: 'ERR_NOT_FOUND' });
      const other = await staffMember(t.ctx, 'approver', '110000');
      assert.equal((await approveRelease(t.ctx, other.req('disclosure'), `${r.id}x`, REASON)).status, 'approved');
    });

    it('publishes a signed artifact the public reader serves until withdrawn or expired; a tampered artifact fails', async () => {
      const prepared = await prepareRelease(t.ctx, req(officer), { type: 'exposure_points', from: daysAgo(7), to: daysAgo(0) }, standard);
      await approveRelease(t.ctx, req(approver), prepared.id, REASON);
      const published = await publishRelease(t.ctx, req(officer), prepared.id, standard);
      assert.equal(published.status, 'published');
      const reader = publishedReleaseReader(t.ctx, standard);
      const served = await reader.get(prepared.id, new Date());
      assert.ok(served);
      assert.ok((await reader.list(new Date())).some((s) => s.id === prepared.id));
      assert.equal(verifyReleaseSignature(served.artifact, served.signature, served.publicKey), true);
      const tampered: ReleaseArtifact = JSON.parse(JSON.stringify(served.artifact));
      (tampered.content.items[0] as Record<string, unknown>).windowEnd = '2030-01-01T00:00:00.000Z';
      assert.equal(verifyReleaseSignature(tampered, served.signature, served.publicKey), false);
      const otherKey = ed25519PublicKey(generateKey('signing') as never).toString('base64');
      assert.equal(verifyReleaseSignature(served.artifact, served.signature, otherKey), false);
      assert.match(served.artifact.notice.en, /1 exposure points entries/);
      assert.equal(await reader.get(prepared.id, new Date(Date.parse(served.expiresAt!) + 1)), undefined, 'expired');
      await assert.rejects(withdrawRelease(t.ctx, req(officer), prepared.id, 'x'), { code: 'ERR_REASON_REQUIRED' });
      assert.equal((await withdrawRelease(t.ctx, req(officer), prepared.id, 'the venue was misidentified')).status, 'withdrawn');
      assert.equal(await reader.get(prepared.id, new Date()), undefined);
      assert.ok(!(await reader.list(new Date())).some((s) => s.id === prepared.id));
    });

    it('a research extract failing k cannot be approved or published, and is never public', async () => {
      const r = await prepareRelease(t.ctx, req(officer), { type: 'research_extract', recipient: '某大学公共卫生学院 王老师', from: daysAgo(30), to: daysAgo(0) }, standard);
      assert.equal(r.check.passed, false);
      assert.match(r.check.failures.join(), /reaches k = 5/);
      assert.deepEqual(r.preview.items, []);
      await assert.rejects(approveRelease(t.ctx, req(approver), r.id, REASON), { code: 'ERR_CONFLICT', message: /fails its re-identification check/ });
      await assert.rejects(publishRelease(t.ctx, req(officer), r.id, standard), { code: 'ERR_CONFLICT', message: /fails its re-identification check/ });
      // Even forced to approved, publishing refuses it.
      await t.ctx.store.releases.moveRelease(r.id, 'prepared', 'approved');
      await t.ctx.store.releases.insertApproval({ release_id: r.id, account_id: approver.id, decided_at: new Date().toISOString() });
      await assert.rejects(publishRelease(t.ctx, req(officer), r.id, standard), { code: 'ERR_CONFLICT' });
      assert.equal(await publishedReleaseReader(t.ctx, standard).get(r.id, new Date()), undefined);
    });

    it('a research extract that reaches k and l is handed to its recipient, signed, and never served publicly', async () => {
      const outcomes = ['recovered', 'under_treatment', 'died'] as const;
      for (let i = 0; i < 10; i++) {
        await createCase(t.ctx, supervisor.req('case_investigation'), { person: person(CHAOYANG), case: { classification: 'confirmed', reportDate: daysAgo(1), onsetDate: daysAgo(4), confirmationDate: daysAgo(1), outcome: outcomes[i % 3] } });
      }
      const r = await prepareRelease(t.ctx, req(officer), { type: 'research_extract', recipient: '某大学公共卫生学院', from: daysAgo(30), to: daysAgo(0) }, standard);
      assert.deepEqual(r.check, { passed: true, failures: [] });
      const report = r.risk.report as { k: number; l: number; prosecutor: { highest: number }; journalist: { highest: number; populationRecords: number } };
      assert.ok(report.k >= 5 && report.l >= 2 && report.prosecutor.highest <= 1 / 5);
      assert.ok(report.journalist.populationRecords > 0 && report.journalist.highest <= report.prosecutor.highest, 'journalist risk against the register');
      assert.ok((r.risk.registerSize as number) >= 12, 'every case is in the register');
      assert.ok(r.preview.items.length >= 10);
      for (const item of r.preview.items) assert.deepEqual(Object.keys(item).sort(), ['ageBand', 'classification', 'district', 'onsetWeek', 'outcome', 'sex']);
      await assert.rejects(exportResearchExtract(t.ctx, req(officer), r.id), { code: 'ERR_CONFLICT' }, 'not published yet');
      await approveRelease(t.ctx, req(approver), r.id, REASON);
      await publishRelease(t.ctx, req(officer), r.id, standard);
      const handed = await exportResearchExtract(t.ctx, req(officer), r.id);
      assert.equal(handed.recipient, '某大学公共卫生学院');
      assert.equal(verifyReleaseSignature(handed.artifact, handed.signature, handed.publicKey), true);
      await assert.rejects(exportResearchExtract(t.ctx, req(approver), r.id), { code: 'ERR_NOT_FOUND' }, 'only the disclosure officer hands it over');
      assert.equal(await publishedReleaseReader(t.ctx, standard).get(r.id, new Date()), undefined);
      assert.ok(!(await publishedReleaseReader(t.ctx, standard).list(new Date())).some((x) => x.id === r.id));
    });

    it('daily counts: noised, consistent, charged to the budget ledger; over the cap refused', async () => {
      const input = { type: 'daily_counts' as const, from: daysAgo(1), to: daysAgo(0) };
      const r = await prepareRelease(t.ctx, req(officer), input, standard);
      assert.equal(r.check.passed, true);
      assert.equal(r.preview.meta.epsilon, '1/2');
      assert.equal(r.preview.meta.scale, '2');
      for (const date of [daysAgo(1), daysAgo(0)]) {
        const rows = r.preview.items.filter((i) => i.date === date);
        const city = rows.find((i) => i.district === '110105');
        assert.ok(city);
        assert.ok(rows.every((i) => Number.isInteger(i.count) && (i.count as number) >= 0));
      }
      await prepareRelease(t.ctx, req(officer), input, standard);
      await assert.rejects(prepareRelease(t.ctx, req(officer), input, standard), { code: 'ERR_CONFLICT', message: /privacy budget exceeded/ });
      const ledger = await t.ctx.store.releases.ledgerOf('daily_cases/110105');
      assert.ok(ledger.length >= 2 && ledger.every((c) => c.epsilon === '1/2'));
    });

    it('the budget ledger store: concurrent charges never take a period over its cap', async () => {
      const policy = { dataset: 'test/concurrent', cap: rational(1), period: 'week' as const };
      const store = ledgerStore(t.ctx.store);
      const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => chargeBudget(store, policy, { releaseId: `r${i}`, epsilon: '1/2', dataDates: ['2026-11-23'], at: new Date().toISOString() }, 10)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
      for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof BudgetExceededError || r.reason instanceof BudgetConflictError);
      const rows = await t.ctx.store.releases.ledgerOf('test/concurrent');
      assert.deepEqual(rows.map((r) => r.idx), [0, 1]);
    });

    it('risk areas from the declarations, published and listed; every step audited', async () => {
      const now = Date.now();
      const iso = (ms: number) => new Date(ms).toISOString();
      const declared = await declareRiskArea(t.ctx, supervisor.req('contact_tracing'), { level: 'high', kind: 'venue', placeId: placeA, windowStart: iso(now - 86_400_000), windowEnd: iso(now - 3_600_000), validUntil: iso(now + 7 * 86_400_000) });
      const r = await prepareRelease(t.ctx, req(officer), { type: 'risk_areas', areaIds: [declared.area.id] }, standard);
      assert.equal(r.preview.items.length, 1);
      assert.equal(r.preview.items[0]!.venueName, '测试火锅店', 'the registry name');
      await approveRelease(t.ctx, req(approver), r.id, REASON);
      await publishRelease(t.ctx, req(officer), r.id, standard);
      assert.equal((await readRelease(t.ctx, req(approver), r.id)).status, 'published');
      assert.ok((await listReleases(t.ctx, req(officer))).length >= 5);
      const stranger = await staffMember(t.ctx, 'disclosure_officer', '110108');
      await assert.rejects(readRelease(t.ctx, stranger.req('disclosure'), r.id), { code: 'ERR_NOT_FOUND' }, 'another district');
      await assert.rejects(readRelease(t.ctx, officer.req('contact_tracing'), r.id), { code: 'ERR_NOT_FOUND' }, 'another purpose');
      const actions = new Set((await t.ctx.store.audit.list(0, 100_000)).filter((e) => e.resource_type === 'release').map((e) => `${e.action}:${e.outcome}`));
      for (const a of ['release.prepare:success', 'release.approve:success', 'release.publish:success', 'release.withdraw:success', 'release.export:success', 'release.read:success', 'release.list:success', 'release.prepare:failure', 'read:denied', 'review:denied']) assert.ok(actions.has(a), a);
    });
  });
}

/**
 * Risk-area releases publish the supervisors' declarations and nothing typed in (issue #6 item 2b):
 * the officer names declared, active areas of their subtree by id; the content comes from the
 * declarations and the public venue registry.
 */
for (const { engine, skip } of await engines()) {
  describe(`risk-area releases from declared areas on ${engine}`, { skip }, () => {
    let t: TestApp;
    let officer: StaffMember;
    let approver: StaffMember;
    let placeA: string;
    const areas: Record<'venue' | 'district' | 'revoked' | 'expired' | 'future' | 'haidian', string> = { venue: '', district: '', revoked: '', expired: '', future: '', haidian: '' };
    const standard = testStandard();
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const H = 3_600_000;
    const D = 86_400_000;
    // Not on whole hours, so the published window shows the widening.
    const win = { windowStart: iso(now - D - 20 * 60_000), windowEnd: iso(now - 2 * H + 10 * 60_000) };

    before(async () => {
      t = await testApp(engine);
      const supervisor = await staffMember(t.ctx, 'supervisor', '110000');
      officer = await staffMember(t.ctx, 'disclosure_officer', CHAOYANG);
      approver = await staffMember(t.ctx, 'approver', CHAOYANG);
      placeA = await addPlace(t.ctx, CHAOYANG, '登记火锅店');
      const placeH = await addPlace(t.ctx, '110108', '海淀登记超市');
      const declare = async (input: Parameters<typeof declareRiskArea>[2]) => (await declareRiskArea(t.ctx, supervisor.req('contact_tracing'), input)).area.id;
      areas.venue = await declare({ level: 'high', kind: 'venue', placeId: placeA, ...win, validUntil: iso(now + 7 * D) });
      areas.district = await declare({ level: 'medium', kind: 'district', districtCode: CHAOYANG, ...win, validUntil: iso(now + 3 * D) });
      areas.revoked = await declare({ level: 'high', kind: 'district', districtCode: CHAOYANG, ...win, validUntil: iso(now + 7 * D) });
      await revokeRiskArea(t.ctx, supervisor.req('contact_tracing'), areas.revoked);
      areas.expired = await declare({ level: 'high', kind: 'district', districtCode: CHAOYANG, ...win, validFrom: iso(now - 3 * D), validUntil: iso(now - H) });
      areas.future = await declare({ level: 'high', kind: 'district', districtCode: CHAOYANG, ...win, validFrom: iso(now + D), validUntil: iso(now + 5 * D) });
      areas.haidian = await declare({ level: 'high', kind: 'venue', placeId: placeH, ...win, validUntil: iso(now + 7 * D) });
    });
    after(async () => t?.cleanup());

    const req = (m: StaffMember) => m.req('disclosure');
    const releaseCount = async () => (await t.ctx.store.releases.listReleases('', 10_000)).length;

    it('lists the declared, active areas of the officer\'s subtree, with the registry venue name', async () => {
      const listed = await listReleasableAreas(t.ctx, req(officer));
      assert.deepEqual(listed.map((a) => a.id).sort(), [areas.venue, areas.district].sort());
      const venue = listed.find((a) => a.id === areas.venue)!;
      assert.equal(venue.venueId, placeA);
      assert.equal(venue.venueName, '登记火锅店');
      assert.equal(listed.find((a) => a.id === areas.district)!.venueName, null);
      await assert.rejects(listReleasableAreas(t.ctx, officer.req('audit')), { code: 'ERR_NOT_FOUND' }, 'another purpose');
    });

    it('publishes exactly the declarations: no text that is not in the registry or the declaration', async () => {
      const r = await prepareRelease(t.ctx, req(officer), { type: 'risk_areas', areaIds: [areas.venue, areas.district] }, standard);
      assert.deepEqual(r.check, { passed: true, failures: [] });
      const hourDown = (v: string) => iso(Math.floor(Date.parse(v) / H) * H);
      const hourUp = (v: string) => iso(Math.ceil(Date.parse(v) / H) * H);
      const venueRow = (await t.ctx.store.tracing.getRiskArea(areas.venue))!;
      const districtRow = (await t.ctx.store.tracing.getRiskArea(areas.district))!;
      assert.deepEqual(r.preview.items, [
        { level: 'high', kind: 'venue', district: CHAOYANG, venueId: placeA, venueName: '登记火锅店', windowStart: hourDown(win.windowStart), windowEnd: hourUp(win.windowEnd), validUntil: venueRow.valid_until, advice: AREA_ADVICE.high },
        { level: 'medium', kind: 'district', district: CHAOYANG, windowStart: hourDown(win.windowStart), windowEnd: hourUp(win.windowEnd), validUntil: districtRow.valid_until, advice: AREA_ADVICE.medium },
      ]);
      assert.deepEqual(r.risk.declarations, [areas.venue, areas.district]);
      assert.equal(r.expiresAt, venueRow.valid_until);
      await approveRelease(t.ctx, req(approver), r.id, REASON);
      await publishRelease(t.ctx, req(officer), r.id, standard);
      const served = await publishedReleaseReader(t.ctx, standard).get(r.id, new Date());
      assert.ok(served);
      assert.deepEqual(served.artifact.content.items, r.preview.items, 'what is served is what was previewed');
      assert.equal(verifyReleaseSignature(served.artifact, served.signature, served.publicKey), true);
      const events = (await t.ctx.store.audit.list(0, 100_000)).filter((e) => e.resource_type === 'risk_area' && e.action === 'read' && e.outcome === 'success');
      for (const id of [areas.venue, areas.district]) assert.ok(events.some((e) => e.resource_id === id), `the read of ${id} is audited`);
    });

    it('an officer cannot publish an undeclared, revoked, expired, not yet valid or duplicated area, nor one outside their subtree; nothing is written', async () => {
      const before = await releaseCount();
      const prepare = (areaIds: string[]) => prepareRelease(t.ctx, req(officer), { type: 'risk_areas', areaIds }, standard);
      await assert.rejects(prepare(['ra-never-declared']), { code: 'ERR_NOT_FOUND' }, 'undeclared');
      await assert.rejects(prepare([areas.venue, areas.haidian]), { code: 'ERR_NOT_FOUND' }, 'outside the subtree looks like not found');
      const denied = (await t.ctx.store.audit.list(0, 100_000)).filter((e) => e.resource_type === 'risk_area' && e.resource_id === areas.haidian && e.outcome === 'denied');
      assert.ok(denied.length >= 1, 'the refusal is audited');
      await assert.rejects(prepare([areas.revoked]), { code: 'ERR_VALIDATION', field: 'areaIds', message: /revoked/ });
      await assert.rejects(prepare([areas.venue, areas.expired]), { code: 'ERR_VALIDATION', field: 'areaIds', message: /entry 2 .*no longer valid/ });
      await assert.rejects(prepare([areas.future]), { code: 'ERR_VALIDATION', field: 'areaIds', message: /not valid yet/ });
      await assert.rejects(prepare([areas.venue, areas.venue]), { code: 'ERR_VALIDATION', field: 'areaIds', message: /twice/ });
      await assert.rejects(prepare([]), { code: 'ERR_VALIDATION', field: 'areaIds' });
      await assert.rejects(prepare(['../x']), { code: 'ERR_VALIDATION', field: 'areaIds' });
      // The old shape — areas typed in by the officer — is refused, not published.
      const typed = { type: 'risk_areas', areas: [{ level: 'high', kind: 'venue', districtCode: CHAOYANG, venueId: 'pl-home-of-someone', venueName: '张三家', windowStart: now - D, windowEnd: now - H, validUntil: iso(now + D) }] };
      await assert.rejects(prepareRelease(t.ctx, req(officer), typed as never, standard), { code: 'ERR_VALIDATION', field: 'areaIds' });
      assert.equal(await releaseCount(), before);
      const haidianOfficer = await staffMember(t.ctx, 'disclosure_officer', '110108');
      const theirs = await prepareRelease(t.ctx, req(haidianOfficer), { type: 'risk_areas', areaIds: [areas.haidian] }, standard);
      assert.equal(theirs.preview.items[0]!.venueName, '海淀登记超市', 'the Haidian officer may publish the Haidian area');
      await assert.rejects(prepareRelease(t.ctx, req(haidianOfficer), { type: 'risk_areas', areaIds: [areas.venue] }, standard), { code: 'ERR_NOT_FOUND' });
    });

    it('an area revoked after the preparation stops the publication (approved or not); nothing is published', async () => {
      const supervisor = await staffMember(t.ctx, 'supervisor', '110000');
      const late = (await declareRiskArea(t.ctx, supervisor.req('contact_tracing'), { level: 'medium', kind: 'district', districtCode: CHAOYANG, ...win, validUntil: iso(now + 7 * D) })).area.id;
      const r = await prepareRelease(t.ctx, req(officer), { type: 'risk_areas', areaIds: [late] }, standard);
      await approveRelease(t.ctx, req(approver), r.id, REASON);
      await revokeRiskArea(t.ctx, supervisor.req('contact_tracing'), late);
      await assert.rejects(publishRelease(t.ctx, req(officer), r.id, standard), { code: 'ERR_CONFLICT', message: /revoked.*prepare it again/ });
      assert.equal(await publishedReleaseReader(t.ctx, standard).get(r.id, new Date()), undefined);
      assert.equal((await t.ctx.store.releases.getRelease(r.id))?.status, 'approved', 'the release stays as it was');
    });
  });
}
