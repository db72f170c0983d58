import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/engines.ts';
import { testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { rawSql } from '../../../test/support/raw-sql.ts';
import { CHAOYANG, daysAgo, HAIDIAN } from '../../../test/support/records.ts';
import { addPerson, addPlace, at, staffMember, visit } from '../../../test/support/tracing.ts';
import type { StaffMember } from '../../../test/support/tracing.ts';
import type { TravelRecord } from '../../domain/model.ts';
import { backfillDistrictDayTokens } from './district-backfill.ts';
import { removeDistrictDayTokens, writeDistrictDayTokens } from './district-tokens.ts';
import { declareRiskArea, listRiskAreas, revokeRiskArea, staysInArea } from './risk-area.service.ts';
import { readRiskStatus, storedRiskStatuses } from './risk-status.service.ts';

for (const { engine, skip } of await engines()) {
  describe(`risk areas on ${engine}`, { skip }, () => {
    let t: TestApp;
    let supervisor: StaffMember;
    let tracer: StaffMember;
    const day = daysAgo(4);
    const people: Record<string, string> = {};
    const visits: Record<string, { travelId: string; travel: TravelRecord }> = {};
    const future = () => new Date(Date.now() + 5 * 86_400_000).toISOString();

    before(async () => {
      t = await testApp(engine);
      supervisor = await staffMember(t.ctx, 'supervisor', '110000');
      tracer = await staffMember(t.ctx, 'tracer', CHAOYANG);
      const chaoyang1 = await addPlace(t.ctx, CHAOYANG);
      const chaoyang2 = await addPlace(t.ctx, CHAOYANG);
      const haidian = await addPlace(t.ctx, HAIDIAN);
      const plan: [string, string, string, string, string][] = [
        ['inside', chaoyang1, day, '10:00', '11:00'],
        ['otherVenueSameDistrict', chaoyang2, day, '15:00', '16:00'],
        ['otherDistrict', haidian, day, '10:00', '11:00'],
        ['dayBefore', chaoyang1, daysAgo(6), '10:00', '11:00'],
        ['overnight', chaoyang2, daysAgo(5), '23:30', '23:59'],
      ];
      for (const [name, place, date, from, to] of plan) {
        people[name] = await addPerson(t.ctx, CHAOYANG);
        const travelId = await visit(t.ctx, supervisor, people[name]!, place, date, from, to);
        visits[name] = { travelId, travel: { mode: 'venue_visit', placeId: place, arrival: Date.parse(at(date, from)), departure: Date.parse(at(date, to)) } };
      }
      // Visits recorded before district-day tokens existed get them from the backfill job (resumable, once).
      const filled = await backfillDistrictDayTokens(t.ctx, { batch: 2 });
      assert.deepEqual([filled.complete, filled.tokens], [true, 5]);
      assert.equal((await backfillDistrictDayTokens(t.ctx)).tokens, 0, 'a second run writes nothing');
    });
    after(async () => { await t?.cleanup(); });

    it('finds who stayed in a district during the window on district-day tokens, opening only their visits', async () => {
      const raw = await rawSql(t.db);
      for (const n of ['otherDistrict', 'dayBefore']) await raw.exec(`update subject_keys set wrapped = ${engine === 'sqlite' ? "x'00'" : "'\\x00'::bytea"} where subject_id = '${people[n]}'`);
      await raw.close();
      const r = await declareRiskArea(t.ctx, supervisor.req(), { level: 'high', kind: 'district', districtCode: CHAOYANG, windowStart: at(daysAgo(5), '00:00'), windowEnd: at(day, '23:59'), validUntil: future() });
      assert.equal(r.peopleFound, 3);
      for (const n of ['inside', 'otherVenueSameDistrict', 'overnight']) {
        const s = await readRiskStatus(t.ctx, supervisor.req(), people[n]!);
        assert.deepEqual([s.status, s.reason], ['yellow', 'high_risk_area_stay'], n);
      }
      assert.equal(r.area.active, true);
      assert.deepEqual((await listRiskAreas(t.ctx, tracer.req(), { limit: 10 })).map((a) => a.id), [r.area.id]);
    });

    it('finds who stayed at a venue during the window on venue-hour tokens; and a declaration not yet valid changes no status', async () => {
      const place = visits.inside!.travel.placeId!;
      const r = await declareRiskArea(t.ctx, supervisor.req(), { level: 'medium', kind: 'venue', placeId: place, windowStart: at(day, '10:30'), windowEnd: at(day, '12:00'), validUntil: future() });
      assert.equal(r.peopleFound, 1);
      const none = await declareRiskArea(t.ctx, supervisor.req(), { level: 'high', kind: 'venue', placeId: place, windowStart: at(day, '11:00'), windowEnd: at(day, '12:00'), validFrom: future(), validUntil: new Date(Date.now() + 10 * 86_400_000).toISOString() });
      assert.equal(none.peopleFound, 0, 'touching the departure is not a stay');
      assert.equal(none.area.active, false);
    });

    it('recomputes on revocation and removes a changed visit\'s district-day tokens', async () => {
      // The STORED statuses (what quarantine views show, no recomputation on read): yellow before, green after.
      const stored = async () => new Map([...(await t.ctx.store.transaction((repos) => storedRiskStatuses(repos, Object.values(people))))].map(([id, r]) => [id, `${r.status}:${r.reason}`]));
      const yellow = ['inside', 'otherVenueSameDistrict', 'overnight'];
      const before = await stored();
      for (const n of yellow) assert.equal(before.get(people[n]!), 'yellow:high_risk_area_stay', n);
      const areas = await listRiskAreas(t.ctx, supervisor.req(), { limit: 10 });
      for (const a of areas.filter((x) => x.active)) await revokeRiskArea(t.ctx, supervisor.req(), a.id);
      const afterRevoking = await stored();
      for (const n of yellow) assert.equal(afterRevoking.get(people[n]!), 'green:no_risk_found', `${n}: stored status after revocation`);
      await assert.rejects(revokeRiskArea(t.ctx, supervisor.req(), areas.find((x) => x.active)!.id), { code: 'ERR_CONFLICT' });
      assert.equal((await readRiskStatus(t.ctx, supervisor.req(), people.inside!)).status, 'green');
      await t.ctx.store.transaction((repos) => removeDistrictDayTokens(t.ctx.keys, repos, visits.inside!.travelId, visits.inside!.travel));
      const area = { id: 'x', level: 'high', kind: 'district', district_code: CHAOYANG, place_id: null, window_start: new Date(Date.parse(at(day, '00:00'))).toISOString(), window_end: new Date(Date.parse(at(day, '23:59'))).toISOString(), valid_from: '', valid_until: '', jurisdiction_code: CHAOYANG, declared_by: '', created_at: '', revoked_by: null, revoked_at: null };
      const found = await t.ctx.store.transaction((repos) => staysInArea(t.ctx.keys, repos, area, Date.now()));
      assert.deepEqual([...found], [people.otherVenueSameDistrict]);
      await t.ctx.store.transaction((repos) => writeDistrictDayTokens(t.ctx.keys, repos, [visits.inside!]));
      const again = await t.ctx.store.transaction((repos) => staysInArea(t.ctx.keys, repos, area, Date.now()));
      assert.deepEqual(new Set(again), new Set([people.inside, people.otherVenueSameDistrict]));
    });

    it('lets only supervisors declare, validates the declaration, and audits it', async () => {
      const body = { level: 'high' as const, kind: 'district' as const, districtCode: CHAOYANG, windowStart: at(day, '00:00'), windowEnd: at(day, '12:00'), validUntil: future() };
      await assert.rejects(declareRiskArea(t.ctx, tracer.req(), body), { code: 'ERR_NOT_FOUND' });
      const haidianSupervisor = await staffMember(t.ctx, 'supervisor', HAIDIAN);
      await assert.rejects(declareRiskArea(t.ctx, haidianSupervisor.req(), body), { code: 'ERR_NOT_FOUND' });
      await assert.rejects(declareRiskArea(t.ctx, supervisor.req(), { ...body, districtCode: '110000' }), { field: 'districtCode' });
      await assert.rejects(declareRiskArea(t.ctx, supervisor.req(), { ...body, windowEnd: body.windowStart }), { field: 'windowEnd' });
      await assert.rejects(declareRiskArea(t.ctx, supervisor.req(), { ...body, windowStart: future(), windowEnd: new Date(Date.now() + 6 * 86_400_000).toISOString() }), { field: 'windowStart' });
      await assert.rejects(declareRiskArea(t.ctx, supervisor.req(), { ...body, validUntil: 'tomorrow' }), { field: 'validUntil' });
      await assert.rejects(declareRiskArea(t.ctx, supervisor.req(), { ...body, kind: 'venue', placeId: 'pl-none' }), { field: 'placeId' });
      const before = await t.ctx.store.audit.count();
      await declareRiskArea(t.ctx, supervisor.req(), body);
      assert.equal(await t.ctx.store.audit.count(), before + 2, 'the declaration and the search');
    });
  });
}
