import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { colocationToken, documentIndex, slotsCovering } from '../../crypto/index.ts';
import { normalizeDocumentNumber } from '../../domain/documents.ts';
import type { ContactExposure, TravelRecord } from '../../domain/model.ts';
import { COUNTED_TABLES } from '../../storage/system.repository.ts';
import { engines } from '../../../test/support/engines.ts';
import { testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import type { AppContext } from '../app-context.ts';
import { openSubjectJson, openTokenRef, openTravel, unwrapDataKey } from '../subject-cipher.ts';
import { City } from './city-generator.ts';
import type { PlannedLink } from './city-generator.ts';
import { seedCity, seedJob } from './seed.service.ts';

const PARAMS = { persons: 300, seed: 7, days: 28, startDate: '2026-10-01' };
const city = new City(PARAMS);
const people = city.people(0, PARAMS.persons);
const expected = {
  subjects: PARAMS.persons,
  travel_records: people.reduce((n, p) => n + p.travel.length, 0),
  colocation_tokens: people.reduce((n, p) => n + p.travel.filter((t) => t.mode === 'venue_visit').reduce((m, t) => m + slotsCovering(t.arrival, t.departure).length, 0), 0),
  cases: city.plan.cases.size,
  contact_links: city.plan.links.length,
  observations: people.reduce((n, p) => n + p.observations.length, 0),
  places: 200,
};

async function counts(ctx: AppContext): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of COUNTED_TABLES) out[t] = await ctx.store.system.count(t);
  return out;
}

async function subjectOf(ctx: AppContext, index: number): Promise<string> {
  const bidx = documentIndex(ctx.keys.documentIndex, 'resident_id', normalizeDocumentNumber('resident_id', city.idNumber(index)));
  const found = await ctx.store.subjects.findByDocuments([bidx]);
  assert.equal(found.size, 1, `person ${index} written once`);
  return [...found.values()][0]!;
}

async function dekOf(ctx: AppContext, subjectId: string) {
  const key = (await ctx.store.subjects.getKey(subjectId))!;
  return unwrapDataKey(ctx.keys.keyring.get(key.root_version), subjectId, key.wrapped);
}

/** A planned link is in the database, sealed under the contact's data key, on the case of the right person. */
async function checkLink(ctx: AppContext, l: PlannedLink): Promise<void> {
  const contactId = await subjectOf(ctx, l.contactIndex);
  const [kase] = await ctx.store.cases.casesOfSubject(await subjectOf(ctx, l.caseIndex));
  assert.equal(kase!.case_number, city.plan.cases.get(l.caseIndex)!.caseNumber);
  const link = (await ctx.store.cases.contactsOfCase(kase!.id)).find((c) => c.contact_subject_id === contactId)!;
  assert.deepEqual(openSubjectJson<ContactExposure>(await dekOf(ctx, contactId), contactId, 'contact_links', link.id, link.sealed), l.exposure);
}

function checkWritten(got: Record<string, number>): void {
  for (const [table, n] of Object.entries(expected)) assert.equal(got[table], n, table);
  assert.equal(got.identity_documents, PARAMS.persons);
}

