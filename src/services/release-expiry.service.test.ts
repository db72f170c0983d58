import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { engines } from '../../test/support/engines.ts';
import { testApp } from '../../test/support/app.ts';
import type { TestApp } from '../../test/support/app.ts';
import { CHAOYANG, daysAgo } from '../../test/support/records.ts';
import { staffMember, twoRestaurantOutbreak } from '../../test/support/tracing.ts';
import type { StaffMember } from '../../test/support/tracing.ts';
import { DEFAULT_STANDARD_URL, parseStandard } from '../disclosure/standard/index.ts';
import type { ReleaseArtifact } from '../disclosure/release/index.ts';
import { publicDataReader, releaseAuthority } from './public-data.service.ts';
import { approveRelease, expireExposurePoints, prepareRelease, publishRelease, scheduleExposureExpiry, verifyReleaseSignature, withdrawRelease } from './release.service.ts';
import type { PointExpiryRun } from './release.service.ts';

function testStandard() {
  const s = JSON.parse(readFileSync(DEFAULT_STANDARD_URL, 'utf8'));
  s.parameters.exposurePoints.minVisitors = 4;
  return parseStandard(s);
}
const REASON = 'checked the preview and the risk report';

/**
 * Exposure points expire one by one (issue #6 item 4): two cases were at restaurant A two days ago
 * and at restaurant B three days ago (each with 3 other visitors), so B's point expires a day
 * before A's. Time moves through the `now` of the requests and of the expiry step.
 */
