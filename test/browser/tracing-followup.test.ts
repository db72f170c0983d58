/**
 * The follow-up pages of contact tracing in the staff console (web/console/pages/tracing-quarantine.tsx,
 * handovers.tsx, risk-areas.tsx; docs/TRACING.md) in a real browser (Debian's Chromium through
 * playwright-core) against a real server. A confirmed case of Chaoyang and three people at the same
 * venue and time, confirmed as close contacts through the services (one lives in Haidian, so a
 * hand-over is pending); a fifth person at the venue earlier that day. Then, through the console:
 *
 * - the investigator assigned to the case reveals a contact's phone to call (reason checked, shown
 *   with a countdown, audited with the reason), extends one quarantine and ends it (field checks
 *   first), records a secondary contact of another and converts that one into a case (the new case
 *   opens, red), and downloads the cluster without identities;
 * - Haidian's supervisor, in Chinese, accepts the hand-over and assigns a Haidian tracer, who
 *   finds the quarantine in their follow-up list and records the day's follow-up;
 * - a supervisor declares a venue high-risk (client and server field errors first), sees how many
 *   people the token search found, and revokes it.
 *
 * Every step asserts the outcome in the database or through the services, not only on the page.
 * Skipped without /usr/bin/chromium, except under CI=true.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/http/app.ts';
import { addDays } from '../../src/domain/dates.ts';
import { confirmCandidate, runDiscovery } from '../../src/services/tracing/discovery.service.ts';
import { readQuarantine } from '../../src/services/tracing/follow-up.service.ts';
import { readRiskStatus } from '../../src/services/tracing/risk-status.service.ts';
import { listSecondaryContacts } from '../../src/services/tracing/secondary.service.ts';
import { testApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { rawSql } from '../support/raw-sql.ts';
import { CHAOYANG, HAIDIAN, daysAgo, person, today } from '../support/records.ts';
import { addCase, addPerson, addPlace, at, staffMember, visit } from '../support/tracing.ts';
import type { StaffMember } from '../support/tracing.ts';
import { BROWSER_SKIP, closeBrowserTest, launchChromium, listenLocal, newConsolePage, signInPage as signIn } from '../support/browser.ts';

/** A `datetime-local` input value (the browser runs on this machine, in its time zone). */
function localInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

