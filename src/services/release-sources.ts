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
import type { DataKey } from '../crypto/index.ts';
import { addDays, ageOn } from '../domain/dates.ts';
import { districtsOf } from '../domain/divisions.ts';
import { slotsToCount } from '../disclosure/release/index.ts';
import type { CaseStay, ExposureParams, ExtractRecord, RegisterRecord, Venue, VisitorCounter } from '../disclosure/release/index.ts';
import { clip, infectiousWindow } from '../tracing/interval.ts';
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

/** Cases are read and opened this many at a time, so memory holds one chunk of sealed rows, not all of them. */
const CHUNK = 5000;

/** A subject's data key (the keyring keeps one root key object per version, so the key-wrapping key is derived once). */
const openKey = (ctx: Pick<AppContext, 'keys'>, subjectId: string, rootVersion: number, wrapped: Uint8Array): DataKey =>
  unwrapDataKey(ctx.keys.keyring.get(rootVersion), subjectId, wrapped);

type ReportedCase = Awaited<ReturnType<Repositories['releases']['casesReported']>>[number];

/**
 * The cases of these classifications reported in [from, to] under the prefix, chunk by chunk:
 * each chunk's sealed details and its subjects' wrapped keys (with the identity when `identities`
 * is set) are read in two queries, each data key unwrapped once.
 */
async function* openedCases(ctx: Pick<AppContext, 'keys'>, repos: Repositories, prefix: string, classifications: readonly string[], from: string, to: string, identities: boolean) {
  const cases = await repos.releases.casesReported(prefix, classifications, from, to);
  for (let i = 0; i < cases.length; i += CHUNK) {
    const chunk = cases.slice(i, i + CHUNK);
    const sealed = new Map((await repos.releases.sealedCases(chunk.map((c) => c.id))).map((c) => [c.id, c.sealed]));
    const keys = identities
      ? new Map((await repos.subjects.identitiesWithKeys(chunk.map((c) => c.subject_id))).map((r) => [r.subject_id, r]))
      : new Map((await repos.tracing.keysOf(chunk.map((c) => c.subject_id))).map((k) => [k.subject_id, { ...k, sealed: undefined }]));
    const out: { c: ReportedCase; details: ReturnType<typeof openCaseDetails>; dek: DataKey; identity: Buffer | undefined }[] = [];
    for (const c of chunk) {
      const k = keys.get(c.subject_id);
      const s = sealed.get(c.id);
      if (!k || !s) continue;
      const dek = openKey(ctx, c.subject_id, k.root_version, k.wrapped);
      out.push({ c, details: openCaseDetails(dek, c.subject_id, c.id, s), dek, identity: k.sealed });
    }
    yield out;
  }
}

/** The confirmed cases' venue stays in their infectious windows, and a token-based visitor counter. */
export async function exposureSources(ctx: AppContext, prefix: string, from: string, to: string, now: number, params: ExposureParams): Promise<{ stays: CaseStay[]; visitors: VisitorCounter; cases: number }> {
  const repos = ctx.store;
  const places = new Map<string, Venue | null>();
  const stays: CaseStay[] = [];
  let cases = 0;
  for await (const chunk of openedCases(ctx, repos, prefix, ['confirmed'], from, to, false)) {
    cases += chunk.length;
    const windows = chunk.map(({ c, details }) => ({
      caseId: c.id, subjectId: c.subject_id,
      window: infectiousWindow({ onsetDate: details.onsetDate ?? null, reportDate: c.report_date, confirmationDate: c.confirmation_date }, ctx.settings.tracing.discovery, now),
    }));
    const trails = await loadCaseTrails(ctx.keys, repos, windows);
    const unknown = [...new Set(trails.flatMap((t) => t.stays.map((s) => s.placeId)))].filter((id) => !places.has(id));
    for (const id of unknown) places.set(id, null);
    for (const p of await repos.tracing.placesByIds(unknown)) places.set(p.id, { id: p.id, name: p.name, address: p.address, districtCode: p.district_code, category: p.category });
    trails.forEach((t, i) => {
      for (const s of t.stays) {
        const venue = places.get(s.placeId);
        const inWindow = clip(s.stay, t.window);
        if (!venue || !inWindow) continue; // only venues of the public registry
        stays.push({ caseRef: windows[i]!.caseId, venue, start: inWindow.start, end: inWindow.end });
      }
    });
  }
  return { stays, visitors: await visitorCounter(ctx, repos, slotsToCount(stays, params)), cases };
}

/** Tokens are computed and matched for this many venue-hours at a time. */
const TOKEN_CHUNK = 20_000;

