/**
 * The staff console in a real browser (Debian's Chromium through playwright-core) against a real
 * server: a fresh SQLite database with a small synthetic city, real accounts, the real API.
 * Covers first-time enrolment, sign-in, the language switch, the watermark, case creation with
 * field-level errors, search, reveal (and its audit event), break-glass and its review, and the
 * CSP (no violation may be reported). Skipped without /usr/bin/chromium, except under CI=true.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/http/app.ts';
import { seedCity } from '../../src/services/seed/seed.service.ts';
import { makeResidentId } from '../../src/domain/id-number.ts';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { rawSql } from '../support/raw-sql.ts';
import { createStaff } from '../support/staff.ts';
import type { StaffCredentials } from '../support/staff.ts';
import { BROWSER_SKIP, closeBrowserTest, launchChromium, listenLocal, newConsolePage, signInPage as signIn } from '../support/browser.ts';

/** Debian's Chromium (EPIVAULT_CHROMIUM overrides the path). */
const SKIP = BROWSER_SKIP;


/** A case's page (not /cases/new: a form still on its own page must not count as the case it creates). */
const CASE_PAGE = /\/cases\/(?!new$)[^/]+$/;

/** A new password that passes the policy (long, not common, without the username). */
const NEW_PASSWORD = 'violet-harbour-quartz-meadow-17';


