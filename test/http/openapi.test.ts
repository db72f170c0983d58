import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/http/app.ts';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';

/** The routes docs/STAFF-API.md promises, read from its table, as OpenAPI paths (`:id` → `{id}`). */
function contractRoutes(): { method: string; path: string }[] {
  const md = readFileSync(new URL('../../docs/STAFF-API.md', import.meta.url), 'utf8');
  return [...md.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| (\/api\/\S+) \|/gm)].map((m) => ({ method: m[1]!.toLowerCase(), path: m[2]!.replace(/:(\w+)/g, '{$1}') }));
}

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }>; requestBody?: { content: Record<string, { schema: unknown }> }; parameters?: { in: string; name: string; required?: boolean; schema: unknown }[] }>>;
}

describe('OpenAPI document and security headers', () => {
  let t: TestApp;
  let app: FastifyInstance;
  /** Every route the server registers, as `method path` (OpenAPI path syntax), unless hidden from the docs. */
  const registered: string[] = [];
  before(async () => {
    t = await testApp('sqlite');
    app = buildServer(t.ctx);
    app.addHook('onRoute', (r) => {
      if ((r.schema as { hide?: boolean } | undefined)?.hide || !r.url.startsWith('/api/')) return;
      for (const m of [r.method].flat()) if (m !== 'HEAD') registered.push(`${m.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await t.cleanup();
  });

  it('serves a valid OpenAPI 3.1 document at /api/openapi.json', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const doc = res.json() as OpenApiDoc;
    assert.equal(doc.openapi, '3.1.0');
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    // Ajv resolves the schema's `$dynamicRef: "#meta"` against the wrong scope; the only dynamic
    // anchor is `$defs/schema`, so a static reference to it means the same here.
    const oas = JSON.parse(readFileSync(new URL('../vectors/openapi/oas-3.1-schema.json', import.meta.url), 'utf8').replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"'));
    const valid = ajv.validate(oas, doc);
    assert.ok(valid, JSON.stringify(ajv.errors?.slice(0, 5)));
    // Every request and response schema is itself a valid JSON Schema (2020-12, OpenAPI 3.1's dialect).
    let schemas = 0;
    const checker = new Ajv2020({ strict: false, validateFormats: false });
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const all = [
          ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {}).map((c) => c.schema)),
          ...Object.values(op.requestBody?.content ?? {}).map((c) => c.schema),
          ...(op.parameters ?? []).map((p) => p.schema),
        ];
        for (const schema of all) {
          assert.doesNotThrow(() => checker.compile(schema as object), `${method} ${path}`);
          schemas += 1;
        }
      }
    }
    assert.ok(schemas > 100, `only ${schemas} schemas`);
  });

  it('lists every route the server answers and every route of docs/STAFF-API.md, each with its responses and the purpose header', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as OpenApiDoc;
    const routes = contractRoutes();
    assert.ok(routes.length >= 29, `the contract lists ${routes.length} routes`);
    for (const { method, path } of routes) {
      const op = doc.paths[path]?.[method];
      assert.ok(op, `${method.toUpperCase()} ${path} is missing from the OpenAPI document`);
      assert.ok(Object.keys(op.responses).some((s) => s.startsWith('2')), `${method} ${path}: no success response`);
      assert.ok(op.responses['404'] || path.startsWith('/api/auth') || path.startsWith('/api/terms'), `${method} ${path}: no 404`);
      if (!path.startsWith('/api/auth') && !path.startsWith('/api/terms')) {
        const purpose = (op.parameters ?? []).find((p) => p.in === 'header' && p.name === 'x-epivault-purpose');
        assert.ok(purpose?.required, `${method} ${path}: x-epivault-purpose not documented as required`);
      }
    }
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)));
    assert.ok(registered.length >= routes.length);
    assert.deepEqual(registered.filter((r) => !documented.has(r)), [], 'routes the server answers but the OpenAPI document does not list');
  });

  it('sends a strict CSP, nosniff, no framing and no-store on the API; the docs page works under its own CSP', async () => {
    for (const url of ['/api/openapi.json', '/api/cases', '/healthz', '/api/nothing']) {
      const res = await app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      for (const d of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]) assert.ok(csp.includes(d), `${url}: ${d}`);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
      if (url.startsWith('/api/')) assert.equal(res.headers['cache-control'], 'no-store', url);
    }
    const page = await app.inject({ method: 'GET', url: '/api/docs/' });
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /<script>|<script [^>]*>[^<\s]/, 'no inline script on the docs page');
    const docsCsp = String(page.headers['content-security-policy']);
    assert.match(docsCsp, /script-src 'self';/);
    assert.match(docsCsp, /frame-ancestors 'none'/);
    assert.doesNotMatch(docsCsp, /unsafe-eval|script-src[^;]*unsafe-inline/);
    for (const m of page.body.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const asset = await app.inject({ method: 'GET', url: new URL(m[1]!, 'http://x/api/docs/').pathname });
      assert.equal(asset.statusCode, 200, m[1]);
    }
    const spec = await app.inject({ method: 'GET', url: '/api/docs/json' });
    assert.equal(spec.json().openapi, '3.1.0');
  });

  it('never echoes a rejected value in an error', async () => {
    const canary = 'CANARY-7731-值';
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: canary, password: 5, totp: canary } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'ERR_VALIDATION');
    assert.equal(res.json().field, 'password');
    assert.ok(!res.body.includes(canary));
    const notJson = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: `{"username":"${canary}` });
    assert.equal(notJson.statusCode, 400);
    assert.deepEqual(notJson.json(), { code: 'ERR_VALIDATION', message: 'the body is not valid JSON', field: 'body' });
  });
});
