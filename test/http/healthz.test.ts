import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { buildServer } from '../../src/http/app.ts';

describe('HTTP server: health and unknown routes', () => {
  let app: TestApp;
  before(async () => { app = await testApp('sqlite'); });
  after(async () => { await app?.cleanup(); });

  it('answers /healthz, and every unknown route like a record that does not exist', async () => {
    const server = buildServer(app.ctx);
    const ok = await server.inject({ method: 'GET', url: '/healthz' });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { status: 'ok', database: 'ok' });
    assert.equal(ok.headers['cache-control'], 'no-store');
    for (const url of ['/api/subjects', '/nothing/s1/x', '/api/nothing?x=1', '/../data/root.key', '/api/cases/c1/unknown']) {
      const r = await server.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 404, url);
      assert.deepEqual(r.json(), { code: 'ERR_NOT_FOUND', message: 'not found or no access' });
    }
    const post = await server.inject({ method: 'POST', url: '/healthz', payload: { a: 1 } });
    assert.equal(post.statusCode, 404);
    assert.deepEqual(post.json(), { code: 'ERR_NOT_FOUND', message: 'not found or no access' });
    const unsigned = await server.inject({ method: 'GET', url: '/api/cases' });
    assert.equal(unsigned.statusCode, 401);
    assert.equal(unsigned.json().code, 'ERR_AUTH');
    await server.close();
  });
});
