/**
 * DEMO ONLY. The public releases that `npm start` publishes on the demo city, once (issue #7 item
 * 5), through the real workflow: the demo supervisor declares a risk area at a venue (tracing
 * service), the demo disclosure officer prepares the releases (exposure points, daily counts, and
 * a risk-area release naming that declaration), the demo approver — a second person — approves each with a reason, and the officer
 * publishes it (signed). Every step is the service the console calls, audited as the account that
 * takes it. The three accounts accept the confidentiality terms through the terms service first
 * (audited as `terms.accept`), as they would at their first sign-in. Only in the demo data
 * directory; later starts find the mark in `meta` and do nothing.
 */
import type { Purpose, Role } from '../domain/roles.ts';
import { TERMS_VERSION } from '../domain/terms.ts';
import { addDays } from '../domain/dates.ts';
import { defaultStandard } from '../disclosure/standard/index.ts';
import type { DisclosureStandard } from '../disclosure/standard/index.ts';
import type { AppContext } from './app-context.ts';
import { DEMO_DATA_DIR_MARK } from './demo-accounts.service.ts';
import { DEMO_CITY } from './demo.service.ts';
import { approveRelease, prepareRelease, publishRelease } from './release.service.ts';
import type { PrepareInput, ReleaseView } from './release.service.ts';
import { acceptTerms } from './session.service.ts';
import type { StaffActor, StaffRequest } from './staff-context.ts';
import { declareRiskArea } from './tracing/risk-area.service.ts';

export const DEMO_RELEASES_MARK = 'demo_releases_published';
/** How many days back the daily counts cover: the demo city's whole period. */
export const DEMO_RELEASE_DAYS = DEMO_CITY.days;
/**
 * How many days back the exposure points' cases are taken from: the standard's expiry. A point
 * lives until `expiryDays` after its window, and a case's windows end with its report day at the
 * latest, so cases reported before then can only give points that expired already; publishing
 * them would show the public nothing and disclose more.
 */
export const demoExposureDays = (standard: DisclosureStandard = defaultStandard()) => standard.parameters.exposurePoints.expiryDays;

export interface DemoReleaseOutcome {
  readonly type: PrepareInput['type'];
  readonly id: string;
  readonly published: boolean;
  readonly entries: number;
  /** Why it was not published (the standard's check failures), when it was not. */
  readonly failures: readonly string[];
}

async function demoActor(ctx: AppContext, username: string, role: Role, now: Date): Promise<StaffActor> {
  const row = await ctx.store.staff.accountByUsername(username);
  if (!row || row.demo !== 1 || row.role !== role || row.disabled_at !== null) throw new Error(`demo account ${username} (${role}) is missing`);
  const actor: StaffActor = { id: row.id, role, username: row.username, jurisdiction: row.jurisdiction_code, termsAccepted: await ctx.store.staff.hasAcceptedTerms(row.id, TERMS_VERSION) };
  if (actor.termsAccepted) return actor;
  await acceptTerms(ctx, actor, TERMS_VERSION, 'demo-start', now);
  return { ...actor, termsAccepted: true };
}

const request = (actor: StaffActor, purpose: Purpose, now: Date, step: string): StaffRequest => ({ actor, purpose, requestId: `demo-start-${step}`, now });

/** Beijing's calendar date of an instant (the demo city's dates are Beijing dates). */
const beijingDate = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * Publishes the demo releases into a demo data directory that has none yet; returns what happened
 * to each, or null when this is not the demo directory or they were published before.
 */
export async function ensureDemoReleasesIn(ctx: AppContext, now = new Date()): Promise<DemoReleaseOutcome[] | null> {
  if ((await ctx.store.system.getMeta(DEMO_DATA_DIR_MARK)) !== '1') return null;
  if ((await ctx.store.system.getMeta(DEMO_RELEASES_MARK)) !== undefined) return null;
  const officer = await demoActor(ctx, 'demo-disclosure', 'disclosure_officer', now);
  const approver = await demoActor(ctx, 'demo-approver', 'approver', now);
  const supervisor = await demoActor(ctx, 'demo-supervisor', 'supervisor', now);
  const to = beijingDate(now);
  const from = addDays(to, -(DEMO_RELEASE_DAYS - 1));
  const out: DemoReleaseOutcome[] = [];

  // Each step is marked when done, so an interrupted first start resumes without publishing twice.
  const publish = async (input: PrepareInput, step: string): Promise<ReleaseView | null> => {
    const done = await ctx.store.system.getMeta(`${DEMO_RELEASES_MARK}:${step}`);
    if (done !== undefined) return null;
    const prepared = await prepareRelease(ctx, request(officer, 'disclosure', now, `${step}-prepare`), input);
    if (!prepared.check.passed) {
      out.push({ type: input.type, id: prepared.id, published: false, entries: prepared.preview.items.length, failures: prepared.check.failures });
      return prepared;
    }
    await approveRelease(ctx, request(approver, 'disclosure', now, `${step}-approve`), prepared.id, 'demo: preview and risk report checked by a second person');
    const published = await publishRelease(ctx, request(officer, 'disclosure', now, `${step}-publish`), prepared.id);
    await ctx.store.system.setMeta(`${DEMO_RELEASES_MARK}:${step}`, published.id);
    out.push({ type: input.type, id: published.id, published: true, entries: published.preview.items.length, failures: [] });
    return published;
  };

  const points = await publish({ type: 'exposure_points', from: addDays(to, -demoExposureDays()), to }, 'exposure');
  await publish({ type: 'daily_counts', from, to }, 'counts');
  // A venue risk area at the venue of the most recent published exposure point, valid for a week.
  const recent = points?.status === 'published'
    ? [...points.preview.items].sort((a, b) => String(b.windowEnd).localeCompare(String(a.windowEnd)))[0]
    : undefined;
  if (recent) {
    const validUntil = new Date(now.getTime() + 7 * 86_400_000).toISOString();
    const declared = await declareRiskArea(ctx, request(supervisor, 'contact_tracing', now, 'risk-area'), {
      level: 'medium', kind: 'venue', placeId: String(recent.venueId), windowStart: String(recent.windowStart), windowEnd: String(recent.windowEnd), validUntil,
    });
    // The release names the declaration; its content comes from it and the venue registry.
    await publish({ type: 'risk_areas', areaIds: [declared.area.id] }, 'areas');
  }
  await ctx.store.system.setMeta(DEMO_RELEASES_MARK, now.toISOString());
  return out;
}

