/**
 * The contact-tracing page of the staff console (web/console/pages/tracing*.tsx, docs/TRACING.md)
 * in a real browser (Debian's Chromium through playwright-core) against a real server, as
 * test/browser/console.test.ts: a case and two other people visit the same venue; the case is
 * then confirmed (discovery runs and stores the candidates); the tracer assigned to it opens the
 * case, goes to contact tracing, finds the contacts (ranked, masked), dismisses one with a reason,
 * confirms the other (prefilled exposure), sees them among the contacts with the quarantine dates,
 * records a follow-up, and sees the chain as an SVG graph of 2 nodes and 1 edge (and as tables);
 * then finds that cluster in the list of clusters and follows its link to the chain.
 * Skipped without /usr/bin/chromium, except under CI=true.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/http/app.ts';
import { addDays } from '../../src/domain/dates.ts';
import { createCase, updateCase } from '../../src/services/case.service.ts';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { CHAOYANG, daysAgo, person } from '../support/records.ts';
import { addPerson, addPlace, staffMember, visit } from '../support/tracing.ts';
import type { StaffMember } from '../support/tracing.ts';
import { BROWSER_SKIP, closeBrowserTest, launchChromium, listenLocal, newConsolePage, signInPage as signIn } from '../support/browser.ts';

const SKIP = BROWSER_SKIP;



describe('contact tracing in the staff console (browser)', { skip: SKIP }, () => {
  let t: TestApp;
  let server: FastifyInstance;
  let base: string;
  let browser: Browser;
  let shots: string;
  const cspViolations: string[] = [];
  const contexts: BrowserContext[] = [];
  let supervisor: StaffMember;
  let tracer: StaffMember;
  let caseId: string;
  let caseNumber: string;
  /** The day the case and the contacts shared the venue: the exposure date and the quarantine's first day. */
  const shared = daysAgo(2);

  const newPage = (): Promise<Page> => newConsolePage(browser, contexts, cspViolations);

  before(async () => {
    shots = mkdtempSync(join(tmpdir(), 'epivault-tracing-console-'));
    t = await testApp('sqlite');
    supervisor = await staffMember(t.ctx, 'supervisor', '110000');
    tracer = await staffMember(t.ctx, 'tracer', CHAOYANG);
    // A suspected case, its venue visit, and two other people at the same venue and time.
    const created = await createCase(t.ctx, supervisor.req('case_investigation'), { person: person(CHAOYANG), case: { classification: 'suspected', reportDate: daysAgo(1), onsetDate: daysAgo(3) } });
    caseId = created.id;
    caseNumber = created.caseNumber;
    await t.ctx.store.cases.assign(caseId, tracer.id, new Date().toISOString());
    const place = await addPlace(t.ctx, CHAOYANG, '测试餐厅');
    const long = await addPerson(t.ctx, CHAOYANG);
    const brief = await addPerson(t.ctx, CHAOYANG);
    await visit(t.ctx, supervisor, created.subjectId, place, shared, '12:00', '13:30');
    await visit(t.ctx, supervisor, long, place, shared, '12:15', '14:00');
    await visit(t.ctx, supervisor, brief, place, shared, '13:20', '13:25');
    // Newly confirmed: discovery runs and stores the candidates.
    await updateCase(t.ctx, supervisor.req('case_investigation'), caseId, { classification: 'confirmed', confirmationDate: daysAgo(1) });
    server = buildServer(t.ctx);
    base = await listenLocal(server);
    browser = await launchChromium();
  });

  after(() => closeBrowserTest({ contexts, browser, server, app: t, shots }));

  it('a tracer finds the contacts of a newly confirmed case, confirms one, follows it up and sees the chain', async () => {
    const page = await newPage();
    const purposes = new Map<string, string | undefined>();
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (/^\/api\/(cases\/[^/]+\/(discovery|candidates|quarantines|chain)|candidates\/|quarantines\/)/.test(path)) purposes.set(`${r.method()} ${path.replace(/^(\/api\/(?:cases|candidates|quarantines))\/[^/]+/, '$1/:id')}`, r.headers()['x-epivault-purpose']);
    });
    await signIn(page, base, tracer);
    await page.waitForURL(`${base}/console/cases`);
    await page.goto(`${base}/console/assignments`);
    await page.getByRole('link', { name: caseNumber }).click();
    await page.getByTestId('case-detail').waitFor();
    await page.screenshot({ path: join(shots, 'case-detail.png') });
    await page.getByTestId('tracing-link').click();
    await page.waitForURL(`${base}/console/cases/${caseId}/tracing`);
    await page.getByRole('heading', { name: `Contact tracing · case ${caseNumber}` }).waitFor();
    assert.match((await page.getByTestId('tracing-purpose').textContent()) ?? '', /Contact tracing.*Quarantine follow-up/s);

    // Stored at confirmation, then found again on demand: ranked by time together, names masked.
    const rows = page.locator('[data-testid=candidates] tr[data-candidate]');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 2);
    await page.getByTestId('find-contacts').click();
    await page.getByTestId('discovery-window').getByText('2 candidate(s)').waitFor();
    const first = rows.nth(0);
    const second = rows.nth(1);
    const minutes = async (row: typeof first) => Number(/(\d+) min/.exec((await row.getByTestId('overlap-minutes').textContent()) ?? '')?.[1]);
    assert.ok(await minutes(first) >= 75, `the long stay ranks first (${await minutes(first)} min)`);
    assert.ok(await minutes(first) > await minutes(second));
    for (const row of [first, second]) {
      assert.equal(await row.locator('[data-masked]').getAttribute('data-masked'), 'true', 'names are masked');
      assert.match((await row.textContent()) ?? '', new RegExp(`测试餐厅.*${shared}`, 's'));
      assert.match((await row.textContent()) ?? '', /to decide/);
    }

    // Dismiss the brief passer: "Other" needs a note, checked before anything is sent.
    await second.getByTestId('dismiss-candidate').click();
    const dismiss = page.getByTestId('dismiss-form');
    await dismiss.locator('#f-dismissReason').selectOption('other');
    await dismiss.getByRole('button', { name: 'Dismiss' }).click();
    await dismiss.locator('.field-error').getByText('Say why').waitFor();
    await dismiss.locator('#f-dismissReason').selectOption('brief_passing');
    await dismiss.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByText('The candidate is dismissed.').waitFor();
    assert.equal(await second.getAttribute('data-status'), 'dismissed');

    // Confirm the other: exposure type and setting prefilled, the date is the shared day.
    await first.getByTestId('confirm-candidate').click();
    const confirm = page.getByTestId('confirm-form');
    assert.equal(await confirm.locator('#f-exposureType').inputValue(), 'shared_venue');
    assert.equal(await confirm.locator('#f-setting').inputValue(), '测试餐厅');
    assert.equal(await confirm.getByTestId('confirm-exposure-date').textContent(), shared);
    await confirm.getByRole('button', { name: 'Confirm close contact' }).click();
    await page.getByText('Confirmed as a close contact; the quarantine has started.').waitFor();
    assert.equal(await first.getAttribute('data-status'), 'confirmed');

    // Among the case's contacts, with the quarantine dates (14 days from the exposure).
    const contact = page.locator('[data-testid=traced-contacts] tr[data-quarantine]');
    await contact.first().waitFor();
    assert.equal(await contact.count(), 1);
    assert.equal(await contact.getByTestId('q-start').textContent(), shared);
    assert.equal(await contact.getByTestId('q-end').textContent(), addDays(shared, 14));
    assert.equal(await contact.locator('[data-masked]').getAttribute('data-masked'), 'true');

    // A follow-up entry: a temperature out of range is refused in the browser, then saved.
    await contact.getByTestId('open-follow-up').click();
    const followUp = page.getByTestId('follow-up');
    await followUp.getByTestId('quarantine-dates').getByText(`${shared} – ${addDays(shared, 14)}`).waitFor();
    const entry = page.getByTestId('entry-form');
    await entry.locator('#f-temperatureC').fill('45');
    await entry.getByRole('button', { name: 'Save the follow-up' }).click();
    await entry.locator('#f-temperatureC-error').getByText('34 to 43').waitFor();
    await entry.locator('#f-temperatureC').fill('37.8');
    await entry.getByLabel('Cough').check();
    await entry.getByRole('button', { name: 'Save the follow-up' }).click();
    await page.getByText('The follow-up is saved.').waitFor();
    assert.match((await followUp.getByTestId('entries').locator('tbody tr').first().textContent()) ?? '', /37\.8 °C.*Cough/s);

    // The chain: the case and its contact, one edge dated with the exposure.
    const svg = page.getByTestId('chain-svg');
    await svg.locator('g[data-edge]').first().waitFor();
    assert.equal(await svg.locator('g[data-node]').count(), 2);
    assert.equal(await svg.locator('g[data-edge]').count(), 1);
    assert.equal(await svg.locator('g.chain-node.kind-confirmed').count(), 1);
    assert.equal(await svg.locator('g.chain-node.kind-close_contact').count(), 1);
    assert.equal(await svg.locator('g[data-edge] text').textContent(), shared);
    // Labels as the server gives them: a masked name, or the case number where the name may not be shown.
    const caseLabel = (await svg.locator('g.chain-node.kind-confirmed text.chain-label').textContent()) ?? '';
    assert.ok(caseLabel === caseNumber || caseLabel.includes('*'), `the case's label (${caseLabel})`);
    assert.match((await svg.locator('g.chain-node.kind-close_contact text.chain-label').textContent()) ?? '', /\*/, 'the contact is a masked name');
    // The accessible alternative: the same nodes and link as tables.
    assert.equal(await page.locator('[data-testid=chain-nodes] tbody tr').count(), 2);
    assert.equal(await page.locator('[data-testid=chain-edges] tbody tr').count(), 1);
    assert.match((await page.locator('[data-testid=chain-edges] tbody tr').textContent()) ?? '', new RegExp(`Close contact.*Shared venue.*${shared}`, 's'));
    // Sighted users can switch the graph for the tables (which stay in the page for screen readers).
    await page.getByTestId('chain-toggle').click();
    await page.getByTestId('chain-edges').waitFor({ state: 'visible' });
    assert.equal(await page.getByTestId('chain-svg').isVisible(), false);
    await page.getByTestId('chain-toggle').click();
    await page.getByTestId('chain-svg').waitFor({ state: 'visible' });
    const shot = join(shots, 'tracing-chain.png');
    await page.getByTestId('chain-graph').screenshot({ path: shot });
    assert.ok(statSync(shot).size > 3_000, 'the screenshot of the chain is not empty');
    await page.screenshot({ path: join(shots, 'tracing-page.png'), fullPage: true });

    // The watermark is on this page too; every tracing call stated its purpose.
    assert.match((await page.getByTestId('watermark').getAttribute('data-watermark')) ?? '', new RegExp(`^${tracer.username.replace(/[.-]/g, '\\$&')} · `));
    for (const [call, p] of purposes) {
      assert.equal(p, /quarantines/.test(call) ? 'quarantine_followup' : 'contact_tracing', call);
    }
    assert.ok(purposes.has(`POST /api/cases/:id/discovery`) && purposes.has('POST /api/quarantines/:id/entries'), [...purposes.keys()].join(', '));

    // In Chinese.
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: `流调追踪 · 病例 ${caseNumber}` }).waitFor();
    await page.getByTestId('chain-section').getByText('传播链', { exact: true }).waitFor();
    await page.getByTestId('candidates').getByText('已确认').waitFor();
    await page.getByText('已确认为密切接触者，隔离已开始。').waitFor();
    await page.screenshot({ path: join(shots, 'tracing-page-zh.png'), fullPage: true });
    await page.getByTestId('lang-switch').click();
    assert.deepEqual(cspViolations, []);
  });

  it('lists the case\'s cluster without identities and opens its chain from there', async () => {
    // After the first test: the case and its confirmed contact are one cluster of 2 people.
    const page = await newPage();
    await signIn(page, base, tracer);
    await page.waitForURL(`${base}/console/cases`);
    await page.locator('nav.main').getByRole('link', { name: 'Clusters' }).click();
    await page.waitForURL(`${base}/console/clusters`);
    await page.getByRole('heading', { name: 'Transmission clusters' }).waitFor();
    const row = page.locator(`[data-testid=clusters] tr[data-open-case="${caseId}"]`);
    await row.waitFor();
    assert.equal(await page.locator('[data-testid=clusters] tbody tr').count(), 1, 'only the cluster of the case the tracer works');
    assert.equal(await row.getByTestId('cluster-people').textContent(), '2');
    assert.equal(await row.getByTestId('cluster-cases-contacts').textContent(), '1 / 1');
    const bar = row.getByTestId('cluster-bar');
    assert.equal(await bar.getAttribute('aria-label'), 'People of the cluster by classification or role: Confirmed case 1, Close contact 1');
    assert.equal(await bar.locator('rect').count(), 2);
    assert.ok(!((await row.textContent()) ?? '').includes(caseNumber), 'no case number in the list');
    await page.screenshot({ path: join(shots, 'clusters.png'), fullPage: true });
    await row.getByRole('link', { name: 'Open the chain of cluster 1' }).click();
    await page.waitForURL(`${base}/console/cases/${caseId}/tracing`);
    await page.getByTestId('chain-svg').locator('g[data-node]').nth(1).waitFor();
    assert.equal(await page.getByTestId('chain-svg').locator('g[data-node]').count(), 2);
    await page.goBack();
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: '传播聚集性疫情' }).waitFor();
    await page.getByTestId('lang-switch').click();
    assert.deepEqual(cspViolations, []);
  });
});