describe('staff console (browser)', { skip: SKIP }, () => {
  let t: TestApp;
  let server: FastifyInstance;
  let base: string;
  let browser: Browser;
  let shots: string;
  let district: string;
  const cspViolations: string[] = [];
  const contexts: BrowserContext[] = [];
  let investigator: StaffCredentials;
  let supervisor: StaffCredentials;
  let newcomer: StaffCredentials;
  /** The investigator's page and the case it created (the next test goes on with them). */
  let invPage: Page;
  let invCaseUrl: string;

  const newPage = (): Promise<Page> => newConsolePage(browser, contexts, cspViolations);

  before(async () => {
    shots = mkdtempSync(join(tmpdir(), 'epivault-console-'));
    t = await testApp('sqlite');
    await seedCity(t.ctx, { persons: 300, seed: 11, days: 28 });
    const sql = await rawSql(t.db);
    const rows = await sql.query<{ code: string; n: number }>("select jurisdiction_code as code, count(*) as n from cases group by jurisdiction_code order by n desc limit 1");
    await sql.close();
    district = rows[0]!.code;
    server = buildServer(t.ctx);
    base = await listenLocal(server);
    investigator = await createStaff(t.ctx, { username: 'inv.chen', role: 'investigator', jurisdiction: district, termsAccepted: true });
    supervisor = await createStaff(t.ctx, { username: 'sup.wang', role: 'supervisor', jurisdiction: '11', termsAccepted: true });
    // Its first sign-in uses the one-time password and must go through enrolment.
    newcomer = await createStaff(t.ctx, { username: 'new.li', role: 'investigator', jurisdiction: district, mustChangePassword: true });
    browser = await launchChromium();
  });

  after(() => closeBrowserTest({ contexts, browser, server, app: t, shots }));

  it('first-time enrolment: one-time password + TOTP, then a new password, then the terms', async () => {
    const page = await newPage();
    await signIn(page, base, newcomer);
    await page.waitForURL(`${base}/console/enrol/password`);
    await page.getByTestId('password-rules').getByText('at least 12 characters').waitFor();
    // A short password is refused in the browser, next to the field.
    await page.fill('#f-currentPassword', newcomer.password);
    await page.fill('#f-newPassword', 'short');
    await page.fill('#f-confirm', 'short');
    await page.click('[data-testid=password-form] button[type=submit]');
    await page.locator('#f-newPassword-error').getByText('At least 12 characters').waitFor();
    await page.screenshot({ path: join(shots, 'enrol-password.png') });
    await page.fill('#f-newPassword', NEW_PASSWORD);
    await page.fill('#f-confirm', NEW_PASSWORD);
    await page.click('[data-testid=password-form] button[type=submit]');
    await page.waitForURL(`${base}/console/enrol/terms`);
    await page.getByTestId('terms-text').getByText('Confidentiality undertaking').waitFor();
    assert.equal(await page.getByTestId('terms-accept').isDisabled(), true);
    await page.screenshot({ path: join(shots, 'enrol-terms.png') });
    await page.getByTestId('terms-agree').check();
    await page.getByTestId('terms-accept').click();
    await page.waitForURL(`${base}/console/cases`);
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    // The watermark carries the viewer's username and the time, and lets clicks through.
    const mark = page.getByTestId('watermark');
    assert.match((await mark.getAttribute('data-watermark')) ?? '', /^new\.li · \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    assert.equal(await page.evaluate("getComputedStyle(document.getElementById('ev-watermark')).pointerEvents"), 'none');
    const inked = await page.evaluate(`(() => {
      const c = document.getElementById('ev-watermark');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    })()`) as number;
    assert.ok(inked > 1000, 'the watermark canvas is drawn');
    // Removing or hiding it puts it back.
    await page.evaluate("document.getElementById('ev-watermark').remove()");
    await mark.waitFor({ state: 'attached' });
    await page.evaluate("document.getElementById('ev-watermark').style.display = 'none'");
    await page.waitForFunction("!document.getElementById('ev-watermark').hasAttribute('style')");
  });

  it('switches to Chinese and remembers only the language', async () => {
    const page = await newPage();
    await signIn(page, base, investigator);
    await page.waitForURL(`${base}/console/cases`);
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: '病例' }).waitFor();
    assert.equal(await page.evaluate('document.documentElement.lang'), 'zh-CN');
    await page.reload();
    await page.getByRole('heading', { name: '病例' }).waitFor();
    await page.screenshot({ path: join(shots, 'cases-zh.png') });
    const stored = JSON.parse(await page.evaluate('JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })') as string) as { local: Record<string, string>; session: Record<string, string> };
    for (const key of Object.keys(stored.local)) assert.ok(['epivault.lang', 'epivault.purpose'].includes(key), `unexpected localStorage key ${key}`);
    assert.equal(stored.local['epivault.lang'], 'zh');
    assert.deepEqual(stored.session, {});
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
  });

  it('a signed-out browser is sent to sign-in; wrong credentials say so without detail', async () => {
    const page = await newPage();
    await page.goto(`${base}/console/cases`);
    await page.waitForURL(`${base}/console/sign-in`);
    await page.fill('#f-username', investigator.username);
    await page.fill('#f-password', 'not-the-password-at-all');
    await page.fill('#f-totp', '123456');
    await page.click('[data-testid=sign-in-form] button[type=submit]');
    await page.getByText('The username, password or code is not right.').waitFor();
    await page.screenshot({ path: join(shots, 'sign-in.png') });
  });

  it('creates a case with field-level checks, finds it by search, reveals a field with a reason (audited)', async () => {
    const page = await newPage();
    await signIn(page, base, investigator);
    await page.waitForURL(`${base}/console/cases`);
    // Investigators list the cases assigned to them: none yet.
    await page.getByText('No cases match.').waitFor();

    await page.getByRole('link', { name: 'New case' }).click();
    await page.waitForURL(`${base}/console/cases/new`);
    const id = makeResidentId(district, '1985-03-01', 17, 'F');
    const badId = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    await page.fill('[id="f-person-name"]', '测试患者');
    await page.fill('[id="f-person-documentNumber"]', badId);
    await page.fill('[id="f-person-birthDate"]', '1985-03-01');
    await page.fill('[id="f-person-phone"]', '139 1234');
    await page.fill('[id="f-person-address"]', '测试路 1 号');
    await page.selectOption('[id="f-person-districtCode"]', district);
    await page.click('[data-testid=case-form] button[type=submit]');
    // Client-side: the GB 11643 check digit and the phone format, next to their fields.
    await page.locator('[id="f-person-documentNumber-error"]').getByText('check digit').waitFor();
    await page.locator('[id="f-person-phone-error"]').waitFor();
    assert.equal(page.url(), `${base}/console/cases/new`);
    await page.fill('[id="f-person-documentNumber"]', id);
    await page.fill('[id="f-person-phone"]', '+86 139 1234 5678');
    // Server-side: a birth date that contradicts the ID number is refused with its field named.
    await page.fill('[id="f-person-birthDate"]', '1990-01-01');
    await page.click('[data-testid=case-form] button[type=submit]');
    await page.locator('.field.has-error .field-error').first().getByText('The server refused this value').waitFor();
    await page.fill('[id="f-person-birthDate"]', '1985-03-01');
    await page.click('[data-testid=case-form] button[type=submit]');
    await page.waitForURL(CASE_PAGE);
    const caseUrl = page.url();
    assert.doesNotMatch(caseUrl, new RegExp(id));
    // Its creator is assigned: it is in the list, the name masked.
    await page.getByRole('link', { name: 'Cases', exact: true }).click();
    const name = page.getByTestId('case-table').locator('tbody tr td:nth-child(3) span').first();
    assert.equal(await name.textContent(), '测***');
    assert.equal(await name.getAttribute('data-masked'), 'true');
    await page.getByRole('link', { name: 'My assignments' }).click();
    await page.getByTestId('assignments').getByTestId('case-link').first().waitFor();

    // Search by document number (in the POST body, never in the URL).
    await page.getByRole('link', { name: 'Search' }).click();
    await page.fill('#f-value', id);
    const [searchRequest] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith('/api/search')),
      page.click('[data-testid=search-form] button[type=submit]'),
    ]);
    assert.equal(searchRequest.method(), 'POST');
    assert.ok(searchRequest.headers()['x-csrf-token'], 'state-changing requests carry the CSRF token');
    assert.equal(searchRequest.headers()['x-epivault-purpose'], 'case_investigation');
    await page.getByTestId('search-results').waitFor();
    await page.getByTestId('search-case-link').first().click();
    await page.waitForURL(caseUrl);

    // Reveal: masked before; a short reason is refused; with a reason the value shows and counts down.
    const phone = page.getByTestId('field-phone');
    assert.equal(await phone.getAttribute('data-masked'), 'true');
    assert.equal(await phone.textContent(), '*5678');
    await page.getByTestId('reveal-phone').click();
    await page.locator('.reveal-form textarea').fill('too short');
    await page.locator('.reveal-form button[type=submit]').click();
    await page.locator('.reveal-form').getByText('at least 10 characters').first().waitFor();
    const reason = 'calling the case to confirm close contacts';
    await page.locator('.reveal-form textarea').fill(reason);
    await page.locator('.reveal-form button[type=submit]').click();
    await page.getByTestId('reveal-countdown').waitFor();
    assert.equal(await phone.getAttribute('data-masked'), 'false');
    assert.equal(await phone.textContent(), '+8613912345678');
    assert.match((await page.getByTestId('reveal-countdown').textContent()) ?? '', /\d+:\d{2}/);
    await page.getByTestId('watermark').waitFor({ state: 'attached' });
    const shot = join(shots, 'case-detail.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000, 'the screenshot of the case detail is not empty');

    const sql = await rawSql(t.db);
    const events = await sql.query<{ reason: string; actor: string; purpose: string }>("select reason, actor, purpose from audit_events where action = 'reveal'");
    await sql.close();
    assert.deepEqual(events, [{ reason: `[phone] ${reason}`, actor: investigator.id, purpose: 'case_investigation' }], 'the reveal, its field and its reason are in the audit log');
    invPage = page;
    invCaseUrl = caseUrl;
  });

  it('adds a close contact, a travel record and a note, and edits the case', async () => {
    const page = invPage;
    await page.goto(invCaseUrl);
    await page.getByRole('link', { name: 'Add close contact' }).click();
    await page.waitForURL(`${invCaseUrl}/contacts/new`);
    await page.fill('[id="f-person-name"]', '接触者甲');
    await page.fill('[id="f-person-documentNumber"]', makeResidentId(district, '1990-06-15', 88, 'M'));
    await page.selectOption('[id="f-person-sex"]', 'M');
    await page.fill('[id="f-person-birthDate"]', '1990-06-15');
    await page.fill('[id="f-person-phone"]', '13700001111');
    await page.fill('[id="f-person-address"]', '测试路 2 号');
    await page.selectOption('[id="f-person-districtCode"]', district);
    await page.selectOption('[id="f-exposure-exposureType"]', 'household');
    const today = new Date().toISOString().slice(0, 10);
    await page.fill('[id="f-exposure-exposureDate"]', today);
    await page.fill('[id="f-exposure-quarantineStart"]', today);
    await page.fill('[id="f-exposure-quarantineEnd"]', '2000-01-01');
    await page.click('[data-testid=contact-form] button[type=submit]');
    await page.locator('[id="f-exposure-quarantineEnd-error"]').waitFor();
    await page.fill('[id="f-exposure-quarantineEnd"]', '');
    await page.click('[data-testid=contact-form] button[type=submit]');
    await page.waitForURL(invCaseUrl);
    await page.getByTestId('contacts').getByText('接***').waitFor();

    await page.getByRole('link', { name: 'Add travel record' }).click();
    await page.selectOption('[id="f-mode"]', 'metro');
    await page.fill('[id="f-placeText"]', 'Line 10');
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.fill('[id="f-arrival"]', `${yesterday}T08:00`);
    await page.fill('[id="f-departure"]', `${yesterday}T07:00`);
    await page.click('[data-testid=travel-form] button[type=submit]');
    await page.locator('[id="f-departure-error"]').getByText('before the start').waitFor();
    await page.fill('[id="f-departure"]', `${yesterday}T08:40`);
    await page.click('[data-testid=travel-form] button[type=submit]');
    await page.waitForURL(invCaseUrl);
    await page.getByTestId('travel').getByText('Line 10').waitFor();

    await page.fill('#note-text', 'called the household; all at home');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('called the household; all at home').waitFor();

    await page.getByRole('link', { name: 'Edit case' }).click();
    await page.selectOption('[id="f-case-classification"]', 'confirmed');
    await page.fill('[id="f-case-confirmationDate"]', today);
    await page.click('[data-testid=case-form] button[type=submit]');
    await page.waitForURL(invCaseUrl);
    await page.locator('.badge-confirmed').first().waitFor();
    // Let the case page's own requests finish first: one still in flight when the cookie goes would
    // itself answer 401 and move to sign-in before the click below.
    await page.waitForLoadState('networkidle');

    // The session is gone (expired, ended elsewhere): the next call answers 401 and the console goes to sign-in.
    await page.context().clearCookies();
    await page.getByRole('link', { name: 'My assignments' }).click();
    await page.waitForURL(`${base}/console/sign-in`);
    await page.locator('#f-username').waitFor();
  });

  it('break-glass on a case in the jurisdiction that is not assigned; the supervisor reviews it and assigns the case', async () => {
    // The supervisor opens a case in the investigator's district (not assigned to the investigator).
    const sup = await newPage();
    await signIn(sup, base, supervisor);
    await sup.waitForURL(`${base}/console/cases`);
    await sup.getByRole('link', { name: 'New case' }).click();
    const id = makeResidentId(district, '1972-11-23', 42, 'M');
    await sup.fill('[id="f-person-name"]', '应急测试');
    await sup.fill('[id="f-person-documentNumber"]', id);
    await sup.fill('[id="f-person-birthDate"]', '1972-11-23');
    await sup.selectOption('[id="f-person-sex"]', 'M');
    await sup.fill('[id="f-person-phone"]', '13800138000');
    await sup.fill('[id="f-person-address"]', '应急路 9 号');
    await sup.selectOption('[id="f-person-districtCode"]', district);
    await sup.click('[data-testid=case-form] button[type=submit]');
    await sup.waitForURL(CASE_PAGE);
    const caseUrl = sup.url();

    // The investigator, not assigned, opens it (ids are not personal: a colleague may pass one on):
    // facts only and a break-glass offer; a reason opens it, and the banner says it is reviewed.
    const page = await newPage();
    await signIn(page, base, investigator);
    await page.waitForURL(`${base}/console/cases`);
    await page.goto(caseUrl);
    // The server answers 404 (as for a case that does not exist), or the facts with abilities.breakGlass.
    await page.getByTestId('break-glass-form').waitFor();
    assert.equal(await page.getByTestId('contacts').count(), 0);
    assert.equal(await page.getByTestId('identity').locator('[data-masked=false]').count(), 0);
    await page.locator('#bg-reason').fill('short');
    await page.getByTestId('break-glass-form').locator('button[type=submit]').click();
    await page.getByTestId('break-glass-form').locator('.form-error').getByText('at least 10 characters').waitFor();
    await page.locator('#bg-reason').fill('patient collapsed, the assigned investigator is unreachable');
    await page.getByTestId('break-glass-form').locator('button[type=submit]').click();
    await page.getByTestId('via-break-glass').waitFor();
    await page.getByTestId('case-detail').waitFor();
    await page.screenshot({ path: join(shots, 'break-glass.png'), fullPage: true });

    await sup.getByRole('link', { name: 'Break-glass reviews' }).click();
    const row = sup.getByTestId('break-glass-reviews').locator('tr', { hasText: 'assigned investigator is unreachable' });
    await row.waitFor();
    await sup.screenshot({ path: join(shots, 'break-glass-review.png'), fullPage: true });
    await row.getByRole('textbox').fill('justified: emergency');
    await row.getByRole('button', { name: 'Accept' }).click();
    // Reviewed grants leave the list of pending ones.
    await row.waitFor({ state: 'detached' });
    const sql = await rawSql(t.db);
    const grants = await sql.query<{ review_status: string; reviewed_by: string }>('select review_status, reviewed_by from break_glass_grants');
    await sql.close();
    assert.deepEqual(grants, [{ review_status: 'accepted', reviewed_by: supervisor.id }]);

    // The supervisor then assigns the case to the investigator, from the case page.
    await sup.goto(caseUrl);
    await sup.selectOption('#assign-to', { label: `${investigator.username} (investigator)` });
    await sup.getByRole('button', { name: 'Assign', exact: true }).click();
    await sup.getByTestId('assignees').getByText(investigator.username).waitFor();
  });

  it('reported no Content-Security-Policy violation', () => {
    assert.deepEqual(cspViolations, []);
  });
});
