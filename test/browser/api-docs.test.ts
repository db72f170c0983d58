/**
 * The API docs page (/api/docs, Swagger UI) in a real browser under the server's CSP: it renders
 * every operation and the browser reports no CSP violation; with the API's own strict CSP it would
 * not (which is why the docs routes relax style-src and img-src, and only those). Skipped without
 * /usr/bin/chromium, except under CI=true.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildServer, DOCS_CSP } from '../../src/http/app.ts';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { BROWSER_SKIP, launchChromium } from '../support/browser.ts';

const SKIP = BROWSER_SKIP;

describe('API docs page in a browser', { skip: SKIP }, () => {
  let t: TestApp;
  let server: FastifyInstance;
  let browser: Browser;
  let base: string;
  /** When set, the docs routes answer with this CSP instead (to show what the relaxation is for). */
  let override: string | null = null;

  before(async () => {
    t = await testApp('sqlite');
    server = buildServer(t.ctx);
    server.addHook('onSend', async (request, reply) => {
      if (override !== null && request.url.startsWith('/api/docs')) reply.header('content-security-policy', override);
    });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close().catch(() => {});
    await server?.close();
    await t?.cleanup();
  });

  async function load(): Promise<{ operations: number; violations: string[] }> {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text().slice(0, 160)); });
    await page.goto(`${base}/api/docs/`);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    await page.locator('.opblock-summary').first().click();
    await page.waitForTimeout(500);
    const operations = await page.locator('.opblock').count();
    await page.close();
    return { operations, violations };
  }

  it('renders every operation with no CSP violation', async () => {
    override = null;
    const spec = (await server.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, object> };
    const expected = Object.values(spec.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    const { operations, violations } = await load();
    assert.equal(operations, expected);
    assert.deepEqual(violations, []);
  });

  it('would break under the API\'s strict CSP (so the relaxation is needed, and scripts stay \'self\')', async () => {
    assert.match(DOCS_CSP, /script-src 'self';/);
    override = DOCS_CSP.replace(" 'unsafe-inline'", '').replace(' data:', '');
    const { violations } = await load();
    override = null;
    assert.ok(violations.length > 0);
  });
});
