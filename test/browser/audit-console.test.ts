/**
 * The supervision and audit pages of the staff console in a real browser (Debian's Chromium through
 * playwright-core) against a real server, as test/browser/console.test.ts: a supervisor reviews an
 * alert raised by an investigator's denied attempts and closes it (field errors first), reads the
 * investigator's activity report; an auditor queries the log by a seeded person's document number
 * (which appears in no URL and no storage, and leaves the form), pages through it, downloads the
 * CSV export and copies the signed checkpoint; the pages speak Chinese; navigation follows the role.
 * Skipped without /usr/bin/chromium, except under CI=true.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/http/app.ts';
import { writeCheckpoint } from '../../src/services/audit-log.service.ts';
import { City } from '../../src/services/seed/city-generator.ts';
import { seedCity } from '../../src/services/seed/seed.service.ts';
import { scanSupervision } from '../../src/services/supervision.service.ts';
import { DEFAULT_THRESHOLDS } from '../../src/audit/supervision.ts';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { rawSql } from '../support/raw-sql.ts';
import { createStaff, signIn as apiSignIn, staffHeaders } from '../support/staff.ts';
import type { StaffCredentials } from '../support/staff.ts';
import { BROWSER_SKIP, closeBrowserTest, launchChromium, listenLocal, newConsolePage, signInPage as signIn } from '../support/browser.ts';

const SKIP = BROWSER_SKIP;

const CSV_HEADER = 'seq,at,actor,actorRole,action,resourceType,resourceId,subjectRef,purpose,reason,outcome,requestId';


/** The texts of the header's navigation links. */
async function navLinks(page: Page): Promise<string[]> {
  await page.locator('nav.main a').first().waitFor();
  return page.locator('nav.main a').allTextContents();
}

