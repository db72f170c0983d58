import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { engines } from '../support/engines.ts';
import { CHAOYANG, daysAgo, staffServer } from '../support/records.ts';
import type { StaffServer } from '../support/records.ts';
import { staffMember, twoRestaurantOutbreak } from '../support/tracing.ts';
import { DEFAULT_STANDARD_URL, parseStandard } from '../../src/disclosure/standard/index.ts';
import type { ReleaseArtifact } from '../../src/disclosure/release/index.ts';
import { releaseAuthority } from '../../src/services/public-data.service.ts';
import { approveRelease, expireExposurePoints, prepareRelease, publishRelease, verifyReleaseSignature, withdrawRelease } from '../../src/services/release.service.ts';

/**
 * Exposure points leave GET /public/releases one by one as they expire (issue #6 item 4); what is
 * served always verifies with the authority's key. The server's clock is moved forward.
 */
for (const { engine, skip } of await engines()) {
  describe(`public releases as exposure points expire on ${engine}`, { skip }, () => {
    let s: StaffServer;
    let clock = new Date();
    let placeA: string;
    let placeB: string;

    before(async () => {
      s = await staffServer(engine, { clock: () => clock });
      const ctx = s.t.ctx;
      ({ placeA, placeB } = await twoRestaurantOutbreak(ctx));
    });
    after(async () => s?.close());

    type Served = { id: string; artifact: ReleaseArtifact; signature: string };
    const list = async () => {
      const r = await s.server.inject({ method: 'GET', url: '/public/releases' });
      assert.equal(r.statusCode, 200);
      return (r.json() as { items: Served[] }).items;
    };
    const one = async (id: string) => {
      const r = await s.server.inject({ method: 'GET', url: `/public/releases/${id}` });
      return r.statusCode === 200 ? r.json() as Served : r.statusCode;
    };

    it('serves each point until its own expiry, then a signed revision without it; withdrawal still removes the release', async () => {
      const ctx = s.t.ctx;
      const raw = JSON.parse(readFileSync(DEFAULT_STANDARD_URL, 'utf8'));
      raw.parameters.exposurePoints.minVisitors = 4;
      const standard = parseStandard(raw);
      const officer = await staffMember(ctx, 'disclosure_officer', CHAOYANG);
      const approver = await staffMember(ctx, 'approver', CHAOYANG);
      const r = await prepareRelease(ctx, officer.req('disclosure'), { type: 'exposure_points', from: daysAgo(7), to: daysAgo(0) }, standard);
      await approveRelease(ctx, approver.req('disclosure'), r.id, 'checked the preview and the risk report');
      await publishRelease(ctx, officer.req('disclosure'), r.id, standard);
      const expiry = (venue: string) => new Date(r.preview.items.find((i) => i.venueId === venue)!.expiresAt as string);
      const key = releaseAuthority(ctx).publicKey;

      clock = new Date();
      const before = (await list()).find((x) => x.id === r.id);
      assert.deepEqual(before?.artifact.content.items.map((i) => i.venueId).sort(), [placeA, placeB].sort());
      assert.equal(verifyReleaseSignature(before.artifact, before.signature, key), true);

      clock = expiry(placeB);
      assert.ok(!(await list()).some((x) => x.id === r.id), 'never served with an expired point');
      assert.equal(await one(r.id), 404);
      await expireExposurePoints(ctx, clock, standard);
      const listed = (await list()).find((x) => x.id === r.id);
      assert.deepEqual(listed?.artifact.content.items.map((i) => i.venueId), [placeA]);
      assert.equal(verifyReleaseSignature(listed.artifact, listed.signature, key), true, 'the revision verifies with the authority key');
      const got = await one(r.id);
      assert.ok(typeof got === 'object');
      assert.deepEqual(got.artifact, listed.artifact);
      assert.ok(!JSON.stringify(got).includes(placeB), 'the expired point is gone from the answer');

      clock = expiry(placeA);
      assert.ok(!(await list()).some((x) => x.id === r.id), 'the release expires with its last point');
      assert.equal(await one(r.id), 404);

      clock = new Date(expiry(placeB).getTime() - 1);
      assert.equal((await list()).find((x) => x.id === r.id)?.artifact.content.items.length, 1, 'the revision is what is served from now on');
      await withdrawRelease(ctx, officer.req('disclosure'), r.id, 'the venue was misidentified');
      assert.equal(await one(r.id), 404);
      assert.ok(!(await list()).some((x) => x.id === r.id));
    });
  });
}
