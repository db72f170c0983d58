import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.ts';
import { CHAOYANG, signedInStaff, staffServer } from '../support/records.ts';
import { addPlace, staffMember } from '../support/tracing.ts';
import { declareRiskArea, revokeRiskArea } from '../../src/services/tracing/risk-area.service.ts';
import type { Staff, StaffServer } from '../support/records.ts';

/** The staff release routes at the edge: bad input is a 4xx naming the field and changes nothing; roles and purpose. */
for (const { engine, skip } of await engines()) {
  describe(`release routes on ${engine}`, { skip }, () => {
    let s: StaffServer;
    let officer: Staff;
    before(async () => {
      s = await staffServer(engine);
      officer = await signedInStaff(s, 'disclosure_officer', CHAOYANG, { purpose: 'disclosure' });
    });
    after(async () => s?.close());

    const count = async () => (await s.t.ctx.store.releases.listReleases('', 1000)).length;

    it('refuses bad input with a 400 naming the field, writing nothing', async () => {
      const before = await count();
      const cases: [unknown, string][] = [
        [{ type: 'exposure_points', from: '2026-13-01', to: '2026-11-02' }, 'from'],
        [{ type: 'exposure_points', from: '2026-11-01', to: '2026-11-02', caseId: 'c1' }, 'caseId'],
        [{ type: 'research_extract', from: '2026-11-01', to: '2026-11-02' }, 'recipient'],
        [{ type: 'risk_areas', areaIds: [] }, 'areaIds'],
        [{ type: 'risk_areas', areaIds: ['ra-x', 'bad id/..'] }, 'areaIds.1'],
        [{ type: 'risk_areas', areaIds: Array.from({ length: 101 }, (_, i) => `ra-${i}`) }, 'areaIds'],
        // Areas typed in by the officer are not accepted: only the ids of declared areas.
        [{ type: 'risk_areas', areaIds: ['ra-x'], areas: [{ level: 'high', kind: 'venue', districtCode: CHAOYANG, venueId: 'pl-x', venueName: 'typed in', windowStart: '2026-11-01T00:00:00Z', windowEnd: '2026-11-02T00:00:00Z', validUntil: '2026-12-01T00:00:00Z' }] }, 'areas'],
        [{ type: 'exposure_points', from: '2026-11-02', to: '2026-11-01' }, 'to'],
        [{ type: 'exposure_points', from: '2026-01-01', to: '2026-11-01' }, 'to'],
      ];
      for (const [body, field] of cases) {
        const r = await officer.call('POST', '/api/releases', body);
        assert.equal(r.status, 400, `${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.field, field, JSON.stringify(r.body));
      }
      assert.equal(await count(), before);
    });

    it('needs the purpose disclosure and a disclosure role; a prepared release is not public', async () => {
      assert.equal((await officer.call('POST', '/api/releases', { type: 'daily_counts', from: '2026-11-01', to: '2026-11-02' }, null)).status, 400, 'no purpose header');
      assert.equal((await officer.call('POST', '/api/releases', { type: 'daily_counts', from: '2026-11-01', to: '2026-11-02' }, 'contact_tracing')).status, 404);
      const auditor = await signedInStaff(s, 'auditor', CHAOYANG, { purpose: 'disclosure' });
      assert.equal((await auditor.call('GET', '/api/releases')).status, 404);
      const r = await officer.call('POST', '/api/releases', { type: 'daily_counts', from: '2026-11-01', to: '2026-11-02' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.preview.meta.epsilon, '1/2');
      assert.equal((await s.server.inject({ method: 'GET', url: `/public/releases/${r.body.id}` })).statusCode, 404, 'prepared, not published');
    });

    it('risk areas: the officer chooses among declared, active areas of the subtree; the content is the declaration with the registry name', async () => {
      const supervisor = await staffMember(s.t.ctx, 'supervisor', '110000');
      const place = await addPlace(s.t.ctx, CHAOYANG, '登记餐馆');
      const elsewhere = await addPlace(s.t.ctx, '110108', '海淀登记餐馆');
      const now = Date.now();
      const iso = (ms: number) => new Date(ms).toISOString();
      const window = { windowStart: iso(now - 86_400_000), windowEnd: iso(now - 3_600_000), validUntil: iso(now + 7 * 86_400_000) };
      const declare = async (input: Parameters<typeof declareRiskArea>[2]) => (await declareRiskArea(s.t.ctx, supervisor.req('contact_tracing'), input)).area.id;
      const venue = await declare({ level: 'high', kind: 'venue', placeId: place, ...window });
      const revoked = await declare({ level: 'medium', kind: 'district', districtCode: CHAOYANG, ...window });
      await revokeRiskArea(s.t.ctx, supervisor.req('contact_tracing'), revoked);
      const outside = await declare({ level: 'high', kind: 'venue', placeId: elsewhere, ...window });

      const listed = await officer.call('GET', '/api/releases/risk-areas');
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      const ids = (listed.body.items as { id: string }[]).map((a) => a.id);
      assert.ok(ids.includes(venue) && !ids.includes(revoked) && !ids.includes(outside), JSON.stringify(ids));
      assert.equal(listed.body.items.find((a: { id: string }) => a.id === venue).venueName, '登记餐馆');
      assert.equal((await officer.call('GET', '/api/releases/risk-areas', undefined, 'contact_tracing')).status, 404, 'another purpose');

      const before = await count();
      const unknown = await officer.call('POST', '/api/releases', { type: 'risk_areas', areaIds: ['ra-never-declared'] });
      assert.equal(unknown.status, 404, JSON.stringify(unknown.body));
      assert.equal((await officer.call('POST', '/api/releases', { type: 'risk_areas', areaIds: [outside] })).status, 404, 'outside the subtree');
      const gone = await officer.call('POST', '/api/releases', { type: 'risk_areas', areaIds: [venue, revoked] });
      assert.equal(gone.status, 400, JSON.stringify(gone.body));
      assert.equal(gone.body.field, 'areaIds');
      assert.match(gone.body.message, /entry 2 is a revoked risk area/);
      assert.equal(await count(), before, 'nothing written');

      const r = await officer.call('POST', '/api/releases', { type: 'risk_areas', areaIds: [venue] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.deepEqual(r.body.check, { passed: true, failures: [] });
      const item = r.body.preview.items[0];
      assert.deepEqual([item.level, item.kind, item.district, item.venueId, item.venueName], ['high', 'venue', CHAOYANG, place, '登记餐馆']);
    });
  });
}