/**
 * Distinct visitors per venue-hour, for the venue-hours the exposure points may look at
 * (`slotsToCount`): the tokens of those venue-hours are computed with the token key and matched,
 * a chunk at a time, and each matching row's reference opened to a travel record id whose owner
 * is counted. Owners are numbered, so a venue-hour holds small integers, not ids.
 */
async function visitorCounter(ctx: AppContext, repos: Repositories, slots: ReadonlyMap<string, readonly { from: number; to: number }[]>): Promise<VisitorCounter> {
  const ownerNumber = new Map<string, number>();
  const bySlot = new Map<string, Map<number, Set<number>>>();
  let pending = new Map<string, { venueId: string; slot: number }>();
  const flush = async () => {
    if (pending.size === 0) return;
    const slotOf = pending;
    pending = new Map();
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
      if (!at) continue;
      const list = recordSlots.get(travelId);
      if (list) list.push(at);
      else recordSlots.set(travelId, [at]);
    }
    for (const t of await repos.releases.travelOwners([...recordSlots.keys()])) {
      let owner = ownerNumber.get(t.subject_id);
      if (owner === undefined) ownerNumber.set(t.subject_id, (owner = ownerNumber.size));
      for (const { venueId, slot } of recordSlots.get(t.id) ?? []) {
        let venue = bySlot.get(venueId);
        if (!venue) bySlot.set(venueId, (venue = new Map()));
        let set = venue.get(slot);
        if (!set) venue.set(slot, (set = new Set()));
        set.add(owner);
      }
    }
  };
  for (const [venueId, ranges] of slots) {
    for (const r of ranges) {
      for (let slot = r.from; slot <= r.to; slot++) {
        pending.set(colocationToken(ctx.keys.colocation, venueId, slot, HOUR).toString('hex'), { venueId, slot });
        if (pending.size >= TOKEN_CHUNK) await flush();
      }
    }
  }
  await flush();
  return (venueId, fromSlot, toSlot) => {
    const venue = bySlot.get(venueId);
    if (!venue) return 0;
    const seen = new Set<number>();
    for (let s = fromSlot; s <= toSlot; s++) for (const id of venue.get(s) ?? []) seen.add(id);
    return seen.size;
  };
}

/** The line list of the research extract: one record per case (confirmed or asymptomatic) reported in [from, to]. */
export async function extractSources(ctx: AppContext, prefix: string, from: string, to: string): Promise<ExtractRecord[]> {
  const out: ExtractRecord[] = [];
  for await (const chunk of openedCases(ctx, ctx.store, prefix, ['confirmed', 'asymptomatic'], from, to, true)) {
    for (const { c, details, dek, identity: sealed } of chunk) {
      const identity = openIdentity(dek, c.subject_id, sealed!);
      const onset = details.onsetDate && details.onsetDate >= from && details.onsetDate <= to ? details.onsetDate : c.report_date;
      out.push({ age: onset >= identity.birthDate ? ageOn(identity.birthDate, onset) : 0, sex: identity.sex, district: c.jurisdiction_code.slice(0, 6), onsetDate: onset, classification: c.classification, outcome: details.outcome ?? 'unknown' });
    }
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
 * The register the journalist risk is computed against: the age (on `onDate`), sex and district of
 * every registered person under the prefix, opened page by page and counted as distinct
 * (age, sex, district) tuples; nothing else of an identity is kept, and no list of people is built
 * (a city of a million people is a few thousand tuples). `onProgress` hears the people opened so far.
 */
export async function registerSources(ctx: AppContext, prefix: string, onDate: string, onProgress?: (done: number) => void): Promise<RegisterRecord[]> {
  const tuples = new Map<string, { age: number; sex: RegisterRecord['sex']; district: string; count: number }>();
  let after = '';
  let done = 0;
  for (;;) {
    const page = await ctx.store.releases.subjectsIn(prefix, after, CHUNK);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const district = new Map(page.map((p) => [p.id, p.jurisdiction_code.slice(0, 6)]));
    for (const row of await ctx.store.subjects.identitiesWithKeys(page.map((p) => p.id))) {
      const identity = openIdentity(openKey(ctx, row.subject_id, row.root_version, row.wrapped), row.subject_id, row.sealed);
      const age = onDate >= identity.birthDate ? ageOn(identity.birthDate, onDate) : 0;
      const d = district.get(row.subject_id)!;
      const key = `${age}|${identity.sex}|${d}`;
      const t = tuples.get(key);
      if (t) t.count++;
      else tuples.set(key, { age, sex: identity.sex, district: d, count: 1 });
    }
    done += page.length;
    onProgress?.(done);
    if (page.length < CHUNK) break;
  }
  return [...tuples.values()];
}
