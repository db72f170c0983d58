import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import fc from 'fast-check';
import { engines } from '../support/engines.ts';
import { CHAOYANG } from '../support/records.ts';
import { signedInStaff, staffServer } from '../support/records.ts';
import type { Staff, StaffServer } from '../support/records.ts';
import { publicPlugin, VENUES_CACHE_CONTROL } from '../../src/http/public.plugin.ts';
import { PUBLIC_PAGES } from '../../src/http/public-site.plugin.ts';
import { publicDataReader, releaseAuthority } from '../../src/services/public-data.service.ts';
import { canonicalJson } from '../../src/disclosure/release/index.ts';
import type { ReleaseArtifact } from '../../src/disclosure/release/index.ts';
import { checkContent, defaultStandard, ruleOf, RELEASE_TYPES } from '../../src/disclosure/standard/index.ts';
import type { ReleaseType } from '../../src/disclosure/standard/index.ts';
import { verifyReleaseSignature } from '../../src/services/release.service.ts';
import type { SignedRelease } from '../../src/services/release.service.ts';
import { buildServer } from '../../src/http/app.ts';
import { buildRiskAreas } from '../../src/disclosure/release/index.ts';
import { sessionTokenHash } from '../../src/crypto/session-token.ts';
import { TOUCH_INTERVAL_MS } from '../../src/services/session.service.ts';
import type { AppContext } from '../../src/services/app-context.ts';
import type { Store } from '../../src/storage/store.ts';
import { TableAccessRefused } from '../../src/storage/table-guard.ts';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { createStaff, signIn } from '../support/staff.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PLUGIN = join(ROOT, 'src/http/public.plugin.ts');
const SITE_PLUGIN = join(ROOT, 'src/http/public-site.plugin.ts');
const WEB_PUBLIC = join(ROOT, 'web/public');

