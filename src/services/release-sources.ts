/**
 * What each release type is built from (docs/DISCLOSURE-STANDARD.md "Release types"), read for an
 * authorized `create` on a release. Only what each type needs is opened:
 *
 * - exposure points: the confirmed cases' own onset dates and venue stays (their trails only); the
 *   visitors of a venue-hour are counted on co-location tokens — token rows' references open to
 *   travel record ids, whose clear `subject_id` is counted; nobody else's visit is decrypted;
 * - research extract: the cases' onset and outcome, and the birth date and sex of their subjects;
 * - daily counts: clear columns only (report date, jurisdiction, classification).
 */
import { colocationToken, DecryptionError, DEFAULT_SLOT_MS } from '../crypto/index.ts';
import type { DataKey, RootKey } from '../crypto/index.ts';
import { addDays, ageOn } from '../domain/dates.ts';
import { districtsOf } from '../domain/divisions.ts';
import type { CaseStay, ExtractRecord, RegisterRecord, Venue, VisitorCounter } from '../disclosure/release/index.ts';
import { clip, infectiousWindow } from '../tracing/interval.ts';
import { DEFAULT_TRACING_SETTINGS } from '../tracing/settings.ts';
import type { Repositories } from '../storage/store.ts';
import type { AppContext } from './app-context.ts';
import { openCaseDetails, openIdentity, openTokenRef, unwrapDataKey } from './subject-cipher.ts';
import { loadCaseTrails } from './tracing/discovery-engine.ts';

const HOUR = DEFAULT_SLOT_MS;

/** Every district (6-digit code) of a jurisdiction prefix: itself when it is a district. */
export function districtsIn(prefix: string): string[] {
  if (prefix.length >= 6) return [prefix.slice(0, 6)];
  return districtsOf(prefix.slice(0, 4));
}

/** Every date from `from` to `to` inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

async function dataKeys(ctx: Pick<AppContext, 'keys'>, repos: Repositories, subjectIds: readonly string[]): Promise<Map<string, DataKey>> {
  const roots = new Map<number, RootKey>();
  const out = new Map<string, DataKey>();
  for (const k of await repos.tracing.keysOf(subjectIds)) {
    let root = roots.get(k.root_version);
    if (!root) roots.set(k.root_version, (root = ctx.keys.keyring.get(k.root_version)));
    out.set(k.subject_id, unwrapDataKey(root, k.subject_id, k.wrapped));
  }
  return out;
}

/** The confirmed cases reported in [from, to] under the prefix, with their opened details. */
async function confirmedCases(ctx: Pick<AppContext, 'keys'>, repos: Repositories, prefix: string, classifications: readonly string[], from: string, to: string) {
  const cases = await repos.releases.casesReported(prefix, classifications, from, to);
  const sealed = new Map((await repos.releases.sealedCases(cases.map((c) => c.id))).map((c) => [c.id, c.sealed]));
  const deks = await dataKeys(ctx, repos, cases.map((c) => c.subject_id));
  return cases.flatMap((c) => {
    const dek = deks.get(c.subject_id);
    const s = sealed.get(c.id);
    if (!dek || !s) return [];
    return [{ ...c, details: openCaseDetails(dek, c.subject_id, c.id, s), dek }];
  });
}

/** The confirmed cases' venue stays in their infectious windows, and a token-based visitor counter. */
export async function exposureSources(ctx: AppContext, prefix: string, from: string, to: string, now: number, maxWindowHours: number): Promise<{ stays: CaseStay[]; visitors: VisitorCounter; cases: number }> {
  const repos = ctx.store;
  const cases = await confirmedCases(ctx, repos, prefix, ['confirmed'], from, to);
  const windows = cases.map((c) => ({
    caseId: c.id, subjectId: c.subject_id,
    window: infectiousWindow({ onsetDate: c.details.onsetDate ?? null, reportDate: c.report_date, confirmationDate: c.confirmation_date }, DEFAULT_TRACING_SETTINGS.discovery, now),
  }));
  const trails = await loadCaseTrails(ctx.keys, repos, windows);
  const places = new Map((await repos.tracing.placesByIds(trails.flatMap((t) => t.stays.map((s) => s.placeId)))).map((p) => [p.id, p]));
  const stays: CaseStay[] = [];
  trails.forEach((t, i) => {
    for (const s of t.stays) {
      const p = places.get(s.placeId);
      const inWindow = clip(s.stay, t.window);
      if (!p || !inWindow) continue; // only venues of the public registry
      const venue: Venue = { id: p.id, name: p.name, address: p.address, districtCode: p.district_code, category: p.category };
      stays.push({ caseRef: windows[i]!.caseId, venue, start: inWindow.start, end: inWindow.end });
    }
  });
  return { stays, visitors: await visitorCounter(ctx, repos, stays, maxWindowHours), cases: cases.length };
}

/**
 * Distinct visitors per venue-hour around the stays (as far as widening can reach): the tokens of
 * those venue-hours are computed with the token key, matched in one query, and each matching
 * row's reference opened to a travel record id whose owner is counted.
 */
