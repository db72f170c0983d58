import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../support/engines.ts';
import { CHAOYANG, signedInStaff, staffServer } from '../support/records.ts';
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
        [{ type: 'risk_areas', areas: [{ level: 'severe', kind: 'district', districtCode: CHAOYANG, windowStart: '2026-11-01T00:00:00Z', windowEnd: '2026-11-02T00:00:00Z', validUntil: '2026-12-01T00:00:00Z' }] }, 'areas.0.level'],
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
  });
}