describe('supervision and audit pages of the staff console (browser)', { skip: SKIP }, () => {
  let t: TestApp;
  let server: FastifyInstance;
  let base: string;
  let browser: Browser;
  let shots: string;
  const cspViolations: string[] = [];
  const contexts: BrowserContext[] = [];
  let investigator: StaffCredentials;
  let supervisor: StaffCredentials;
  let auditor: StaffCredentials;
  let dpo: StaffCredentials;
  /** A seeded person's resident ID number: the auditor looks up the events about them. */
  let documentNumber: string;
  let audPage: Page;
  /** Every URL the auditor's browser requested, and the bodies of its POSTs. */
  const audUrls: string[] = [];

  const newPage = (): Promise<Page> => newConsolePage(browser, contexts, cspViolations, { acceptDownloads: true });

  before(async () => {
    shots = mkdtempSync(join(tmpdir(), 'epivault-audit-console-'));
    t = await testApp('sqlite');
    const seeded = await seedCity(t.ctx, { persons: 300, seed: 11, days: 28 });
    documentNumber = new City({ seed: seeded.seed, persons: seeded.persons, days: seeded.days, startDate: seeded.startDate }).idNumber(7);
    const sql = await rawSql(t.db);
    const rows = await sql.query<{ code: string }>('select jurisdiction_code as code, count(*) as n from cases group by jurisdiction_code order by n desc limit 1');
    await sql.close();
    const district = rows[0]!.code;
    server = buildServer(t.ctx);
    base = await listenLocal(server);
    investigator = await createStaff(t.ctx, { username: 'inv.zhao', role: 'investigator', jurisdiction: district, termsAccepted: true });
    supervisor = await createStaff(t.ctx, { username: 'sup.sun', role: 'supervisor', jurisdiction: '11', termsAccepted: true });
    auditor = await createStaff(t.ctx, { username: 'aud.qian', role: 'auditor', jurisdiction: '11', termsAccepted: true });
    dpo = await createStaff(t.ctx, { username: 'dpo.li', role: 'data_protection_officer', jurisdiction: '11', termsAccepted: true });
    await writeCheckpoint(t.ctx);
    browser = await launchChromium();
  });

  after(() => closeBrowserTest({ contexts, browser, server, app: t, shots }));

  it('a supervisor opens the alert raised by denied attempts, sees its events and closes it (field errors first)', async () => {
    // The investigator tries three case ids that do not exist (or are not theirs: the API cannot tell them apart).
    const inv = await apiSignIn(server, investigator);
    for (const id of ['c_guess1', 'c_guess2', 'c_guess3']) {
      const res = await server.inject({ method: 'GET', url: `/api/cases/${id}`, headers: staffHeaders(inv, 'case_investigation') });
      assert.equal(res.statusCode, 404);
    }
    // A workday of 24 hours: the alerts must not depend on the hour the tests run at.
    const scan = await scanSupervision(t.ctx, { ...DEFAULT_THRESHOLDS, workdayStartHour: 0, workdayEndHour: 24 });
    assert.ok(scan.alerts >= 1, 'the scan raises an alert');

    const page = await newPage();
    const purposes = new Map<string, string | undefined>();
    page.on('request', (r) => {
      if (r.url().includes('/api/alerts')) purposes.set(`${r.method()} ${new URL(r.url()).pathname}`, r.headers()['x-epivault-purpose']);
    });
    await signIn(page, base, supervisor);
    await page.waitForURL(`${base}/console/cases`);
    const links = await navLinks(page);
    assert.ok(links.includes('Alerts') && links.includes('Activity') && links.includes('Break-glass reviews'), links.join(', '));
    assert.ok(!links.includes('Audit log'), 'the audit log is for auditors and the DPO');
    await page.getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.waitForURL(`${base}/console/supervisor/alerts`);
    await page.getByTestId('audit-purpose').getByText('for the purpose “Audit”').waitFor();
    const row = page.getByTestId('alerts-table').locator('tr', { hasText: investigator.id }).filter({ hasText: 'Repeated denied attempts' });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /3 events within 60 min/);
    const shot = join(shots, 'alerts.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000, 'the screenshot of the alerts page is not empty');

    await row.getByTestId('alert-link').click();
    await page.waitForURL(/\/supervisor\/alerts\/al_[^/]+$/);
    const alertId = page.url().split('/').pop()!;
    const events = page.getByTestId('alert-events').locator('tbody tr');
    await events.first().waitFor();
    assert.equal(await events.count(), 3);
    for (const text of await events.allTextContents()) assert.match(text, /read.*case.*c_guess\d.*denied/s);
    assert.equal(purposes.get('GET /api/alerts'), 'audit');
    assert.equal(purposes.get(`GET /api/alerts/${alertId}`), 'audit');

    // A short note is refused next to the field, before anything is sent.
    let closeRequests = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/close')) closeRequests++;
    });
    await page.getByTestId('decision-justified').check();
    await page.fill('#f-note', 'too short');
    await page.getByTestId('close-alert-form').locator('button[type=submit]').click();
    await page.locator('#f-note-error').getByText('at least 10 characters').waitFor();
    assert.equal(closeRequests, 0);
    // A 400 of the server naming the field is shown next to it as well.
    await page.route('**/api/alerts/*/close', (route) => route.fulfill({
      status: 400, contentType: 'application/json',
      body: JSON.stringify({ code: 'ERR_REASON_REQUIRED', message: 'note is required: at least 10 characters (5 Chinese characters), at most 500', field: 'note' }),
    }), { times: 1 });
    await page.fill('#f-note', 'a note the stub refuses');
    await page.getByTestId('close-alert-form').locator('button[type=submit]').click();
    await page.locator('#f-note-error').getByText('The server refused this value').waitFor();
    await page.unroute('**/api/alerts/*/close');

    const note = 'checked with the investigator: stale links';
    await page.fill('#f-note', note);
    await page.getByTestId('close-alert-form').locator('button[type=submit]').click();
    await page.getByTestId('alert-closed').waitFor();
    assert.equal(await page.getByTestId('alert-status').textContent(), 'closed');
    await page.screenshot({ path: join(shots, 'alert-detail.png'), fullPage: true });
    assert.equal(purposes.get(`POST /api/alerts/${alertId}/close`), 'audit');
    const sql = await rawSql(t.db);
    const stored = await sql.query<{ status: string; decision: string; decided_by: string }>(`select status, decision, decided_by from alerts where id = '${alertId}'`);
    const reviews = await sql.query<{ reason: string; purpose: string }>(`select reason, purpose from audit_events where action = 'review' and actor = '${supervisor.id}'`);
    await sql.close();
    assert.deepEqual(stored, [{ status: 'closed', decision: `justified: ${note}`, decided_by: supervisor.id }]);
    assert.deepEqual(reviews, [{ reason: `justified: ${note}`, purpose: 'audit' }], 'the decision is in the audit log');

    // It is now among the closed alerts, with its decision.
    await page.getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.getByTestId('alerts-tab-closed').click();
    const closed = page.getByTestId('alerts-table').locator('tr', { hasText: investigator.id });
    await closed.getByText(note).waitFor();
    assert.match((await closed.textContent()) ?? '', /Justified:/);

    // The account link leads to the investigator's activity: the three denied reads, as bars and as a table.
    await closed.getByTestId('account-link').click();
    await page.waitForURL(`${base}/console/supervisor/activity/${investigator.id}`);
    const table = page.getByTestId('activity-table');
    await table.waitFor();
    assert.equal(await page.locator('#f-account').inputValue(), investigator.id);
    const deniedRow = table.locator('tr', { hasText: 'denied' }).filter({ hasText: 'read' });
    assert.match((await deniedRow.textContent()) ?? '', /3$/);
    assert.equal(await page.getByTestId('activity-chart').locator('[data-bar="read/denied"] rect').count(), 1);
    assert.equal(await page.getByTestId('activity-chart').locator('svg[role=img]').count(), 1);
    await page.screenshot({ path: join(shots, 'activity.png'), fullPage: true });
  });

  it('an auditor queries the log by a seeded person’s document number: POSTed, in no URL or storage, cleared from the form', async () => {
    const page = await newPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const posts: string[] = [];
    page.on('request', (r) => {
      audUrls.push(r.url());
      if (r.method() === 'POST') posts.push(`${new URL(r.url()).pathname} ${r.headers()['x-epivault-purpose']} ${r.postData() ?? ''}`);
    });
    await signIn(page, base, auditor);
    // Auditors land on the audit log and see only the pages they can use.
    await page.waitForURL(`${base}/console/supervisor/audit-log`);
    assert.deepEqual(await navLinks(page), ['Alerts', 'Activity', 'Audit log']);
    await page.getByTestId('audit-purpose').waitFor();

    // The public checkpoint, with a copy button for keeping it elsewhere.
    const note = page.getByTestId('checkpoint-note');
    await note.waitFor();
    const noteText = (await note.textContent()) ?? '';
    assert.match(noteText, /^epivault\.local\/audit-log\/[0-9a-f]{16}\n\d+\n\S+=\n\n— /);
    assert.ok(Number(await page.getByTestId('checkpoint-size').textContent()) > 300);
    await page.getByTestId('copy-checkpoint').click();
    await page.getByTestId('checkpoint').getByText('Copied.').waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), noteText);

    await page.fill('#f-documentNumber', documentNumber);
    await page.click('[data-testid=audit-form] button[type=submit]');
    // The person's events replace the table once the answer is in (the marker of the person's filter shows then).
    await page.getByTestId('audit-subject-active').waitFor();
    const rows = page.getByTestId('audit-events').locator('tbody tr');
    await rows.first().waitFor();
    assert.ok((await rows.allTextContents()).some((r) => /create/.test(r) && /system_seed|success/.test(r)), 'the seeding of the person is among the events');
    assert.equal(await page.locator('#f-documentNumber').inputValue(), '', 'the number leaves the form once the query answered');
    const query = posts.find((p) => p.startsWith('/api/audit/events/query'));
    assert.ok(query && query.includes('audit') && query.includes(documentNumber), 'the number is sent in the POST body, with the purpose audit');

    // The CSV export downloads a file (and is itself audited).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    assert.match(download.suggestedFilename(), /^audit-events-\d{8}-\d{4}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    assert.ok(csv.startsWith(`${CSV_HEADER}\r\n`), csv.slice(0, 200));
    assert.ok(csv.trimEnd().split('\r\n').length >= 2, 'the export holds the person’s events');
    assert.ok(!csv.includes(documentNumber));
    await page.getByText(`Downloaded ${download.suggestedFilename()}.`).waitFor();
    const shot = join(shots, 'audit.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000, 'the screenshot of the audit page is not empty');

    // The number is in no URL, no storage and nowhere on the page.
    for (const url of [...audUrls, page.url()]) assert.ok(!url.includes(documentNumber), `the document number is in ${url}`);
    const stored = await page.evaluate('JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })') as string;
    assert.ok(!stored.includes(documentNumber), 'the document number is not stored');
    assert.ok(!(await page.evaluate('document.body.innerHTML') as string).includes(documentNumber), 'the document number is not on the page');

    const sql = await rawSql(t.db);
    const audited = await sql.query<{ action: string; purpose: string }>(`select action, purpose from audit_events where actor = '${auditor.id}' and action in ('list', 'export') order by seq`);
    await sql.close();
    assert.deepEqual(audited, [{ action: 'list', purpose: 'audit' }, { action: 'export', purpose: 'audit' }], 'the query and the export are audited');

    // Newest first, a page at a time: the seed wrote 300 `create` events.
    await page.getByRole('button', { name: 'Show all persons' }).click();
    await page.getByTestId('audit-subject-active').waitFor({ state: 'detached' });
    await page.fill('#f-action', 'create');
    await page.click('[data-testid=audit-form] button[type=submit]');
    // The table still shows the unfiltered events until the answer arrives: wait for 50 rows that are all `create`.
    await page.waitForFunction(`(() => {
      const trs = [...document.querySelectorAll('[data-testid=audit-events] tbody tr')];
      return trs.length === 50 && trs.every((tr) => tr.querySelector('td:nth-child(4) code')?.textContent === 'create');
    })()`);
    const seqs = async () => (await page.locator('[data-testid=audit-events] tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-seq')))));
    /** Waits until the table's first row is no longer `seq` (a page change has rendered). */
    const changedFrom = (seq: number) => page.waitForFunction(`Number(document.querySelector('[data-testid=audit-events] tbody tr')?.getAttribute('data-seq')) !== ${seq}`);
    const first = await seqs();
    assert.equal(first.length, 50);
    assert.deepEqual(first, [...first].sort((a, b) => b - a), 'newest first');
    await page.getByTestId('next-page').click();
    await page.getByText('Page 2').waitFor();
    await changedFrom(first[0]!);
    const second = await seqs();
    assert.ok(second[0]! < first[first.length - 1]!, 'the next page holds older events');
    await page.getByTestId('prev-page').click();
    await page.getByText('Page 1').waitFor();
    await changedFrom(second[0]!);
    assert.deepEqual(await seqs(), first);
    audPage = page;
  });

  it('shows the new pages in Chinese', async () => {
    const page = audPage;
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: '审计日志' }).waitFor();
    await page.getByTestId('audit-purpose').getByText('本页面的请求用途固定为“审计”').waitFor();
    await page.getByRole('heading', { name: '最新签名检查点' }).waitFor();
    assert.deepEqual(await navLinks(page), ['告警', '人员活动', '审计日志']);
    await page.screenshot({ path: join(shots, 'audit-zh.png'), fullPage: true });
    await page.getByRole('link', { name: '告警', exact: true }).click();
    await page.getByRole('heading', { name: '监督告警' }).waitFor();
    await page.getByTestId('alerts-tab-closed').click();
    const row = page.getByTestId('alerts-table').locator('tr', { hasText: investigator.id });
    await row.getByText('多次越权访问尝试').waitFor();
    await row.getByText('60 分钟内 3 次').waitFor();
    await page.screenshot({ path: join(shots, 'alerts-zh.png'), fullPage: true });
    await row.getByTestId('alert-link').click();
    await page.getByRole('heading', { name: '告警背后的审计事件' }).waitFor();
    await page.getByTestId('alert-events').getByText('拒绝').first().waitFor();
    // Auditors read alerts; closing them is for supervisors.
    assert.equal(await page.getByTestId('close-alert-form').count(), 0);
    await page.getByRole('link', { name: '人员活动', exact: true }).click();
    await page.getByRole('heading', { name: '人员活动报告' }).waitFor();
    await page.getByText('结束日期（含）').waitFor();
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: 'Activity report' }).waitFor();
  });

  it('shows each role only its pages; a page opened by its address shows the server’s refusal', async () => {
    const page = await newPage();
    await signIn(page, base, investigator);
    await page.waitForURL(`${base}/console/cases`);
    const links = await navLinks(page);
    assert.ok(links.includes('Cases') && !links.includes('Alerts') && !links.includes('Audit log') && !links.includes('Activity'), links.join(', '));
    await page.goto(`${base}/console/supervisor/alerts`);
    await page.getByText('Not found, or you have no access.').waitFor();
    await page.goto(`${base}/console/supervisor/audit-log`);
    await page.fill('#f-action', 'read');
    await page.click('[data-testid=audit-form] button[type=submit]');
    await page.getByText('Not found, or you have no access.').waitFor();

    const dpoPage = await newPage();
    await signIn(dpoPage, base, dpo);
    await dpoPage.waitForURL(`${base}/console/supervisor/audit-log`);
    assert.deepEqual(await navLinks(dpoPage), ['Alerts', 'Activity', 'Audit log']);
  });

  it('reported no Content-Security-Policy violation', () => {
    assert.deepEqual(cspViolations, []);
  });
});