/** The import statements of a file: specifier and whether it is type-only (erased at run time). */
function importsOf(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  const statements = [...text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'(?:\s+with\s*\{[^}]*\})?;/gms)].map((m) => ({ spec: m[2]!, typeOnly: m[1] !== undefined }));
  const bare = [...text.matchAll(/^import\s+'([^']+)';/gm)].map((m) => ({ spec: m[1]!, typeOnly: false }));
  // A dynamic import or require would escape this check: there must be none.
  assert.doesNotMatch(text, /\bimport\s*\(|\brequire\s*\(/, `${relative(ROOT, file)} has a dynamic import or require`);
  return [...statements, ...bare];
}

/** Every file the run-time import graph of `file` reaches through relative imports. */
function runtimeClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  if (file.endsWith('.json')) return seen;
  for (const { spec, typeOnly } of importsOf(file)) {
    if (typeOnly || !spec.startsWith('.')) continue;
    runtimeClosure(resolve(dirname(file), spec), seen);
  }
  return seen;
}

/** Every .ts/.tsx file under a directory (tests excluded: they never reach the browser). */
function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts')).map((f) => join(dir, f)).sort();
}

const FORBIDDEN = /^src\/(storage|services|crypto|audit|tracing|policy|cli|config)\//;
/** Pure code the scope may reach: its own files, the domain and the standard's catalogue (the response schemas). */
const ALLOWED = /^src\/(http|domain|disclosure\/standard)\//;

describe('the public scope cannot reach subject, case or audit tables', () => {
  it('the public plugin imports nothing from storage/ and, from services/, only the type of the public-data reader', () => {
    const imports = importsOf(PLUGIN);
    const local = imports.filter((i) => i.spec.startsWith('.'));
    assert.deepEqual(local.map((i) => `${i.typeOnly ? 'type ' : ''}${i.spec}`).sort(), ['./public-site.plugin.ts', './routes/release.schema.ts', 'type ../services/public-data.service.ts']);
    assert.deepEqual(imports.filter((i) => !i.spec.startsWith('.')).map((i) => i.spec).sort(), ['fastify', 'fastify-type-provider-zod', 'zod']);
    const text = readFileSync(PLUGIN, 'utf8');
    assert.match(text, /import type \{ PublicDataReader, ReleaseAuthority \} from '\.\.\/services\/public-data\.service\.ts';/);
  });

  it('the site plugin bundles web/public and imports only esbuild (through the shared web bundler), node:fs, node:url and a type', () => {
    const imports = importsOf(SITE_PLUGIN);
    assert.deepEqual(imports.map((i) => `${i.typeOnly ? 'type ' : ''}${i.spec}`).sort(), ['./web-bundle.ts', 'node:fs/promises', 'node:url', 'type ../services/public-data.service.ts', 'type fastify']);
    assert.deepEqual(importsOf(join(ROOT, 'src/http/web-bundle.ts')).map((i) => i.spec), ['esbuild']);
  });

  it('no file of the scope reaches storage, services, crypto, audit or tracing at run time', () => {
    for (const entry of [PLUGIN, SITE_PLUGIN]) {
      const reached = [...runtimeClosure(entry)].map((f) => relative(ROOT, f));
      const forbidden = reached.filter((f) => FORBIDDEN.test(f) || f.includes('kysely'));
      assert.deepEqual(forbidden, [], `${relative(ROOT, entry)}'s run-time imports reach ${forbidden.join(', ')}`);
      assert.deepEqual(reached.filter((f) => !ALLOWED.test(f)), [], `${relative(ROOT, entry)} reaches more than http, domain and the standard`);
    }
  });

  it('every file of web/public imports only preact, its own files and src/domain', () => {
    const files = sourcesUnder(WEB_PUBLIC);
    assert.ok(files.length >= 8, `web/public has ${files.length} source files`);
    for (const file of files) {
      for (const { spec } of importsOf(file)) {
        if (!spec.startsWith('.')) {
          assert.ok(spec === 'preact' || spec.startsWith('preact/'), `${relative(ROOT, file)} imports ${spec}`);
          continue;
        }
        const target = relative(ROOT, resolve(dirname(file), spec));
        assert.ok(target.startsWith('web/public/') || target.startsWith('src/domain/'), `${relative(ROOT, file)} imports ${target}`);
      }
      const reached = [...runtimeClosure(file)].map((f) => relative(ROOT, f));
      const outside = reached.filter((f) => !f.startsWith('web/public/') && !f.startsWith('src/domain/'));
      assert.deepEqual(outside, [], `${relative(ROOT, file)} reaches ${outside.join(', ')}`);
    }
  });

  it('works with nothing but a reader of three functions', async () => {
    const calls: string[] = [];
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    const venue = { id: 'p1', name: '某餐馆', address: '某路1号', district: CHAOYANG, category: 'restaurant' };
    await app.register(publicPlugin, { data: {
      list: async () => { calls.push('list'); return []; },
      get: async () => { calls.push('get'); return undefined; },
      venues: async () => { calls.push('venues'); return [{ ...venue, lat: 39.9 } as typeof venue]; },
    } });
    assert.equal((await app.inject({ method: 'GET', url: '/public/releases' })).json().items.length, 0);
    assert.equal((await app.inject({ method: 'GET', url: '/public/releases/r1' })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: '/public/releases/..%2Fetc' })).statusCode, 400);
    const venues = await app.inject({ method: 'GET', url: '/public/venues' });
    assert.deepEqual(venues.json(), { items: [venue] }, 'fields outside the schema (coordinates) are stripped');
    assert.equal(venues.headers['cache-control'], VENUES_CACHE_CONTROL);
    assert.equal((await app.inject({ method: 'GET', url: '/public/releases' })).headers['cache-control'], 'public, no-cache');
    assert.equal((await app.inject({ method: 'GET', url: '/' })).statusCode, 404, 'no pages without the authority key');
    assert.deepEqual(calls, ['list', 'get', 'venues', 'list']);
    await app.close();
  });

  it('the reader the server hands it exposes exactly list, get and venues', () => {
    const reader = publicDataReader({ store: {} as never, keys: {} as never });
    assert.deepEqual(Object.keys(reader).sort(), ['get', 'list', 'venues']);
    assert.ok(Object.isFrozen(reader));
  });
});

