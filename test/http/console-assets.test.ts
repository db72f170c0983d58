import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/http/app.ts';
import { CONSOLE_ROUTES } from '../../src/http/console.plugin.ts';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';

/** The console's files as the server sends them (the browser test drives the console itself). */
describe('console assets', () => {
  let t: TestApp;
  let app: FastifyInstance;

  before(async () => {
    t = await testApp('sqlite');
    app = buildServer(t.ctx);
    await app.ready();
  });
  after(async () => {
    await app.close();
    await t.cleanup();
  });

  it('serves index.html at /console and at client routes below it, with no inline script or style and a strict CSP', async () => {
    for (const url of ['/console', '/console/', '/console/sign-in', '/console/cases', '/console/cases/c_123', '/console/cases/c_1/subject/s_2/travel/new', '/console/search', '/console/supervisor/break-glass', '/console/enrol/terms']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, /<script type="module" src="\/console\/app\.js"><\/script>/);
      assert.match(res.body, /<link rel="stylesheet" href="\/console\/app\.css">/);
      assert.doesNotMatch(res.body, /<script>|<script [^>]*>[^<]|<style|style="/);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    }
    assert.equal(CONSOLE_ROUTES.includes('/'), true);
  });

  it('serves the bundle and the stylesheet', async () => {
    const js = await app.inject({ method: 'GET', url: '/console/app.js' });
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.ok(js.body.length > 10_000);
    assert.match(js.body, /x-epivault-purpose/);
    assert.match(js.body, /x-csrf-token/);
    const css = await app.inject({ method: 'GET', url: '/console/app.css' });
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers['content-type']), /^text\/css/);
    assert.match(css.body, /\.ev-watermark/);
  });

  it('leaves unknown API paths to the API (JSON 404, not the console page)', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/no-such-route' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json<{ code: string }>().code, 'ERR_NOT_FOUND');
    const other = await app.inject({ method: 'GET', url: '/no-such-page' });
    assert.equal(other.statusCode, 404);
    assert.doesNotMatch(other.body, /<html/);
  });
});