for (const { engine, skip } of await engines()) {
  describe(`exposure point expiry on ${engine}`, { skip }, () => {
    let t: TestApp;
    let officer: StaffMember;
    let approver: StaffMember;
    let placeA: string;
    let placeB: string;
    const standard = testStandard();

    before(async () => {
      t = await testApp(engine);
      const ctx = t.ctx;
      officer = await staffMember(ctx, 'disclosure_officer', CHAOYANG);
      approver = await staffMember(ctx, 'approver', CHAOYANG);
      ({ placeA, placeB } = await twoRestaurantOutbreak(ctx));
    });
    after(async () => t?.cleanup());

    const req = (m: StaffMember, now?: Date) => ({ ...m.req('disclosure'), ...(now ? { now } : {}) });
    const period = { type: 'exposure_points' as const, from: daysAgo(7), to: daysAgo(0) };
    const expiryOf = (items: readonly Record<string, unknown>[], venue: string) => new Date(items.find((i) => i.venueId === venue)!.expiresAt as string);
    /** Prepares, approves and publishes at `now` (default: the real time). */
    async function publish(now?: Date) {
      const r = await prepareRelease(t.ctx, req(officer, now), period, standard);
      assert.deepEqual(r.check, { passed: true, failures: [] });
      await approveRelease(t.ctx, req(approver, now), r.id, REASON);
      await publishRelease(t.ctx, req(officer, now), r.id, standard);
      return r;
    }

    it('removes each point from the public API when it expires, serving a new signed revision that verifies with the authority key', async () => {
      const r = await publish();
      assert.deepEqual(r.preview.items.map((i) => i.venueId).sort(), [placeA, placeB].sort());
      const expB = expiryOf(r.preview.items, placeB);
      const expA = expiryOf(r.preview.items, placeA);
      assert.ok(expB < expA && r.expiresAt === expA.toISOString(), 'B expires first; the release with its last point');
      const reader = publicDataReader(t.ctx, standard);
      const authorityKey = releaseAuthority(t.ctx).publicKey;
      const original = await reader.get(r.id, new Date());
      assert.equal(original?.artifact.content.items.length, 2);
      assert.equal(verifyReleaseSignature(original.artifact, original.signature, authorityKey), true);

      // One millisecond before B's expiry nothing is due; at it, the artifact holding B is no longer served.
      assert.deepEqual(await expireExposurePoints(t.ctx, new Date(expB.getTime() - 1), standard), { revised: 0, pointsRemoved: 0 });
      assert.equal((await reader.get(r.id, new Date(expB.getTime() - 1)))?.artifact.content.items.length, 2);
      assert.equal(await reader.get(r.id, expB), undefined, 'an artifact still holding an expired point is not served');
      assert.ok(!(await reader.list(expB)).some((s) => s.id === r.id));

      // The expiry step signs a revision without B; the public API serves it.
      assert.deepEqual(await expireExposurePoints(t.ctx, expB, standard), { revised: 1, pointsRemoved: 1 });
      const revised = await reader.get(r.id, expB);
      assert.ok(revised);
      assert.deepEqual(revised.artifact.content.items.map((i) => i.venueId), [placeA]);
      assert.equal(verifyReleaseSignature(revised.artifact, revised.signature, authorityKey), true, 'the served revision verifies with the authority key');
      assert.equal(verifyReleaseSignature(original.artifact, revised.signature, authorityKey), false, 'it is a new signature');
      assert.deepEqual({ ...revised.artifact, content: original.artifact.content, notice: original.artifact.notice }, original.artifact, 'same id, publication time, standard and expiry');
      assert.match(revised.artifact.notice.en, /holds 1 exposure points entries/);
      assert.deepEqual((await reader.list(expB)).filter((s) => s.id === r.id).map((s) => s.artifact.content.items.length), [1]);
      // A subset of the approved content only: the remaining point is exactly as approved.
      assert.deepEqual(revised.artifact.content.items, original.artifact.content.items.filter((i) => i.venueId === placeA));

      // The superseded revision is kept with its signature; the revision is audited.
      const history = await t.ctx.store.releases.artifactRevisions(r.id);
      assert.deepEqual(history.map((h) => h.revision), [0]);
      assert.equal(verifyReleaseSignature(JSON.parse(history[0]!.artifact) as ReleaseArtifact, history[0]!.signature, authorityKey), true);
      assert.equal((await t.ctx.store.releases.getArtifact(r.id))?.revision, 1);
      const events = (await t.ctx.store.audit.list(0, 100_000)).filter((e) => e.action === 'release.expire_points' && e.resource_id === r.id);
      assert.equal(events.length, 1);
      assert.equal(events[0]!.outcome, 'success');

      // Idempotent: nothing more to do until A expires; then the release leaves the public API with it.
      assert.deepEqual(await expireExposurePoints(t.ctx, expB, standard), { revised: 0, pointsRemoved: 0 });
      assert.equal(await t.ctx.store.releases.nextPointExpiry(expB.toISOString()), expA.toISOString());
      assert.equal(await reader.get(r.id, expA), undefined);
      assert.deepEqual(await expireExposurePoints(t.ctx, expA, standard), { revised: 0, pointsRemoved: 0 });
      assert.equal(await reader.get(r.id, expA), undefined);
      await withdrawRelease(t.ctx, req(officer), r.id, 'cleaning up after the expiry test');
    });

    it('a withdrawn release is not revised and stays off the public API', async () => {
      const r = await publish();
      const expB = expiryOf(r.preview.items, placeB);
      await withdrawRelease(t.ctx, req(officer), r.id, 'the venue was misidentified');
      assert.deepEqual(await expireExposurePoints(t.ctx, expB, standard), { revised: 0, pointsRemoved: 0 });
      assert.equal((await t.ctx.store.releases.getArtifact(r.id))?.revision, 0);
      assert.equal(await publicDataReader(t.ctx, standard).get(r.id, expB), undefined);
      assert.equal(await publicDataReader(t.ctx, standard).get(r.id, new Date()), undefined);
    });

    it('preparing leaves out points already expired and reports them; publishing leaves out points expired since', async () => {
      const first = await prepareRelease(t.ctx, req(officer), period, standard);
      const expB = expiryOf(first.preview.items, placeB);
      const later = await prepareRelease(t.ctx, req(officer, expB), period, standard);
      assert.deepEqual(later.preview.items.map((i) => i.venueId), [placeA]);
      assert.equal(later.risk.pointsExpired, 1);
      assert.equal(later.risk.pointsPublished, 1);
      assert.equal(first.risk.pointsExpired, 0);

      // Prepared and approved with both points, published after B expired: B is not published.
      await approveRelease(t.ctx, req(approver), first.id, REASON);
      await publishRelease(t.ctx, req(officer, expB), first.id, standard);
      const served = await publicDataReader(t.ctx, standard).get(first.id, expB);
      assert.deepEqual(served?.artifact.content.items.map((i) => i.venueId), [placeA]);
      assert.equal(verifyReleaseSignature(served.artifact, served.signature, releaseAuthority(t.ctx).publicKey), true);
      assert.equal((await t.ctx.store.releases.getArtifact(first.id))?.points_expire_at, expiryOf(first.preview.items, placeA).toISOString());
      await withdrawRelease(t.ctx, req(officer), first.id, 'cleaning up after the expiry test');

      // Every point expired by publication: refused.
      const old = await prepareRelease(t.ctx, req(officer), period, standard);
      await approveRelease(t.ctx, req(approver), old.id, REASON);
      await assert.rejects(publishRelease(t.ctx, req(officer, expiryOf(old.preview.items, placeA)), old.id, standard), { code: 'ERR_CONFLICT', message: /every exposure point of the release has expired/ });
      await withdrawRelease(t.ctx, req(officer), old.id, 'cleaning up after the expiry test');
    });

    it('records the first expiry of an artifact published before it was tracked, without a revision', async () => {
      const r = await publish();
      const a = await t.ctx.store.releases.getArtifact(r.id);
      assert.ok(a && a.points_expire_at !== null);
      await t.ctx.store.releases.setPointsExpiry(r.id, 0, null); // as a row from before migration 0007
      assert.deepEqual(await expireExposurePoints(t.ctx, new Date(), standard), { revised: 0, pointsRemoved: 0 });
      assert.equal((await t.ctx.store.releases.getArtifact(r.id))?.points_expire_at, a.points_expire_at);
      await withdrawRelease(t.ctx, req(officer), r.id, 'cleaning up after the expiry test');
    });

    it('the schedule runs the step at once (and then at the next expiry)', async () => {
      const r = await publish();
      const expB = expiryOf(r.preview.items, placeB);
      const first = await new Promise<PointExpiryRun | { error: Error }>((resolve) => {
        const stop = scheduleExposureExpiry(t.ctx, 60_000, { now: () => expB, onRun: (result) => { stop(); resolve(result); } });
      });
      assert.deepEqual(first, { revised: 1, pointsRemoved: 1 });
      assert.deepEqual((await publicDataReader(t.ctx, standard).get(r.id, expB))?.artifact.content.items.map((i) => i.venueId), [placeA]);
      assert.throws(() => scheduleExposureExpiry(t.ctx, 10), /at least 1000 ms/);
    });
  });
}