for (const { engine, skip } of await engines()) {
  describe(`seed service on ${engine}`, { skip }, () => {
    let app: TestApp;
    before(async () => { app = await testApp(engine); });
    after(async () => { await app?.cleanup(); });

    it('writes the generated city: every person, travel, tokens, cases, contacts and one audit event per subject', async () => {
      const progress: number[] = [];
      const s = await seedCity(app.ctx, { ...PARAMS, batchSize: 100 }, (p) => progress.push(p.done));
      assert.equal(s.status, 'complete');
      assert.deepEqual(progress, [0, 100, 200, 300]);
      assert.equal(s.personsWritten, 300);
      assert.equal(s.travelRecords, expected.travel_records);
      assert.equal(s.tokens, expected.colocation_tokens);
      assert.equal(s.contacts, expected.contact_links);
      assert.equal(Object.values(s.casesByClassification).reduce((a, b) => a + b, 0), expected.cases);
      assert.ok(s.rowsPerSecond > 0);
      checkWritten(await counts(app.ctx));
      const events = await app.ctx.store.audit.list(0, 10_000);
      const creates = events.filter((e) => e.action === 'create');
      assert.equal(creates.length, 300);
      assert.ok(creates.every((e) => e.purpose === 'system_seed' && e.actor === app.ctx.actor.id && /^[0-9a-f]{32}$/.test(e.subject_ref ?? '')));
      assert.equal(new Set(creates.map((e) => e.subject_ref)).size, 300);
      assert.equal(await app.ctx.store.system.getProgress(seedJob(7, 300, 28)), '300');
    });

    it('makes every planned venue exposure a real co-location: both visits have a token row for a shared slot', async () => {
      const venueLinks = city.plan.links.filter((l) => l.exposure.exposureType === 'shared_venue');
      assert.ok(venueLinks.length > 0);
      for (const l of venueLinks) {
        const [a, b] = [people[l.caseIndex]!, people[l.contactIndex]!];
        const pair = a.travel.flatMap((x) => b.travel.filter((y) => y.placeId === x.placeId && x.arrival < y.departure && y.arrival < x.departure).map((y) => [x, y] as const))[0];
        assert.ok(pair);
        const [x, y] = pair as readonly [TravelRecord, TravelRecord];
        const slot = slotsCovering(x.arrival, x.departure).find((s) => slotsCovering(y.arrival, y.departure).includes(s))!;
        const token = colocationToken(app.ctx.keys.colocation, x.placeId!, slot);
        const rows = await app.ctx.store.travel.tokensMatching([token]);
        const travelIds = new Set(rows.map((r) => openTokenRef(app.ctx.keys.tokenRef, r.token, r.ref)));
        for (const [index, visit] of [[l.caseIndex, x], [l.contactIndex, y]] as const) {
          const subjectId = await subjectOf(app.ctx, index);
          const dek = await dekOf(app.ctx, subjectId);
          const mine = (await app.ctx.store.travel.travelOfSubject(subjectId)).filter((t) => travelIds.has(t.id));
          assert.ok(mine.some((t) => JSON.stringify(openTravel(dek, subjectId, t.id, t.sealed)) === JSON.stringify(visit)), `person ${index} has the token of the shared visit`);
        }
      }
    });

    it('seals each contact link under the contact’s key, pointing at the right case', async () => {
      for (const l of city.plan.links.slice(0, 25)) await checkLink(app.ctx, l);
    });

    it('changes nothing when a finished seed is run again', async () => {
      const before = await counts(app.ctx);
      const s = await seedCity(app.ctx, PARAMS);
      assert.equal(s.status, 'already_complete');
      assert.equal(s.personsWritten, 0);
      assert.deepEqual(await counts(app.ctx), before);
    });

    it('refuses another seed into a database that holds people, and bad options', async () => {
      await assert.rejects(seedCity(app.ctx, { ...PARAMS, seed: 8 }), (e: Error & { code?: string }) => e.code === 'ERR_CONFLICT');
      await assert.rejects(seedCity(app.ctx, { ...PARAMS, persons: 0 }), (e: Error & { code?: string }) => e.code === 'ERR_VALIDATION' && /persons/.test(e.message));
      await assert.rejects(seedCity(app.ctx, { ...PARAMS, seed: 9, startDate: '2999-01-01' }), (e: Error & { code?: string }) => e.code === 'ERR_VALIDATION');
      await assert.rejects(seedCity(app.ctx, { ...PARAMS, startDate: '2026-10-02' }), (e: Error & { code?: string }) => e.code === 'ERR_CONFLICT');
      for (const bad of [{ venues: 0 }, { venues: 2.5 }, { venues: 1_000_001 }]) {
        await assert.rejects(seedCity(app.ctx, { ...PARAMS, ...bad }), (e: Error & { code?: string; field?: string }) => e.code === 'ERR_VALIDATION' && /^venues: must be an integer from 1 to 1000000$/.test(e.message), JSON.stringify(bad));
      }
      for (const bad of [-1, Number.NaN, Infinity, 1001]) {
        await assert.rejects(seedCity(app.ctx, { ...PARAMS, importedCasesPerWeek: bad }), (e: Error & { code?: string }) => e.code === 'ERR_VALIDATION' && /^importedCasesPerWeek: must be a number from 0 to 1000$/.test(e.message), String(bad));
      }
      // Other options are another city, another job: refused here (the database holds this one's people).
      await assert.rejects(seedCity(app.ctx, { ...PARAMS, venues: 40 }), (e: Error & { code?: string }) => e.code === 'ERR_CONFLICT');
      await assert.rejects(seedCity(app.ctx, { ...PARAMS, importedCasesPerWeek: 2 }), (e: Error & { code?: string }) => e.code === 'ERR_CONFLICT');
      // The defaults spelled out are the same city and the same job: already complete.
      assert.equal((await seedCity(app.ctx, { ...PARAMS, venues: 200, importedCasesPerWeek: 0 })).status, 'already_complete');
    });

    it('names a job with non-default options apart, and a default job as it always was', () => {
      assert.equal(seedJob(7, 300, 28), 'seed:7:300:28');
      assert.equal(seedJob(7, 300, 28, {}), 'seed:7:300:28');
      assert.equal(seedJob(2026, 2000, 28, { venues: 40, importedCasesPerWeek: 4 }), 'seed:2026:2000:28:v40:i4');
    });
  });

  describe(`interrupted seed on ${engine}`, { skip }, () => {
    let app: TestApp;
    before(async () => { app = await testApp(engine); });
    after(async () => { await app?.cleanup(); });

    it('resumes from the progress marker and ends with every person exactly once', async () => {
      const first = await seedCity(app.ctx, { ...PARAMS, batchSize: 120, stopAfterBatches: 1 });
      assert.equal(first.status, 'interrupted');
      assert.equal(first.cursor, 120);
      assert.equal(await app.ctx.store.system.count('subjects'), 120);
      const abort = new AbortController();
      const second = await seedCity(app.ctx, { ...PARAMS, batchSize: 50, signal: abort.signal }, (p) => { if (p.done >= 170) abort.abort(); });
      assert.equal(second.status, 'interrupted');
      assert.equal(second.resumedFrom, 120);
      assert.equal(await app.ctx.store.system.count('subjects'), 170);
      const third = await seedCity(app.ctx, { ...PARAMS, startDate: undefined });
      assert.equal(third.status, 'complete');
      assert.equal(third.startDate, PARAMS.startDate);
      assert.equal(third.personsWritten, 130);
      checkWritten(await counts(app.ctx));
      for (const i of [0, 119, 120, 169, 170, 299]) await subjectOf(app.ctx, i);
      // Links between a person written before a stop and one written after it resolve the earlier one from the database.
      const across = city.plan.links.filter((l) => Math.min(l.caseIndex, l.contactIndex) < 120 && Math.max(l.caseIndex, l.contactIndex) >= 120);
      assert.ok(across.some((l) => l.contactIndex < 120) && across.some((l) => l.caseIndex < 120));
      for (const l of across) await checkLink(app.ctx, l);
      const creates = (await app.ctx.store.audit.list(0, 10_000)).filter((e) => e.action === 'create');
      assert.equal(creates.length, 300);
    });
  });
}