/**
 * The real server over a store that records which of its repositories each request reaches (the
 * store itself, not a stand-in: every call goes through to it), a clock the test moves, and a root
 * hook that notes whether a request carried a resumed staff session.
 */
describe('through the real server: the public scope touches no staff data and reads only the guarded public-data repository', () => {
  let t: TestApp;
  let server: ReturnType<typeof buildServer>;
  let now = Date.now();
  const reached = new Set<string>();
  const staffOn = new Map<string, boolean>();
  const releaseId = 'rpublicscope1';

  before(async () => {
    t = await testApp('sqlite');
    const store = new Proxy(t.ctx.store, {
      get(target, prop, receiver) {
        if (typeof prop === 'string') reached.add(prop);
        return Reflect.get(target, prop, receiver) as unknown;
      },
    }) as Store;
    const ctx: AppContext = { ...t.ctx, store };
    server = buildServer(ctx, { clock: () => new Date(now) });
    server.addHook('onResponse', async (request) => {
      staffOn.set(request.url, request.staffSession !== null || request.staff !== null);
    });
    await server.ready();
    // One published risk-areas release, as the release service stores it.
    const built = buildRiskAreas([{ level: 'high', kind: 'district', districtCode: CHAOYANG, venueId: null, venueName: null, windowStart: now - 86_400_000, windowEnd: now - 3_600_000, validUntil: new Date(now + 7 * 86_400_000).toISOString() }], now);
    const at = new Date(now).toISOString();
    const art: ReleaseArtifact = { format: 'epivault-release/v1', id: releaseId, type: 'risk_areas', standardVersion: standard.version, publishedAt: at, expiresAt: built.expiresAt, notice: { zh: '', en: '' }, content: built.content };
    await t.ctx.store.releases.insertRelease({ id: releaseId, type: 'risk_areas', status: 'published', jurisdiction_code: CHAOYANG, standard_version: standard.version, recipient: null, content: JSON.stringify(built.content), risk: '{}', check_passed: 1, failures: '[]', expires_at: built.expiresAt, prepared_by: 'x', prepared_at: at, published_at: at, withdrawn_by: null, withdrawn_at: null });
    await t.ctx.store.releases.insertArtifact({ release_id: releaseId, public: 1, artifact: canonicalJson(art), signature: '', key_id: 'k', published_at: at, expires_at: built.expiresAt, withdrawn_at: null });
  });
  after(async () => {
    await server?.close();
    await t?.cleanup();
  });

  it('a public request with a valid staff cookie resumes no session, reads no staff table and leaves last_seen_at alone', async () => {
    const creds = await createStaff(t.ctx, { role: 'investigator', jurisdiction: CHAOYANG, termsAccepted: true });
    const { cookie } = await signIn(server, creds);
    const idHash = sessionTokenHash(cookie.slice('ev_session='.length));
    // The cookie is valid: a staff route resumes it.
    assert.equal((await server.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } })).statusCode, 200);
    assert.equal(staffOn.get('/api/auth/session'), true, 'the staff route saw the session');
    // Later than the touch interval: resuming the session now would write last_seen_at.
    now += TOUCH_INTERVAL_MS + 5_000;
    const seenBefore = (await t.ctx.store.staff.sessionByHash(idHash))?.last_seen_at;
    assert.ok(seenBefore);

    reached.clear();
    const urls = ['/', '/exposures', '/selfcheck', '/site/app.js', '/site/app.css', '/favicon.svg', '/public/releases', `/public/releases/${releaseId}`, '/public/venues'];
    for (const url of urls) {
      const res = await server.inject({ method: 'GET', url, headers: { cookie } });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['set-cookie'], undefined, url);
      assert.equal(staffOn.get(url), false, `${url}: request.staff and request.staffSession stay null`);
    }
    assert.equal((await server.inject({ method: 'GET', url: '/no-such-page', headers: { cookie } })).statusCode, 404);
    assert.equal(staffOn.get('/no-such-page'), false, 'an unknown URL resumes no session either');
    assert.deepEqual([...reached].sort(), ['publicData'], 'the public routes reached the public-data repository and nothing else of the store');
    assert.equal((await t.ctx.store.staff.sessionByHash(idHash))?.last_seen_at, seenBefore, 'last_seen_at unchanged');

    // Control: the same cookie on a staff route, now, does resume the session and touch it.
    reached.clear();
    assert.equal((await server.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } })).statusCode, 200);
    assert.ok(reached.has('staff'), 'a staff route reads the staff tables');
    assert.notEqual((await t.ctx.store.staff.sessionByHash(idHash))?.last_seen_at, seenBefore, 'and moves last_seen_at');
  });

  it("the public scope's reader is the table-guarded public-data repository: it serves releases and venues, and refuses subjects", async () => {
    reached.clear();
    const list = (await server.inject({ method: 'GET', url: '/public/releases' })).json() as { items: SignedRelease[] };
    assert.deepEqual(list.items.map((r) => r.id), [releaseId]);
    assert.equal((await server.inject({ method: 'GET', url: `/public/releases/${releaseId}` })).json().artifact.content.items[0].district, CHAOYANG);
    assert.equal((await server.inject({ method: 'GET', url: '/public/venues' })).statusCode, 200);
    // Switching the reader to ctx.store.releases (or any other repository) would show here.
    assert.deepEqual([...reached], ['publicData']);
    // What that repository runs its queries on refuses every table but its two.
    const db = t.ctx.store.publicData.db;
    await assert.rejects(db.selectFrom('subjects').selectAll().execute(), TableAccessRefused);
    await assert.rejects(db.selectFrom('cases').selectAll().execute(), TableAccessRefused);
    await assert.rejects(db.selectFrom('audit_events').selectAll().execute(), TableAccessRefused);
    await assert.rejects(db.selectFrom('releases' as never).selectAll().execute(), TableAccessRefused, 'not even the release workflow table');
    assert.deepEqual((await t.ctx.store.publicData.liveArtifacts(new Date(now).toISOString(), 10)).map((a) => a.release_id), [releaseId], 'while published artifacts read through it');
  });
});