describe('contact-tracing follow-up, hand-overs and risk areas in the staff console (browser)', { skip: BROWSER_SKIP }, () => {
  let t: TestApp;
  let server: FastifyInstance;
  let base: string;
  let browser: Browser;
  let shots: string;
  const cspViolations: string[] = [];
  const contexts: BrowserContext[] = [];
  let supervisor: StaffMember;
  let investigator: StaffMember;
  let haidianSupervisor: StaffMember;
  let haidianTracer: StaffMember;
  let caseId: string;
  let caseSubject: string;
  let placeId: string;
  /** Close contacts A and B (Chaoyang), C (lives in Haidian), the early visitor E, and D (B's secondary contact, recorded in the test). */
  const who: Record<'a' | 'b' | 'c' | 'd' | 'e', string> = { a: '', b: '', c: '', d: '', e: '' };
  const quarantineOf: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  let handoverId: string;
  const shared = daysAgo(2);
  const phoneOfA = '+8613900001111';

  const newPage = (options: { acceptDownloads?: boolean } = {}): Promise<Page> => newConsolePage(browser, contexts, cspViolations, options);

  before(async () => {
    shots = mkdtempSync(join(tmpdir(), 'epivault-tracing-followup-'));
    t = await testApp('sqlite');
    supervisor = await staffMember(t.ctx, 'supervisor', '110000');
    investigator = await staffMember(t.ctx, 'investigator', CHAOYANG);
    haidianSupervisor = await staffMember(t.ctx, 'supervisor', HAIDIAN);
    haidianTracer = await staffMember(t.ctx, 'tracer', HAIDIAN);
    const c = await addCase(t.ctx, supervisor, CHAOYANG, { onset: daysAgo(3), report: daysAgo(1) }, [investigator]);
    caseId = c.caseId;
    caseSubject = c.subjectId;
    placeId = await addPlace(t.ctx, CHAOYANG, '测试咖啡馆');
    who.a = await addPerson(t.ctx, CHAOYANG, { phone: phoneOfA });
    who.b = await addPerson(t.ctx, CHAOYANG);
    who.c = await addPerson(t.ctx, HAIDIAN);
    who.e = await addPerson(t.ctx, CHAOYANG);
    await visit(t.ctx, supervisor, caseSubject, placeId, shared, '12:00', '13:30');
    for (const s of [who.a, who.b, who.c]) await visit(t.ctx, supervisor, s, placeId, shared, '12:10', '13:10');
    // Earlier the same day: not a contact of the case, but inside a risk area's window over that day.
    await visit(t.ctx, supervisor, who.e, placeId, shared, '08:00', '09:00');
    const found = await runDiscovery(t.ctx, investigator.req('contact_tracing'), caseId);
    assert.deepEqual(new Set(found.candidates.map((x) => x.subject.id)), new Set([who.a, who.b, who.c]), 'discovery finds the three people at the venue with the case');
    for (const cand of found.candidates) {
      const r = await confirmCandidate(t.ctx, investigator.req('contact_tracing'), cand.id);
      const key = cand.subject.id === who.a ? 'a' : cand.subject.id === who.b ? 'b' : 'c';
      quarantineOf[key] = r.quarantineId;
      if (key === 'c') handoverId = r.handoverId!;
    }
    assert.ok(handoverId, 'the contact living in Haidian is handed over');
    server = buildServer(t.ctx);
    base = await listenLocal(server);
    browser = await launchChromium();
  });

  after(() => closeBrowserTest({ contexts, browser, server, app: t, shots }));

  it('an investigator calls, extends, ends, records a secondary contact, converts a contact into a case and exports the cluster', async () => {
    const page = await newPage({ acceptDownloads: true });
    const purposes = new Map<string, string | undefined>();
    page.on('request', (r) => {
      const m = /^\/api\/(quarantines\/[^/]+\/(extend|end|convert|reveal-phone)|contacts\/[^/]+\/secondary-contacts|cases\/[^/]+\/cluster-export)$/.exec(new URL(r.url()).pathname);
      if (m) purposes.set(`${r.method()} ${m[2] ?? m[1]!.split('/').pop()}`, r.headers()['x-epivault-purpose']);
    });
    await signIn(page, base, investigator);
    await page.waitForURL(`${base}/console/cases`);
    await page.goto(`${base}/console/cases/${caseId}/tracing`);
    const rowOf = (q: string) => page.locator(`[data-testid=traced-contacts] tr[data-quarantine="${q}"]`);
    await rowOf(quarantineOf.a).waitFor();
    assert.equal(await page.locator('[data-testid=traced-contacts] tr[data-quarantine]').count(), 3);

    // ---- A: risk status, call, extend, end ----
    await rowOf(quarantineOf.a).getByTestId('open-follow-up').click();
    const fa = page.getByTestId('follow-up');
    const risk = fa.getByTestId('risk-status');
    await risk.waitFor();
    assert.equal(await risk.getAttribute('data-status'), 'red');
    assert.match((await risk.textContent()) ?? '', /Red.*close contact in quarantine/s);
    assert.equal(await fa.getByTestId('q-phone').locator('[data-masked]').getAttribute('data-masked'), 'true', 'the phone is masked by default');
    assert.doesNotMatch((await fa.textContent()) ?? '', /13900001111/);

    // Call: a short reason is refused in the browser; then the number, once, with a countdown; audited with the reason.
    await fa.getByTestId('q-call').click();
    const call = page.getByTestId('call-form');
    await call.getByLabel('Reason for the call').fill('too short');
    await call.getByRole('button', { name: 'Reveal the phone number' }).click();
    await call.locator('#f-callReason-error').getByText('at least 10 characters').waitFor();
    const callReason = 'calling the contact about their quarantine';
    await call.getByLabel('Reason for the call').fill(callReason);
    await call.getByRole('button', { name: 'Reveal the phone number' }).click();
    await page.getByTestId('call-phone-value').waitFor();
    assert.equal(await page.getByTestId('call-phone-value').textContent(), phoneOfA);
    assert.match((await page.getByTestId('call-phone').getByTestId('reveal-countdown').textContent()) ?? '', /1[45]:\d{2}/);
    const sql = await rawSql(t.db);
    const reveals = await sql.query<{ reason: string; actor: string; purpose: string; resource_id: string }>("select reason, actor, purpose, resource_id from audit_events where action = 'reveal' and resource_type = 'quarantine'");
    await sql.close();
    assert.deepEqual(reveals, [{ reason: `[phone] ${callReason}`, actor: investigator.id, purpose: 'quarantine_followup', resource_id: quarantineOf.a }]);
    await page.getByTestId('call-phone').getByRole('button', { name: 'Hide' }).click();
    assert.equal(await page.getByTestId('call-phone-value').count(), 0, 'the call panel is closed');

    // Extend by 5 days: the reason is checked first.
    await fa.getByTestId('q-extend').click();
    const extend = page.getByTestId('extend-form');
    await extend.locator('#f-extendDays').fill('5');
    await extend.getByRole('button', { name: 'Extend the quarantine' }).click();
    await extend.locator('#f-extendReason-error').waitFor();
    await extend.locator('#f-extendReason').fill('fever reported by a household member');
    await extend.getByRole('button', { name: 'Extend the quarantine' }).click();
    await page.getByText('The quarantine is extended.').waitFor();
    await fa.getByTestId('quarantine-dates').getByText(`${shared} – ${addDays(shared, 19)}`).waitFor();
    const extended = await readQuarantine(t.ctx, investigator.req('quarantine_followup'), quarantineOf.a);
    assert.equal(extended.quarantineEnd, addDays(shared, 19));
    assert.deepEqual(extended.events.map((e) => [e.action, e.days ?? null, e.reason ?? null]), [['start', null, null], ['extend', 5, 'fever reported by a household member']]);

    // End early: "other" needs a note (checked in the browser), then "released early"; the end date becomes today.
    await fa.getByTestId('q-end').click();
    const end = page.getByTestId('end-form');
    await end.locator('#f-endReason').selectOption('other');
    await end.getByRole('button', { name: 'End the quarantine' }).click();
    await end.locator('#f-endNote-error').getByText('Say why').waitFor();
    await end.locator('#f-endReason').selectOption('released_early');
    await end.getByRole('button', { name: 'End the quarantine' }).click();
    await page.getByText('The quarantine is ended.').waitFor();
    await fa.getByTestId('quarantine-dates').getByText(`${shared} – ${today()} (ended)`).waitFor();
    assert.equal(await fa.getByTestId('quarantine-actions').getByTestId('q-extend').count(), 0, 'an ended quarantine offers no extension');
    assert.match((await fa.getByTestId('quarantine-history').textContent()) ?? '', /Extended.*\+5 day.*Ended.*Released early/s);
    assert.equal((await t.ctx.store.tracing.getQuarantine(quarantineOf.a))?.status, 'ended');
    await rowOf(quarantineOf.a).locator('.badge', { hasText: 'ended' }).waitFor(); // the contacts list follows
    assert.equal((await readRiskStatus(t.ctx, supervisor.req('case_investigation'), who.a)).status, 'green', 'out of quarantine, no other rule holds');
    await page.screenshot({ path: join(shots, 'follow-up-ended.png'), fullPage: true });
    await rowOf(quarantineOf.a).getByTestId('open-follow-up').click();

    // ---- B: a secondary contact, then conversion into a case ----
    await rowOf(quarantineOf.b).getByTestId('open-follow-up').click();
    const fb = page.getByTestId('follow-up');
    await fb.getByTestId('secondary-contacts').getByText('No secondary contacts recorded.').waitFor();
    await fb.getByTestId('add-secondary').click();
    const sec = page.getByTestId('secondary-form');
    // A new person (a registered person's id works only for someone the investigator may read).
    const secondary = person(CHAOYANG);
    await sec.locator('#f-person-name').fill(secondary.name);
    await sec.locator('#f-person-sex').selectOption(secondary.sex);
    await sec.locator('#f-person-documentNumber').fill(secondary.documentNumber);
    await sec.locator('#f-person-birthDate').fill(secondary.birthDate);
    await sec.locator('#f-person-phone').fill(secondary.phone);
    await sec.locator('#f-person-address').fill(secondary.address);
    await sec.locator('#f-person-districtCode').selectOption(CHAOYANG);
    await sec.locator('#f-exposure-exposureType').selectOption('household');
    await sec.locator('#f-exposure-exposureDate').fill(addDays(today(), 1));
    await sec.getByRole('button', { name: 'Record the secondary contact' }).click();
    await sec.locator('#f-exposure-exposureDate-error').getByText('in the future').waitFor();
    await sec.locator('#f-exposure-exposureDate').fill(daysAgo(1));
    await sec.getByRole('button', { name: 'Record the secondary contact' }).click();
    await page.getByText('The secondary contact is recorded.').waitFor();
    const secRow = fb.locator('[data-testid=secondary-list] tr[data-secondary]');
    assert.equal(await secRow.count(), 1);
    assert.equal(await secRow.locator('[data-masked]').getAttribute('data-masked'), 'true', 'the secondary contact is masked');
    const stored = await listSecondaryContacts(t.ctx, investigator.req('contact_tracing'), (await t.ctx.store.tracing.getQuarantine(quarantineOf.b))!.contact_link_id);
    assert.deepEqual(stored.map((s) => [s.subject.jurisdictionCode, s.exposure.exposureType, s.exposure.exposureDate]), [[CHAOYANG, 'household', daysAgo(1)]]);
    who.d = stored[0]!.subject.id;
    assert.equal(await page.getByText(secondary.name).count(), 0, 'the name is not shown in clear');
    assert.equal((await readRiskStatus(t.ctx, supervisor.req('case_investigation'), who.d)).status, 'yellow');

    await fb.getByTestId('q-convert').click();
    const convert = page.getByTestId('convert-form');
    assert.equal(await convert.locator('#f-classification').inputValue(), 'confirmed');
    await convert.locator('#f-onsetDate').fill(addDays(today(), 1));
    await convert.getByRole('button', { name: 'Open the case' }).click();
    await convert.locator('#f-onsetDate-error').getByText('in the future').waitFor();
    await convert.locator('#f-onsetDate').fill(daysAgo(1));
    await convert.getByRole('button', { name: 'Open the case' }).click();
    await page.waitForURL(new RegExp(`${base}/console/cases/[^/]+$`));
    const newCaseId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    assert.notEqual(newCaseId, caseId);
    await page.getByTestId('case-detail').waitFor();
    const newCase = await t.ctx.store.cases.getCase(newCaseId);
    assert.equal(newCase?.subject_id, who.b);
    assert.equal(newCase?.classification, 'confirmed');
    assert.equal(newCase?.jurisdiction_code, CHAOYANG);
    assert.equal((await t.ctx.store.tracing.getQuarantine(quarantineOf.b))?.status, 'converted');
    const detailRisk = page.getByTestId('identity').getByTestId('risk-status');
    await detailRisk.waitFor();
    assert.equal(await detailRisk.getAttribute('data-status'), 'red');
    assert.match((await detailRisk.textContent()) ?? '', /confirmed case/);

    // ---- the cluster, downloaded without identities ----
    await page.goto(`${base}/console/cases/${caseId}/tracing`);
    await page.getByTestId('chain-svg').locator('g[data-node]').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('cluster-export').click()]);
    assert.match(download.suggestedFilename(), /^cluster-\d{4}-\d{2}-\d{2}\.json$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const cluster = JSON.parse(text) as { format: string; nodes: Array<{ ref: string; kind: string }>; edges: unknown[] };
    assert.equal(cluster.format, 'epivault-cluster/1');
    assert.equal(cluster.nodes.length, 5, 'the case, three close contacts and one secondary contact');
    assert.equal(cluster.edges.length, 4);
    assert.deepEqual(cluster.nodes.map((n) => n.kind).sort(), ['close_contact', 'close_contact', 'confirmed', 'confirmed', 'secondary_contact']);
    // Each request stated the purpose the page names, whatever the header's selector says.
    assert.deepEqual(Object.fromEntries(purposes), {
      'POST reveal-phone': 'quarantine_followup', 'POST extend': 'quarantine_followup', 'POST end': 'quarantine_followup',
      'GET secondary-contacts': 'contact_tracing', 'POST secondary-contacts': 'contact_tracing', 'POST convert': 'case_investigation', 'GET cluster-export': 'case_investigation',
    });
    for (const secret of [caseId, newCaseId, caseSubject, ...Object.values(who), placeId, '测试咖啡馆', newCase!.case_number]) assert.ok(!text.includes(secret), 'no id, number or place in the export');
    assert.deepEqual(cspViolations, []);
  });

  it('the supervisor of the district the contact lives in accepts the hand-over in Chinese and assigns a tracer', async () => {
    const page = await newPage();
    await signIn(page, base, haidianSupervisor);
    await page.waitForURL(`${base}/console/cases`);
    await page.getByTestId('lang-switch').click();
    await page.getByRole('navigation').getByRole('link', { name: '移交' }).click();
    await page.waitForURL(`${base}/console/supervisor/handovers`);
    await page.getByRole('heading', { name: '移交至本辖区的密切接触者' }).waitFor();
    assert.match((await page.getByTestId('handovers-purpose').textContent()) ?? '', /密切接触者追踪/);
    const row = page.locator(`[data-testid=handovers] tr[data-handover="${handoverId}"]`);
    await row.waitFor();
    assert.equal(await page.locator('[data-testid=handovers] tr[data-handover]').count(), 1);
    assert.equal(await row.locator('[data-masked]').getAttribute('data-masked'), 'true');
    assert.match((await row.textContent()) ?? '', /朝阳区.*海淀区.*待处理/s);
    await row.getByLabel('指派给').selectOption(haidianTracer.id);
    await row.getByRole('button', { name: '接收' }).click();
    await page.getByText('已接收移交：隔离随访由本辖区负责。').waitFor();
    assert.equal(await row.getAttribute('data-status'), 'accepted');
    assert.match((await row.textContent()) ?? '', /已接收/);
    await page.screenshot({ path: join(shots, 'handovers-zh.png'), fullPage: true });

    const h = await t.ctx.store.tracing.getHandover(handoverId);
    assert.equal(h?.status, 'accepted');
    assert.equal(h?.decided_by, haidianSupervisor.id);
    const q = await t.ctx.store.tracing.getQuarantine(quarantineOf.c);
    assert.equal(q?.jurisdiction_code, HAIDIAN);
    assert.equal(q?.assigned_to, haidianTracer.id);
    // The assigned tracer now follows the quarantine up; the case's investigator no longer does.
    assert.equal((await readQuarantine(t.ctx, haidianTracer.req('quarantine_followup'), quarantineOf.c)).jurisdictionCode, HAIDIAN);
    await assert.rejects(readQuarantine(t.ctx, investigator.req('quarantine_followup'), quarantineOf.c), { code: 'ERR_NOT_FOUND' });
    await page.getByTestId('lang-switch').click();

    // The assigned tracer finds it in their follow-up list and records the day's follow-up.
    const tp = await newPage();
    await signIn(tp, base, haidianTracer);
    await tp.waitForURL(`${base}/console/cases`);
    await tp.getByRole('navigation').getByRole('link', { name: 'Follow-up' }).click();
    await tp.waitForURL(`${base}/console/quarantines`);
    const mine = tp.locator('[data-testid=follow-up-list] tr[data-quarantine]');
    await mine.first().waitFor();
    assert.deepEqual(await mine.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-quarantine'))), [quarantineOf.c]);
    assert.match((await mine.textContent()) ?? '', /Haidian/);
    await mine.getByTestId('open-quarantine').click();
    await tp.waitForURL(`${base}/console/quarantines/${quarantineOf.c}`);
    await tp.reload(); // the server serves the console at this address too (CONSOLE_ROUTES)
    const fu = tp.getByTestId('follow-up');
    await fu.getByTestId('quarantine-dates').getByText(`${shared} – ${addDays(shared, 14)}`).waitFor();
    assert.match((await fu.textContent()) ?? '', /Secondary contacts stay with the district of the case/);
    await fu.getByTestId('entry-form').locator('#f-temperatureC').fill('36.6');
    await fu.getByTestId('entry-form').getByRole('button', { name: 'Save the follow-up' }).click();
    await tp.getByText('The follow-up is saved.').waitFor();
    const followed = await readQuarantine(t.ctx, haidianTracer.req('quarantine_followup'), quarantineOf.c);
    assert.deepEqual(followed.entries.map((e) => [e.date, e.temperatureC, e.createdBy]), [[today(), 36.6, haidianTracer.id]]);
    assert.deepEqual(cspViolations, []);
  });

  it('a supervisor declares a venue high-risk, sees how many people the tokens found, and revokes it', async () => {
    const page = await newPage();
    await signIn(page, base, supervisor);
    await page.waitForURL(`${base}/console/cases`);
    await page.getByRole('navigation').getByRole('link', { name: 'Risk areas' }).click();
    await page.waitForURL(`${base}/console/supervisor/risk-areas`);
    await page.getByRole('heading', { name: 'Risk areas', exact: true }).waitFor();
    assert.equal((await readRiskStatus(t.ctx, supervisor.req('case_investigation'), who.e)).status, 'green', 'before: no risk found');

    const form = page.getByTestId('risk-area-form');
    await form.locator('#f-level').selectOption('high');
    await form.locator('#f-kind').selectOption('venue');
    const start = Date.parse(at(shared, '00:00'));
    await form.locator('#f-windowStart').fill(localInput(start));
    await form.locator('#f-windowEnd').fill(localInput(start - 3600_000));
    await form.locator('#f-validUntil').fill(localInput(Date.now() + 7 * 86_400_000));
    // In the browser: the venue is required, the window must end after it starts.
    await form.getByRole('button', { name: 'Declare the risk area' }).click();
    await form.locator('#f-placeId-error').getByText('Required').waitFor();
    await form.locator('#f-windowEnd-error').getByText('not after the start').waitFor();
    // By the server: a venue id that is not in the registry, named under its field.
    await form.locator('#f-placeId').fill('pl-no-such-venue');
    await form.locator('#f-windowEnd').fill(localInput(Date.now() - 60_000));
    await form.getByRole('button', { name: 'Declare the risk area' }).click();
    await form.locator('#f-placeId-error').getByText('venue registry').waitFor();
    assert.equal((await t.ctx.store.tracing.riskAreasIn('11', 100)).length, 0, 'nothing declared by the refused requests');

    await form.locator('#f-placeId').fill(placeId);
    await form.getByRole('button', { name: 'Declare the risk area' }).click();
    const found = page.getByTestId('people-found');
    await found.waitFor();
    assert.equal(await found.getAttribute('data-count'), '5', 'the case, the three contacts and the early visitor');
    const areas = await t.ctx.store.tracing.riskAreasIn('11', 100);
    assert.equal(areas.length, 1);
    const area = areas[0]!;
    assert.deepEqual([area.level, area.kind, area.place_id, area.district_code, area.revoked_at], ['high', 'venue', placeId, CHAOYANG, null]);
    assert.equal(area.window_start, new Date(start).toISOString());
    const row = page.locator(`[data-testid=risk-areas] tr[data-area="${area.id}"]`);
    assert.equal(await row.getAttribute('data-state'), 'active');
    assert.match((await row.textContent()) ?? '', /high.*venue.*测试咖啡馆/s);
    await page.screenshot({ path: join(shots, 'risk-areas.png'), fullPage: true });
    const during = await readRiskStatus(t.ctx, supervisor.req('case_investigation'), who.e);
    assert.deepEqual([during.status, during.reason], ['yellow', 'high_risk_area_stay']);

    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('The risk area is revoked').waitFor();
    assert.equal(await row.getAttribute('data-state'), 'revoked');
    assert.ok((await t.ctx.store.tracing.getRiskArea(area.id))?.revoked_at, 'revoked in the database');
    assert.equal((await readRiskStatus(t.ctx, supervisor.req('case_investigation'), who.e)).status, 'green', 'after: green again');
    // Reloaded, the list shows it revoked, with no revoke button.
    await page.reload();
    const again = page.locator(`[data-testid=risk-areas] tr[data-area="${area.id}"]`);
    await again.waitFor();
    assert.equal(await again.getAttribute('data-state'), 'revoked');
    assert.equal(await again.getByRole('button', { name: 'Revoke' }).count(), 0);
    assert.deepEqual(cspViolations, []);
  });
});
