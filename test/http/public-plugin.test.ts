import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import fc from 'fast-check';
import { engines } from '../support/engines.ts';
import { CHAOYANG } from '../support/records.ts';
import { signedInStaff, staffServer } from '../support/records.ts';
import type { Staff, StaffServer } from '../support/records.ts';
import { publicPlugin } from '../../src/http/public.plugin.ts';
import { canonicalJson } from '../../src/disclosure/release/index.ts';
import type { ReleaseArtifact } from '../../src/disclosure/release/index.ts';
import { checkContent, defaultStandard, ruleOf, RELEASE_TYPES } from '../../src/disclosure/standard/index.ts';
import type { ReleaseType } from '../../src/disclosure/standard/index.ts';
import { publishedReleaseReader, verifyReleaseSignature } from '../../src/services/release.service.ts';
import type { SignedRelease } from '../../src/services/release.service.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PLUGIN = join(ROOT, 'src/http/public.plugin.ts');

/** The import statements of a file: specifier and whether it is type-only (erased at run time). */
function importsOf(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)';/gms)].map((m) => ({ spec: m[2]!, typeOnly: m[1] !== undefined }));
}

/** Every file the run-time import graph of `file` reaches inside src/. */
function runtimeClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const { spec, typeOnly } of importsOf(file)) {
    if (typeOnly || !spec.startsWith('.')) continue;
    runtimeClosure(resolve(dirname(file), spec), seen);
  }
  return seen;
}

describe('the public plugin cannot reach subject, case or audit tables', () => {
  it('imports nothing from storage/ and, from services/, only the type of the published-release reader', () => {
    const imports = importsOf(PLUGIN);
    const local = imports.filter((i) => i.spec.startsWith('.'));
    assert.deepEqual(local.map((i) => `${i.typeOnly ? 'type ' : ''}${i.spec}`).sort(), ['./routes/release.schema.ts', 'type ../services/release.service.ts']);
    assert.deepEqual(imports.filter((i) => !i.spec.startsWith('.')).map((i) => i.spec).sort(), ['fastify', 'fastify-type-provider-zod', 'zod']);
    const text = readFileSync(PLUGIN, 'utf8');
    assert.match(text, /import type \{ PublishedReleaseReader \} from '\.\.\/services\/release\.service\.ts';/);
    const reached = [...runtimeClosure(PLUGIN)].map((f) => relative(ROOT, f));
    const forbidden = reached.filter((f) => /^src\/(storage|services|crypto|audit|tracing)\//.test(f) || f.includes('kysely'));
    assert.deepEqual(forbidden, [], `the plugin's run-time imports reach ${forbidden.join(', ')}`);
  });

  it('works with nothing but a reader of two functions', async () => {
    const calls: string[] = [];
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(publicPlugin, { releases: { list: async () => { calls.push('list'); return []; }, get: async () => { calls.push('get'); return undefined; } } });
    assert.equal((await app.inject({ method: 'GET', url: '/public/releases' })).json().items.length, 0);
    assert.equal((await app.inject({ method: 'GET', url: '/public/releases/r1' })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: '/public/releases/..%2Fetc' })).statusCode, 400);
    assert.deepEqual(calls, ['list', 'get']);
    await app.close();
  });

  it('the reader the server hands it exposes exactly list and get', () => {
    const reader = publishedReleaseReader({ store: {} as never, keys: {} as never });
    assert.deepEqual(Object.keys(reader).sort(), ['get', 'list']);
    assert.ok(Object.isFrozen(reader));
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
      const prepared = await officer.call('POST', '/api/releases', { type: 'risk_areas', areas: [{ level: 'high', kind: 'district', districtCode: CHAOYANG, windowStart: new Date(now - 86_400_000).toISOString(), windowEnd: new Date(now).toISOString(), validUntil: new Date(now + 7 * 86_400_000).toISOString() }] });
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