const standard = defaultStandard();
const published = (type: ReleaseType, field: string) => ruleOf(standard, type, field).rule !== 'never';

for (const { engine, skip } of await engines()) {
  describe(`public API on ${engine}`, { skip }, () => {
    let s: StaffServer;
    let officer: Staff;
    let approver: Staff;
    before(async () => {
      s = await staffServer(engine);
      officer = await signedInStaff(s, 'disclosure_officer', CHAOYANG, { purpose: 'disclosure' });
      approver = await signedInStaff(s, 'approver', CHAOYANG, { purpose: 'disclosure' });
    });
    after(async () => s?.close());

    it('serves a release only from publication to withdrawal, signed, without a session', async () => {
      const now = Date.now();
      // A supervisor declares the area; the release publishes that declaration.
      const supervisor = await signedInStaff(s, 'supervisor', CHAOYANG, { purpose: 'contact_tracing' });
      const declared = await supervisor.call('POST', '/api/risk-areas', { level: 'high', kind: 'district', districtCode: CHAOYANG, windowStart: new Date(now - 86_400_000).toISOString(), windowEnd: new Date(now).toISOString(), validUntil: new Date(now + 7 * 86_400_000).toISOString() });
      assert.equal(declared.status, 201, JSON.stringify(declared.body));
      const prepared = await officer.call('POST', '/api/releases', { type: 'risk_areas', areaIds: [declared.body.area.id] });
      assert.equal(prepared.status, 201, JSON.stringify(prepared.body));
      const id = prepared.body.id as string;
      assert.equal((await s.server.inject({ method: 'GET', url: `/public/releases/${id}` })).statusCode, 404, 'not yet published');
      assert.equal((await officer.call('POST', `/api/releases/${id}/approve`, { reason: 'checked the preview and the risk report' })).status, 404, 'the officer is no approver');
      assert.equal((await approver.call('POST', `/api/releases/${id}/approve`, { reason: 'checked the preview and the risk report' })).status, 200);
      assert.equal((await officer.call('POST', `/api/releases/${id}/publish`)).status, 200);
      const res = await s.server.inject({ method: 'GET', url: `/public/releases/${id}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['set-cookie'], undefined);
      const body = res.json() as SignedRelease;
      assert.equal(verifyReleaseSignature(body.artifact, body.signature, body.publicKey), true, 'verifies as served over HTTP');
      assert.equal(body.artifact.content.items[0]!.level, 'high');
      const list = (await s.server.inject({ method: 'GET', url: '/public/releases' })).json() as { items: SignedRelease[] };
      assert.ok(list.items.some((r) => r.id === id));
      assert.equal((await officer.call('POST', `/api/releases/${id}/withdraw`, { reason: 'declared by mistake, revoked' })).status, 200);
      assert.equal((await s.server.inject({ method: 'GET', url: `/public/releases/${id}` })).statusCode, 404);
      assert.equal((await officer.call('GET', `/api/releases/${id}`, undefined, 'contact_tracing')).status, 404, 'purpose disclosure only');
    });

    it('serves the public venue registry whole: no workplaces, no schools, no coordinates, cached an hour, no cookie', async () => {
      const place = (id: string, category: string) => ({ id, name: `场所${id}`, address: `朝阳路${id}号`, district_code: CHAOYANG, category, lat: 39.9, lon: 116.4 });
      await s.t.ctx.store.travel.insertPlaces([place(`pv${engine}1`, 'restaurant'), place(`pv${engine}2`, 'office_building'), place(`pv${engine}3`, 'school'), place(`pv${engine}4`, 'metro_station')]);
      const res = await s.server.inject({ method: 'GET', url: '/public/venues' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['cache-control'], VENUES_CACHE_CONTROL);
      assert.equal(res.headers['set-cookie'], undefined);
      const items = (res.json() as { items: Record<string, unknown>[] }).items;
      const mine = items.filter((v) => String(v.id).startsWith(`pv${engine}`));
      assert.deepEqual(mine, [
        { id: `pv${engine}1`, name: `场所pv${engine}1`, address: `朝阳路pv${engine}1号`, district: CHAOYANG, category: 'restaurant' },
        { id: `pv${engine}4`, name: `场所pv${engine}4`, address: `朝阳路pv${engine}4号`, district: CHAOYANG, category: 'metro_station' },
      ]);
      assert.ok(items.every((v) => !standard.parameters.exposurePoints.excludedCategories.includes(String(v.category))));
      assert.equal((await s.server.inject({ method: 'GET', url: '/public/venues?x=1' })).statusCode, 200);
    });

    it('serves the pages: one HTML shell each, a script and a stylesheet from this origin, the authority key compiled in', async () => {
      for (const url of Object.keys(PUBLIC_PAGES)) {
        const page = await s.server.inject({ method: 'GET', url });
        assert.equal(page.statusCode, 200, url);
        assert.match(String(page.headers['content-type']), /^text\/html/);
        assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
        assert.equal(page.headers['set-cookie'], undefined);
        assert.match(page.body, /<html lang="zh-CN">/);
        assert.match(page.body, /<script type="module" src="\/site\/app.js"><\/script>/);
        assert.match(page.body, /<link rel="stylesheet" href="\/site\/app.css">/);
        assert.equal([...page.body.matchAll(/<script\b[^>]*>/g)].filter((m) => !/ src="\/site\//.test(m[0])).length, 0, 'no inline script');
        assert.doesNotMatch(page.body, /style=|<style/, 'no inline style');
        assert.doesNotMatch(page.body, /https?:\/\//, 'nothing from another origin');
      }
      const js = await s.server.inject({ method: 'GET', url: '/site/app.js' });
      assert.equal(js.statusCode, 200);
      assert.match(String(js.headers['content-type']), /^text\/javascript/);
      const authority = releaseAuthority(s.t.ctx);
      assert.ok(js.body.includes(authority.publicKey), 'the signing key is built into the bundle');
      const gz = gzipSync(js.body).length;
      assert.ok(gz < 150_000, `app.js is ${gz} bytes gzipped`);
      const css = await s.server.inject({ method: 'GET', url: '/site/app.css' });
      assert.equal(css.statusCode, 200);
      assert.match(String(css.headers['content-type']), /^text\/css/);
      assert.equal((await s.server.inject({ method: 'GET', url: '/site/other.js' })).statusCode, 404);
      const icon = await s.server.inject({ method: 'GET', url: '/favicon.svg' });
      assert.equal(icon.statusCode, 200);
      assert.match(String(icon.headers['content-type']), /^image\/svg\+xml/);
      assert.match(icon.body, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.doesNotMatch(icon.body, /<script|href=/i, 'a picture only');
      for (const url of ['/', '/console/']) {
        assert.match((await s.server.inject({ method: 'GET', url })).body, /<link rel="icon" href="\/favicon\.svg"/, `${url} links the icon`);
      }
    });

    it('never returns a field outside the standard (generated artifacts, some with fields the standard does not publish)', async () => {
      const field = fc.constantFrom('caseId', 'name', 'birthDate', 'patient', 'visitorCount', 'arrival', 'trueCount', 'declaredBy');
      const item = (type: ReleaseType) => fc.dictionary(fc.constantFrom(...Object.keys(standard.releaseTypes[type] ?? {}), 'caseId', 'phone', 'note'), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null)), { maxKeys: 6 });
      const artifact = fc.constantFrom(...RELEASE_TYPES.filter((t) => t !== 'research_extract')).chain((type) => fc.record({
        type: fc.constant(type), items: fc.array(item(type), { maxLength: 4 }), rogue: fc.option(field, { nil: undefined }),
      }));
      let n = 0;
      await fc.assert(fc.asyncProperty(artifact, async (a) => {
        const id = `rgen${engine}${n++}`;
        const items = a.rogue ? [...a.items, { [a.rogue]: 'x' }] : a.items;
        const art: ReleaseArtifact = { format: 'epivault-release/v1', id, type: a.type, standardVersion: standard.version, publishedAt: new Date().toISOString(), expiresAt: null, notice: { zh: '', en: '' }, content: { items, meta: {} } };
        const at = new Date().toISOString();
        await s.t.ctx.store.releases.insertRelease({ id, type: a.type, status: 'published', jurisdiction_code: CHAOYANG, standard_version: standard.version, recipient: null, content: '{}', risk: '{}', check_passed: 1, failures: '[]', expires_at: null, prepared_by: 'x', prepared_at: at, published_at: at, withdrawn_by: null, withdrawn_at: null });
        await s.t.ctx.store.releases.insertArtifact({ release_id: id, public: 1, artifact: canonicalJson(art), signature: '', key_id: 'k', published_at: at, expires_at: null, withdrawn_at: null });
        const list = (await s.server.inject({ method: 'GET', url: '/public/releases' })).json() as { items: SignedRelease[] };
        const one = await s.server.inject({ method: 'GET', url: `/public/releases/${id}` });
        assert.equal(one.statusCode === 200, checkContent(standard, a.type, art.content).length === 0, 'served exactly when it follows the standard');
        for (const r of [...list.items, ...(one.statusCode === 200 ? [one.json() as SignedRelease] : [])]) {
          for (const i of r.artifact.content.items) for (const k of Object.keys(i)) assert.ok(published(r.artifact.type, k), `${r.artifact.type}.${k} served`);
          for (const i of r.artifact.content.items) if ('visitorCount' in i) assert.equal(i.visitorCount, null);
        }
        return true;
      }), { numRuns: 30 });
    });
  });
}
