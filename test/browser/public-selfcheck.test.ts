/**
 * The public self-check (issue #7 item 4) in a real browser (Debian's Chromium through
 * playwright-core) against a real server with a published, signed exposure-points release: a
 * restaurant where two confirmed cases ate two days ago, in the same hour as ten other registered
 * people (one exposure point, 12:00–13:00 China Standard Time), and a shop nobody exposed visited.
 *
 * In each language: every request of the page is recorded from the navigation on; itinerary A is
 * entered through the page (venue search with the keyboard, date and time pickers) and matches the
 * point; after a reload, itinerary B is opened as a file (CSV with a bad line) and matches nothing.
 * The two request logs (method, URL, body) are identical, the requests after load are none, and
 * no log, URL, storage or cookie carries an entered venue, date, time or the file's content. Then
 * the network is cut and the self-check still works (entered stays and a JSON file). axe-core
 * finds no serious or critical violation; a screenshot of each language is kept in
 * test-artifacts/. Skipped without /usr/bin/chromium, except under CI=true.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/http/app.ts';
import { approveRelease, prepareRelease, publishRelease } from '../../src/services/release.service.ts';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { CHAOYANG, daysAgo } from '../support/records.ts';
import { addCase, addPerson, addPlace, staffMember, visit } from '../support/tracing.ts';
import { axeViolations } from '../support/axe.ts';
import { BROWSER_SKIP, launchChromium, listenLocal } from '../support/browser.ts';

const RESTAURANT = '自查测试火锅店';
const SHOP = '自查测试便利店';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

interface Logged { readonly method: string; readonly url: string; readonly body: string }
const line = (r: Logged) => `${r.method} ${r.url} ${r.body}`;

describe('public self-check (browser)', { skip: BROWSER_SKIP }, () => {
  let t: TestApp;
  let server: FastifyInstance;
  let base: string;
  let browser: Browser;
  let restaurantId: string;
  let shopId: string;
  const day = daysAgo(2);
  const otherDay = daysAgo(4);
  const contexts: BrowserContext[] = [];

  before(async () => {
    t = await testApp('sqlite');
    const ctx = t.ctx;
    const supervisor = await staffMember(ctx, 'supervisor', '110000');
    restaurantId = await addPlace(ctx, CHAOYANG, RESTAURANT);
    shopId = await addPlace(ctx, CHAOYANG, SHOP);
    const c1 = await addCase(ctx, supervisor, CHAOYANG, { onset: daysAgo(3), report: daysAgo(0) });
    const c2 = await addCase(ctx, supervisor, CHAOYANG, { onset: daysAgo(3), report: daysAgo(0) });
    await visit(ctx, supervisor, c1.subjectId, restaurantId, day, '12:00', '12:40');
    await visit(ctx, supervisor, c2.subjectId, restaurantId, day, '12:10', '12:50');
    for (let i = 0; i < 10; i++) await visit(ctx, supervisor, await addPerson(ctx), restaurantId, day, '12:05', '12:45');
    const officer = await staffMember(ctx, 'disclosure_officer', CHAOYANG);
    const approver = await staffMember(ctx, 'approver', CHAOYANG);
    const prepared = await prepareRelease(ctx, officer.req('disclosure'), { type: 'exposure_points', from: daysAgo(7), to: daysAgo(0) });
    assert.deepEqual(prepared.preview.items.map((i) => i.venueId), [restaurantId], 'one exposure point: the restaurant');
    await approveRelease(ctx, approver.req('disclosure'), prepared.id, 'checked the preview and the risk report');
    await publishRelease(ctx, officer.req('disclosure'), prepared.id);
    server = buildServer(ctx);
    base = await listenLocal(server);
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.close();
    await t?.cleanup();
  });

  /** A phone-sized page in `locale` recording every request and failure, CSP violations and page errors. */
  async function openPage(locale: string) {
    const context = await browser.newContext({ locale, viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true });
    contexts.push(context);
    const page = await context.newPage();
    const requests: Logged[] = [];
    const failures: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push({ method: r.method(), url: r.url(), body: r.postData() ?? '' }));
    page.on('requestfailed', (r) => failures.push(r.url()));
    page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
    page.on('console', (m) => {
      if (/content security policy/i.test(m.text())) problems.push(m.text());
    });
    return { context, page, requests, failures, problems };
  }

  async function loaded(page: Page): Promise<void> {
    await page.getByTestId('selfcheck-data').waitFor();
    await page.waitForLoadState('networkidle');
  }

  /** Adds a stay through the form: types part of the venue's name, picks it with the keyboard, fills date and times. */
  async function addStay(page: Page, namePart: string, date: string, from: string, to: string): Promise<void> {
    const input = page.getByTestId('venue-input');
    await input.fill(namePart);
    await page.getByTestId('venue-option').first().waitFor();
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    await input.press('ArrowDown');
    assert.match((await input.getAttribute('aria-activedescendant')) ?? '', /opt-0$/);
    await input.press('Enter');
    assert.equal(await input.getAttribute('aria-expanded'), 'false');
    await page.getByTestId('stay-date').fill(date);
    await page.getByTestId('stay-from').fill(from);
    await page.getByTestId('stay-to').fill(to);
    await page.getByTestId('add-stay').click();
  }

  async function axeCheck(page: Page): Promise<string[]> {
    return (await axeViolations(page)).map((v) => `${v.id} (${String(v.impact)}): ${v.help} — ${v.targets.join(', ')}`);
  }

  for (const lang of ['zh', 'en'] as const) {
    it(`${lang}: two itineraries (form, then file) leave identical request logs carrying nothing entered; works offline; accessible`, async () => {
      const L = lang === 'zh'
        ? { locale: 'zh-CN', match: /与已发布的暴露点位重叠/, none: /均未与已发布的暴露点位重叠/, notMean: /这并不意味着/, lineErr: /第 4 行，日期：不是日期/ }
        : { locale: 'en-US', match: /overlap published exposure points/, none: /None of your 2 stays overlaps/, notMean: /What it does not mean/, lineErr: /Line 4, date: is not a date/ };
      const { context, page, requests, failures, problems } = await openPage(L.locale);
      const url = `${base}/selfcheck`;

      // --- Itinerary A, through the page. ---
      await page.goto(url);
      await loaded(page);
      assert.equal(await page.locator('html').getAttribute('lang'), lang === 'zh' ? 'zh-CN' : 'en');
      assert.match((await page.getByTestId('selfcheck-data').textContent()) ?? '', /1/);
      const atLoadA = requests.length;
      await addStay(page, RESTAURANT.slice(2, 6), day, '12:20', '12:50');
      await addStay(page, SHOP.slice(2), day, '18:00', '18:30');
      // A bad stay is refused next to its fields, and nothing is added.
      await page.getByTestId('stay-from').fill('14:00');
      await page.getByTestId('stay-to').fill('13:00');
      await page.getByTestId('add-stay').click();
      await page.locator('.field.has-error [aria-invalid=true]').first().waitFor();
      assert.equal(await page.getByTestId('stay-item').count(), 2);
      await page.getByTestId('check').click();
      await page.getByTestId('result').waitFor();
      const resultA = (await page.getByTestId('result-match').textContent()) ?? '';
      assert.match(resultA, L.match);
      assert.equal(await page.getByTestId('match-item').count(), 1, 'only the restaurant stay matches');
      assert.ok(resultA.includes(RESTAURANT));
      assert.ok(resultA.includes(`${day} 12:00–13:00`), resultA);
      assert.match(resultA, /14天|14 days/, 'the published advice is shown');
      // The advice is published in both languages in one string: the page shows the page's language only.
      const advice = (await page.locator('[data-testid=match-point] .advice').allTextContents()).join('\n');
      assert.ok(advice.length > 0, 'the advice is shown');
      if (lang === 'en') assert.doesNotMatch(advice, /\p{Script=Han}/u, `the English page shows no Chinese advice: ${advice}`);
      else assert.doesNotMatch(advice, /[A-Za-z]/, `the Chinese page shows no English advice: ${advice}`);
      assert.equal(await page.evaluate('document.activeElement?.getAttribute("data-testid")'), 'result', 'focus moves to the result');
      const shot = join(ARTIFACTS, `public-selfcheck-${lang}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(statSync(shot).size > 10_000, 'the screenshot is not empty');
      assert.deepEqual(await axeCheck(page), [], 'no serious or critical axe violation (result shown)');
      // Removing the matching stay updates the result: nothing matches any more.
      await page.getByTestId('remove-stay').first().click();
      assert.equal(await page.getByTestId('stay-item').count(), 1);
      await page.getByTestId('result-none').waitFor();
      const logA = requests.map(line);
      const afterLoadA = requests.slice(atLoadA).map(line);

      // --- Itinerary B, from a file, after a reload. ---
      requests.length = 0;
      await page.reload();
      await loaded(page);
      assert.equal(await page.getByTestId('stay-item').count(), 0, 'nothing entered survives a reload');
      const atLoadB = requests.length;
      const csv = ['venue,date,from,to', `${restaurantId},${otherDay},12:00,13:00`, `"${SHOP}",${day},09:30,10:15`, `${shopId},2024-02-30,Qz7canary,10:00`, ''].join('\n');
      await page.getByTestId('itinerary-file').setInputFiles({ name: 'my-week-Qz7file.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      await page.getByTestId('file-result').waitFor();
      await page.getByTestId('stay-item').nth(1).waitFor();
      const fileResult = (await page.getByTestId('file-result').textContent()) ?? '';
      assert.match(fileResult, L.lineErr, 'the bad line is named by number and column');
      assert.ok(!fileResult.includes('Qz7'), 'the message does not echo the file');
      assert.equal(await page.getByTestId('stay-item').count(), 2);
      await page.getByTestId('check').click();
      await page.getByTestId('result').waitFor();
      const resultB = (await page.getByTestId('result-none').textContent()) ?? '';
      assert.match(resultB, L.none);
      assert.match(resultB, L.notMean, 'what a non-match does not mean');
      assert.deepEqual(await axeCheck(page), [], 'no serious or critical axe violation (no match)');
      const logB = requests.map(line);
      const afterLoadB = requests.slice(atLoadB).map(line);

      // --- The two logs: the same requests, none after load, nothing entered in any. ---
      assert.ok(logA.length >= 3, `the page loaded its files and data: ${logA.join('; ')}`);
      // The page's own requests in the same order; the icon, which the browser fetches on a schedule of
      // its own (before or after the page's data), only as one more request of the same set.
      const pageOwn = (log: string[]) => log.filter((l) => !l.includes('/favicon.svg'));
      assert.deepEqual(pageOwn(logB), pageOwn(logA), 'the same requests, in the same order, for both itineraries');
      assert.deepEqual([...logB].sort(), [...logA].sort(), 'the same requests for both itineraries, the icon included');
      // The only requests after load are axe's (none: it is injected inline) — that is, none at all.
      assert.deepEqual(afterLoadA, []);
      assert.deepEqual(afterLoadB, []);
      const entered = [RESTAURANT, RESTAURANT.slice(2, 6), SHOP, SHOP.slice(2), restaurantId, shopId, day, otherDay, '12:20', '12:50', '18:00', '18:30', '09:30', '10:15', 'Qz7', encodeURIComponent(RESTAURANT), encodeURIComponent(SHOP)];
      const everything = [...logA, ...logB, page.url()].join('\n');
      for (const v of entered) assert.ok(!everything.includes(v), `no request carries an entered value (${v.length} characters)`);
      assert.equal(page.url(), url, 'the address never changed');
      const stored = await page.evaluate<string>('JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie, history.state])');
      for (const v of entered) assert.ok(!stored.includes(v), 'nothing entered is stored');
      assert.deepEqual(await context.cookies(), []);

      // --- Offline: the self-check keeps working on the data it loaded. ---
      requests.length = 0;
      await context.setOffline(true);
      await page.getByTestId('clear-stays').click();
      await addStay(page, RESTAURANT.slice(4), day, '12:55', '13:30');
      const json = JSON.stringify([{ venue: SHOP, date: day, from: '12:00', to: '13:00' }]);
      await page.getByTestId('itinerary-file').setInputFiles({ name: 'trip.json', mimeType: 'application/json', buffer: Buffer.from(json, 'utf8') });
      await page.getByTestId('stay-item').nth(1).waitFor();
      await page.getByTestId('check').click();
      await page.getByTestId('result-match').waitFor();
      assert.equal(await page.getByTestId('match-item').count(), 1, 'offline: the restaurant stay (12:55–13:30) overlaps 12:00–13:00');
      assert.equal(await page.getByTestId('stay-item').count(), 2);
      assert.deepEqual(requests.map(line), [], 'offline: not even an attempted request');
      assert.deepEqual(failures, []);
      await context.setOffline(false);
      assert.deepEqual(problems, [], 'no CSP violation or page error');
    });
  }
});