async function visitorCounter(ctx: AppContext, repos: Repositories, stays: readonly CaseStay[], maxWindowHours: number): Promise<VisitorCounter> {
  const range = new Map<string, { from: number; to: number }>();
  for (const s of stays) {
    const from = Math.floor(s.start / HOUR) - maxWindowHours;
    const to = Math.ceil(s.end / HOUR) + maxWindowHours;
    const r = range.get(s.venue.id);
    range.set(s.venue.id, r ? { from: Math.min(r.from, from), to: Math.max(r.to, to) } : { from, to });
  }
  const slotOf = new Map<string, { venueId: string; slot: number }>();
  for (const [venueId, r] of range) {
    for (let slot = r.from; slot <= r.to; slot++) slotOf.set(colocationToken(ctx.keys.colocation, venueId, slot, HOUR).toString('hex'), { venueId, slot });
  }
  const rows = await repos.tracing.colocationTokensMatching([...slotOf.keys()].map((h) => Buffer.from(h, 'hex')));
  const recordSlots = new Map<string, { venueId: string; slot: number }[]>();
  for (const row of rows) {
    let travelId: string;
    try {
      travelId = openTokenRef(ctx.keys.tokenRef, row.token, row.ref);
    } catch (e) {
      if (e instanceof DecryptionError) continue;
      throw e;
    }
    const at = slotOf.get(Buffer.from(row.token).toString('hex'));
    if (at) recordSlots.set(travelId, [...(recordSlots.get(travelId) ?? []), at]);
  }
  const owners = new Map((await repos.releases.travelOwners([...recordSlots.keys()])).map((t) => [t.id, t.subject_id]));
  const bySlot = new Map<string, Map<number, Set<string>>>();
  for (const [travelId, slots] of recordSlots) {
    const subject = owners.get(travelId);
    if (!subject) continue;
    for (const { venueId, slot } of slots) {
      const venue = bySlot.get(venueId) ?? new Map<number, Set<string>>();
      bySlot.set(venueId, venue);
      const set = venue.get(slot) ?? new Set<string>();
      venue.set(slot, set);
      set.add(subject);
    }
  }
  return (venueId, fromSlot, toSlot) => {
    const seen = new Set<string>();
    const venue = bySlot.get(venueId);
    if (!venue) return 0;
    for (let s = fromSlot; s <= toSlot; s++) for (const id of venue.get(s) ?? []) seen.add(id);
    return seen.size;
  };
}

/** The line list of the research extract: one record per case (confirmed or asymptomatic) reported in [from, to]. */
export async function extractSources(ctx: AppContext, prefix: string, from: string, to: string): Promise<ExtractRecord[]> {
  const repos = ctx.store;
  const cases = await confirmedCases(ctx, repos, prefix, ['confirmed', 'asymptomatic'], from, to);
  const identities = new Map((await repos.subjects.identitiesWithKeys(cases.map((c) => c.subject_id))).map((r) => [r.subject_id, r]));
  const out: ExtractRecord[] = [];
  for (const c of cases) {
    const row = identities.get(c.subject_id);
    if (!row) continue;
    const identity = openIdentity(c.dek, c.subject_id, row.sealed);
    const onset = c.details.onsetDate && c.details.onsetDate >= from && c.details.onsetDate <= to ? c.details.onsetDate : c.report_date;
    out.push({ age: onset >= identity.birthDate ? ageOn(identity.birthDate, onset) : 0, sex: identity.sex, district: c.jurisdiction_code.slice(0, 6), onsetDate: onset, classification: c.classification, outcome: c.details.outcome ?? 'unknown' });
  }
  return out;
}

/** New confirmed cases per day and district (clear columns only). */
export async function countSources(ctx: AppContext, prefix: string, from: string, to: string): Promise<Map<string, Map<string, number>>> {
  const rows = await ctx.store.releases.dailyCaseCounts(prefix, ['confirmed'], from, to);
  const counts = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const day = counts.get(r.report_date) ?? new Map<string, number>();
    counts.set(r.report_date, day);
    const district = r.jurisdiction_code.slice(0, 6);
    day.set(district, (day.get(district) ?? 0) + r.n);
  }
  return counts;
}

/**
 * The register the journalist risk is computed against: age (on `onDate`), sex and district of
 * every registered person under the prefix, opened page by page; nothing of it is kept or returned
 * beyond these three values. `undefined` when the register is larger than `max` (the report then
 * says so instead of giving a journalist risk).
 */
export async function registerSources(ctx: AppContext, prefix: string, onDate: string, max = 300_000): Promise<RegisterRecord[] | undefined> {
  const out: RegisterRecord[] = [];
  const roots = new Map<number, RootKey>();
  for (let after = ''; ;) {
    const page = await ctx.store.releases.subjectsIn(prefix, after, 2000);
    if (page.length === 0) return out;
    if (out.length + page.length > max) return undefined;
    const district = new Map(page.map((p) => [p.id, p.jurisdiction_code.slice(0, 6)]));
    for (const row of await ctx.store.subjects.identitiesWithKeys(page.map((p) => p.id))) {
      let root = roots.get(row.root_version);
      if (!root) roots.set(row.root_version, (root = ctx.keys.keyring.get(row.root_version)));
      const identity = openIdentity(unwrapDataKey(root, row.subject_id, row.wrapped), row.subject_id, row.sealed);
      out.push({ age: onDate >= identity.birthDate ? ageOn(identity.birthDate, onDate) : 0, sex: identity.sex, district: district.get(row.subject_id)! });
    }
    after = page[page.length - 1]!.id;
  }
}
