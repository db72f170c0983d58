/**
 * The disclosure pages of the staff console (issue #6) in a real browser (Debian's Chromium through
 * playwright-core) against a real server, with the harness of test/browser/audit-console.test.ts:
 * a disclosure officer prepares an exposure-points release from seeded data (two confirmed cases
 * who visited one restaurant in the same hour as ten other registered people), sees exactly what
 * will be public and the risk report, cannot approve it (the server's refusal is shown) nor publish
 * it yet; an approver finds it awaiting approval and approves it with a reason; the officer
 * publishes it and `GET /public/releases` lists it. A release failing its check shows the failures
 * and can be neither approved nor published. The pages speak Chinese. A risk-area release is
 * prepared by choosing among the declared, active areas of the jurisdiction (no revoked one, none
 * of another district, nothing typed in) and withdrawn with a reason. Skipped without
 * /usr/bin/chromium, except under CI=true.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/http/app.ts';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { CHAOYANG, daysAgo } from '../support/records.ts';
import { createStaff } from '../support/staff.ts';
import type { StaffCredentials } from '../support/staff.ts';
import { addCase, addPerson, addPlace, staffMember, visit } from '../support/tracing.ts';
import { declareRiskArea, revokeRiskArea } from '../../src/services/tracing/risk-area.service.ts';
import { BROWSER_SKIP, closeBrowserTest, launchChromium, listenLocal, newConsolePage, signInPage as signIn } from '../support/browser.ts';

const SKIP = BROWSER_SKIP;

const RESTAURANT = '测试火锅店';


describe('disclosure release pages of the staff console (browser)', { skip: SKIP }, () => {
  let t: TestApp;
  let server: FastifyInstance;
  let base: string;
  let browser: Browser;
  let shots: string;
  const cspViolations: string[] = [];
  /** Uncaught errors of the pages (none expected). */
  const pageErrors: string[] = [];
  const contexts: BrowserContext[] = [];
  let officer: StaffCredentials;
  let approver: StaffCredentials;
  let officerPage: Page;
  let releaseId: string;
  let declaredArea: string;
  let revokedArea: string;
  let haidianArea: string;
  /** Purpose header of every release request the browsers made. */
  const purposes: string[] = [];

  async function newPage(): Promise<Page> {
    const page = await newConsolePage(browser, contexts, cspViolations);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('request', (r) => {
      if (r.url().includes('/api/releases')) purposes.push(r.headers()['x-epivault-purpose'] ?? '(none)');
    });
    return page;
  }

  before(async () => {
    shots = mkdtempSync(join(tmpdir(), 'epivault-release-console-'));
    t = await testApp('sqlite');
    const ctx = t.ctx;
    // Two confirmed cases (onset 3 days ago, reported today) ate at the same restaurant 2 days ago,
    // in the same hour as ten other registered people: one exposure point under the default
    // standard (at least 10 visitors, at least 2 cases). Case 1 also went to a shop nobody else visited.
    const supervisor = await staffMember(ctx, 'supervisor', '110000');
    const restaurant = await addPlace(ctx, CHAOYANG, RESTAURANT);
    const shop = await addPlace(ctx, CHAOYANG);
    const day = daysAgo(2);
    const c1 = await addCase(ctx, supervisor, CHAOYANG, { onset: daysAgo(3), report: daysAgo(0) });
    const c2 = await addCase(ctx, supervisor, CHAOYANG, { onset: daysAgo(3), report: daysAgo(0) });
    await visit(ctx, supervisor, c1.subjectId, restaurant, day, '12:00', '12:40');
    await visit(ctx, supervisor, c2.subjectId, restaurant, day, '12:10', '12:50');
    await visit(ctx, supervisor, c1.subjectId, shop, day, '18:00', '18:30');
    for (let i = 0; i < 10; i++) await visit(ctx, supervisor, await addPerson(ctx), restaurant, day, '12:05', '12:45');
    // Risk areas the supervisor declared: a high-risk venue (the restaurant), active; a district
    // area revoked since; a venue in Haidian, outside the officer's jurisdiction. Only the first
    // is offered to the officer.
    const hour = 3_600_000;
    const window = { windowStart: new Date(Date.now() - 30 * hour).toISOString(), windowEnd: new Date(Date.now() - 2 * hour).toISOString(), validUntil: new Date(Date.now() + 7 * 24 * hour).toISOString() };
    declaredArea = (await declareRiskArea(ctx, supervisor.req(), { level: 'high', kind: 'venue', placeId: restaurant, ...window })).area.id;
    revokedArea = (await declareRiskArea(ctx, supervisor.req(), { level: 'medium', kind: 'district', districtCode: CHAOYANG, ...window })).area.id;
    await revokeRiskArea(ctx, supervisor.req(), revokedArea);
    haidianArea = (await declareRiskArea(ctx, supervisor.req(), { level: 'high', kind: 'venue', placeId: await addPlace(ctx, '110108', '海淀某超市'), ...window })).area.id;
    officer = await createStaff(ctx, { username: 'dis.zhou', role: 'disclosure_officer', jurisdiction: CHAOYANG, termsAccepted: true });
    approver = await createStaff(ctx, { username: 'apr.wu', role: 'approver', jurisdiction: CHAOYANG, termsAccepted: true });
    server = buildServer(ctx);
    base = await listenLocal(server);
    browser = await launchChromium();
  });

  after(() => closeBrowserTest({ contexts, browser, server, app: t, shots }));

  it('the officer prepares exposure points and sees exactly what will be public and the risk report; cannot approve it or publish it yet', async () => {
    const page = (officerPage = await newPage());
    await signIn(page, base, officer);
    await page.waitForURL(`${base}/console/releases`);
    const links = await page.locator('nav.main a').allTextContents();
    assert.deepEqual(links, ['Releases', 'Prepare a release'], 'a disclosure officer sees only the release pages');
    await page.getByTestId('disclosure-purpose').waitFor();
    await page.getByTestId('releases-none').waitFor();

    await page.getByTestId('new-release').click();
    await page.waitForURL(`${base}/console/releases/new`);
    assert.equal(await page.locator('#f-type').inputValue(), 'exposure_points');
    // A period ending before it starts is refused next to the field, before anything is sent.
    await page.fill('#f-from', daysAgo(0));
    await page.fill('#f-to', daysAgo(7));
    await page.getByTestId('prepare-submit').click();
    await page.locator('.field.has-error').getByText('before the start date').waitFor();
    assert.equal(purposes.filter((p) => p).length, 1, 'only the list was requested');
    await page.fill('#f-from', daysAgo(7));
    await page.fill('#f-to', daysAgo(0));
    await page.getByTestId('prepare-submit').click();
    await page.waitForURL(/\/releases\/(?!new)[^/]+$/);
    releaseId = page.url().split('/').pop()!;

    await page.getByTestId('release-page').waitFor();
    assert.equal(await page.getByTestId('release-status').first().textContent(), 'prepared');
    assert.match((await page.getByTestId('check-result').textContent()) ?? '', /check passed/);
    // The preview: one point, the restaurant, whole hours, the visitor count withheld, nothing about the cases.
    const table = page.getByTestId('preview-table');
    const header = (await table.locator('thead th').allTextContents()).join(' ');
    for (const col of ['venueId', 'venueName', 'windowStart', 'windowEnd', 'visitorCount', 'expiresAt']) assert.ok(header.includes(col), header);
    for (const col of ['caseId', 'caseCount', 'arrival', 'departure']) assert.ok(!header.includes(col), `${col} is never public`);
    const rows = table.locator('tbody tr');
    assert.equal(await rows.count(), 1);
    const row = (await rows.first().textContent()) ?? '';
    assert.ok(row.includes(RESTAURANT), row);
    assert.match(row, /withheld/);
    assert.match(row, /T\d\d:00:00/, 'whole hours');
    assert.doesNotMatch(row, /T\d\d:(0[1-9]|[1-5]\d):/, 'no minutes');
    // The risk report.
    const risk = (await page.getByTestId('risk-report').textContent()) ?? '';
    assert.match(risk, /Cases contributing2/);
    assert.match(risk, /Points published1/);
    assert.match(risk, /Windows withheld \(too few visitors\)1/);
    assert.match((await page.getByTestId('release-notice').textContent()) ?? '', /exposure points/);
    // Publishing waits for a second person's approval.
    assert.equal(await page.getByTestId('publish').isDisabled(), true);
    assert.match((await page.getByTestId('publish-blocked').textContent()) ?? '', /until a second person has approved/);
    const shot = join(shots, 'release-preview.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000, 'the screenshot of the preview is not empty');
    if (process.env.EPIVAULT_KEEP_SCREENSHOTS === '1') console.log(`preview screenshot: ${shot}`);

    // The officer cannot approve their own release: the server refuses and the page says so.
    await page.getByTestId('own-release').waitFor();
    await page.fill('#f-approveReason', 'I checked my own release carefully');
    await page.getByTestId('approve-submit').click();
    const refused = page.getByTestId('approve-form').locator('.form-error');
    await refused.getByText('The server refused').waitFor();
    assert.match((await refused.textContent()) ?? '', /Not found, or you have no access/);
    await page.reload();
    await page.getByTestId('release-page').waitFor();
    assert.equal(await page.getByTestId('release-status').first().textContent(), 'prepared', 'nothing changed');
    assert.equal(await page.getByTestId('approvals').textContent(), 'not approved yet');
  });

  it('the approver finds the release awaiting approval, reads the preview and risk report, and approves it with a reason', async () => {
    const page = await newPage();
    await signIn(page, base, approver);
    await page.waitForURL(`${base}/console/releases`);
    assert.deepEqual(await page.locator('nav.main a').allTextContents(), ['Releases']);
    const row = page.getByTestId('releases-table').locator(`tr[data-release="${releaseId}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Exposure points.*prepared.*check passed/);
    await row.getByTestId('release-link').click();
    await page.waitForURL(`${base}/console/releases/${releaseId}`);
    await page.getByTestId('preview-table').waitFor();
    assert.match((await page.getByTestId('risk-report').textContent()) ?? '', /Cases contributing2/);
    assert.equal(await page.getByTestId('publish-panel').count(), 0, 'approvers do not publish');
    assert.equal(await page.getByTestId('own-release').count(), 0);
    // A short reason is refused next to the field before anything is sent.
    await page.fill('#f-approveReason', 'ok');
    await page.getByTestId('approve-submit').click();
    await page.locator('#f-approveReason-error').getByText('at least 10 characters').waitFor();
    await page.fill('#f-approveReason', 'checked the preview and the risk report');
    await page.getByTestId('approve-submit').click();
    await page.getByTestId('release-done').getByText('Approved').waitFor();
    assert.equal(await page.getByTestId('release-status').first().textContent(), 'approved');
    assert.match((await page.getByTestId('approvals').textContent()) ?? '', new RegExp(approver.id));
    // Nothing is awaiting this approver any more.
    await page.getByRole('link', { name: 'Releases', exact: true }).click();
    await page.getByTestId('releases-none').getByText('No release is waiting for your approval').waitFor();
  });

  it('the officer publishes the approved release and the public API lists it', async () => {
    const page = officerPage;
    await page.reload();
    await page.getByTestId('release-page').waitFor();
    assert.equal(await page.getByTestId('release-status').first().textContent(), 'approved');
    assert.equal(await page.getByTestId('publish').isDisabled(), false);
    await page.getByTestId('publish').click();
    await page.getByTestId('release-done').getByText('Published').waitFor();
    assert.equal(await page.getByTestId('release-status').first().textContent(), 'published');

    const res = await fetch(`${base}/public/releases`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { items: Array<{ id: string; type: string; artifact: { content: { items: Array<Record<string, unknown>> } } }> };
    const listed = body.items.find((i) => i.id === releaseId);
    assert.ok(listed, 'the published release is public');
    assert.equal(listed.type, 'exposure_points');
    assert.equal(listed.artifact.content.items[0]!.venueName, RESTAURANT);
    assert.ok(purposes.length > 0 && purposes.every((p) => p === 'disclosure'), `every release request states the purpose disclosure: ${purposes.join(', ')}`);
  });

  it('a release failing its check shows why and can be neither approved nor published; the pages speak Chinese; a declared risk area is chosen, prepared and withdrawn', async () => {
    const page = officerPage;
    await page.getByRole('link', { name: 'Prepare a release', exact: true }).click();
    await page.waitForURL(`${base}/console/releases/new`);
    // A period without any case: no exposure point qualifies.
    await page.fill('#f-from', daysAgo(40));
    await page.fill('#f-to', daysAgo(35));
    await page.getByTestId('prepare-submit').click();
    await page.waitForURL((u) => /\/releases\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith(releaseId) && !u.pathname.endsWith('/new'));
    const failed = page.getByTestId('check-result');
    await failed.getByText('FAILS its check').waitFor();
    assert.match((await page.getByTestId('check-failures').textContent()) ?? '', /no exposure point reaches the visitor threshold/);
    assert.equal(await page.getByTestId('publish').isDisabled(), true);
    assert.match((await page.getByTestId('publish-blocked').textContent()) ?? '', /fails its check/);
    assert.equal(await page.getByTestId('approve-submit').isDisabled(), true);
    await page.screenshot({ path: join(shots, 'release-failing.png'), fullPage: true });

    await page.getByTestId('lang-switch').click();
    await page.getByTestId('check-result').getByText('检查未通过').first().waitFor();
    assert.equal(await page.getByTestId('publish').textContent(), '发布');
    assert.equal(await page.locator('nav.main a').first().textContent(), '数据发布');
    await page.screenshot({ path: join(shots, 'release-failing-zh.png'), fullPage: true });
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('check-result').getByText('FAILS its check').waitFor();

    // A risk area: chosen among the declared, active areas of the jurisdiction (nothing typed in),
    // previewed with the registry's venue name, then withdrawn with a reason.
    await page.getByRole('link', { name: 'Prepare a release', exact: true }).click();
    await page.waitForURL(`${base}/console/releases/new`);
    await page.selectOption('#f-type', 'risk_areas');
    await page.getByTestId('declared-areas').waitFor();
    assert.deepEqual(await page.getByTestId('declared-areas').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-area'))), [declaredArea], 'no revoked area, none of another district');
    assert.equal(await page.locator(`[data-area="${revokedArea}"], [data-area="${haidianArea}"]`).count(), 0);
    assert.equal(await page.locator('#f-venueName, #f-venueId, #f-districtCode, #f-windowStart').count(), 0, 'nothing of the area is typed in');
    assert.match((await page.getByTestId('declared-areas').textContent()) ?? '', new RegExp(RESTAURANT));
    await page.getByTestId('prepare-submit').click();
    await page.locator('#f-areaIds-error').getByText('Choose at least one declared risk area').waitFor();
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('area-picker').getByText('要发布的已认定风险区').waitFor();
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('area-picker').getByText('Declared risk areas to publish').waitFor();
    await page.locator(`#area-${declaredArea}`).check();
    await page.getByTestId('prepare-submit').click();
    await page.getByTestId('release-page').getByText('Risk areas').first().waitFor();
    assert.match((await page.getByTestId('check-result').textContent()) ?? '', /check passed/);
    const area = (await page.getByTestId('preview-table').locator('tbody tr').first().textContent()) ?? '';
    assert.match(area, /high/);
    assert.match(area, new RegExp(CHAOYANG));
    assert.match(area, new RegExp(RESTAURANT), 'the venue name of the public registry');
    await page.fill('#f-withdrawReason', 'declared by mistake');
    await page.getByTestId('withdraw-submit').click();
    await page.getByTestId('release-done').getByText('Withdrawn').waitFor();
    assert.equal(await page.getByTestId('release-status').first().textContent(), 'withdrawn');
    assert.equal(await page.getByTestId('withdraw-form').count(), 0);

    // The watermark is on these pages too.
    assert.equal(await page.locator('#ev-watermark').count(), 1);
    assert.deepEqual(cspViolations, []);
    assert.deepEqual(pageErrors, []);
  });
});
