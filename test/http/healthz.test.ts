import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { buildServer } from '../../src/http/app.ts';

describe('HTTP server before staff sign-in exists', () => {
  let app: TestApp;
  before(async () => { app = await testApp('sqlite'); });
  after(async () => { await app?.cleanup(); });

  it('answers /healthz and nothing else', async () => {
    const server = buildServer(app.ctx);
    const ok = await server.inject({ method: 'GET', url: '/healthz' });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { status: 'ok', database: 'ok' });
    assert.equal(ok.headers['cache-control'], 'no-store');
    for (const url of ['/', '/api/subjects', '/subjects/s1', '/api/cases?x=1', '/../data/root.key']) {
      const r = await server.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 404, url);
      assert.deepEqual(r.json(), { error: 'not_found', message: 'not found or no access' });
    }
    const post = await server.inject({ method: 'POST', url: '/healthz', payload: { a: 1 } });
    assert.equal(post.statusCode, 404);
    await server.close();
  });
});
