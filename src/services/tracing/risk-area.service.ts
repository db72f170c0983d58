/**
 * Risk areas (docs/TRACING.md "Risk areas"): supervisors declare a district or a venue high- or
 * medium-risk for a time window, valid for a period; every declaration and revocation is audited.
 * Who stayed in an area is found like discovery, on tokens: the venue-hour tokens of the venue, or
 * the district-day tokens of the district, over the window, in one query; only the matching visits
 * are opened to confirm the stay. Those people's risk status is recomputed. Publishing an area to
 * the public goes through the disclosure workflow (issue #6), not through here.
 */
import { MAX_RELEASE_AREAS } from '../../disclosure/standard/catalog.ts';
import type { ReleasableArea } from '../../domain/views/tracing.ts';
import { colocationToken, DecryptionError, DEFAULT_SLOT_MS, randomId, slotsCovering } from '../../crypto/index.ts';
import { areaOf, isInJurisdiction, jurisdictionPrefix } from '../../domain/jurisdiction.ts';
import type { DeclaredRiskArea, RiskAreaView } from '../../domain/views/tracing.ts';
import { daysCovering, overlapMs } from '../../tracing/interval.ts';
import type { Interval } from '../../tracing/interval.ts';
import { ACTIVE_RISK_RULES, RISK_LEVELS } from '../../tracing/risk-rules.ts';
import type { RiskLevel } from '../../tracing/risk-rules.ts';
import type { RiskAreaRow } from '../../storage/tracing.repository.ts';
import type { Repositories } from '../../storage/store.ts';
import type { AppContext } from '../app-context.ts';
import { accessAudit, authorize } from '../access.service.ts';
import { appendAudit } from '../audit.service.ts';
import { ServiceError } from '../errors.ts';
import { invalid } from '../staff-records.ts';
import type { StaffRequest } from '../staff-context.ts';
import { openTokenRef, openTravel, unwrapDataKey } from '../subject-cipher.ts';
import type { EngineKeys } from './discovery-engine.ts';
import { districtDayToken, openDistrictRef } from './district-tokens.ts';
import { recomputeRiskStatus } from './risk-status.service.ts';
import { authorizeFacts } from './tracing-access.ts';

export interface RiskAreaInput {
  level: RiskLevel;
  kind: 'district' | 'venue';
  districtCode?: string;
  placeId?: string;
  windowStart: string;
  windowEnd: string;
  validFrom?: string;
  validUntil: string;
}

const MAX_WINDOW_MS = 31 * 86_400_000;
const MAX_VALIDITY_MS = 90 * 86_400_000;

function instant(field: string, v: string | undefined): number {
  const ms = v === undefined ? NaN : Date.parse(v);
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || !Number.isFinite(ms)) throw invalid(field, 'must be an ISO 8601 date-time with a time zone');
  return ms;
}

/** Declares a risk area, then finds who stayed in it (on tokens) and recomputes their risk status. */
export async function declareRiskArea(ctx: AppContext, req: StaffRequest, input: RiskAreaInput): Promise<DeclaredRiskArea> {
  if (!(RISK_LEVELS as readonly string[]).includes(input.level)) throw invalid('level', `must be one of ${RISK_LEVELS.join(', ')}`);
  const start = instant('windowStart', input.windowStart);
  const end = instant('windowEnd', input.windowEnd);
  if (end <= start) throw invalid('windowEnd', 'is not after windowStart');
  if (end - start > MAX_WINDOW_MS) throw invalid('windowEnd', 'is more than 31 days after windowStart');
  if (start > req.now.getTime()) throw invalid('windowStart', 'is in the future');
  const validFrom = input.validFrom === undefined ? req.now.getTime() : instant('validFrom', input.validFrom);
  const validUntil = instant('validUntil', input.validUntil);
  if (validUntil <= validFrom) throw invalid('validUntil', 'is not after validFrom');
  if (validUntil - validFrom > MAX_VALIDITY_MS) throw invalid('validUntil', 'is more than 90 days after validFrom');
  let district: string;
  let placeId: string | null = null;
  if (input.kind === 'district') {
    if (!input.districtCode || areaOf(input.districtCode) !== input.districtCode) throw invalid('districtCode', 'must be a GB/T 2260 district (area) code');
    district = input.districtCode;
  } else if (input.kind === 'venue') {
    const place = input.placeId ? await ctx.store.travel.getPlace(input.placeId) : undefined;
    if (!place) throw invalid('placeId', 'is not a place of the venue registry');
    district = place.district_code;
    placeId = place.id;
  } else {
    throw invalid('kind', 'must be district or venue');
  }
  const authorized = await authorize(ctx, req, 'create', { type: 'risk_area', scope: district });
  const id = randomId('ra');
  const now = req.now.toISOString();
  const row: RiskAreaRow = {
    id, level: input.level, kind: input.kind, district_code: district, place_id: placeId, window_start: new Date(start).toISOString(), window_end: new Date(end).toISOString(),
    valid_from: new Date(validFrom).toISOString(), valid_until: new Date(validUntil).toISOString(), jurisdiction_code: district, declared_by: req.actor.id, created_at: now, revoked_by: null, revoked_at: null,
  };
  await ctx.store.transaction(async (repos) => {
    await repos.tracing.insertRiskArea(row);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'create', authorized, { resourceType: 'risk_area', resourceId: id, reason: `${input.level}:${input.kind}` }));
  });
  const found = await ctx.store.transaction(async (repos) => {
    const people = await staysInArea(ctx.keys, repos, row, req.now.getTime());
    const active = row.valid_from <= now && now < row.valid_until;
    if (active && people.size > 0) {
      const known = new Map([...people].map((s) => [s, new Set<RiskLevel>([input.level])]));
      await recomputeRiskStatus(ctx, repos, [...people], req.now, { knownAreaStays: known });
    }
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'search', authorized, { resourceType: 'risk_area', resourceId: id, reason: `found:${people.size}` }));
    return people.size;
  });
  return { area: await areaView(ctx.store, row, req.now), peopleFound: found };
}

/** Revokes an area; the people whose status came from a risk-area rule are recomputed. */
export async function revokeRiskArea(ctx: AppContext, req: StaffRequest, id: string): Promise<RiskAreaView> {
  const row = await ctx.store.tracing.getRiskArea(id);
  const authorized = await authorizeFacts(ctx, req, 'update', 'risk_area', id, row && { type: 'risk_area', id, jurisdiction: row.jurisdiction_code });
  const revoked = await ctx.store.transaction(async (repos) => {
    if (!(await repos.tracing.revokeRiskArea(id, req.actor.id, req.now.toISOString()))) throw new ServiceError('ERR_CONFLICT', 'this risk area is already revoked');
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'update', authorized, { resourceType: 'risk_area', resourceId: id, reason: 'revoke' }));
    return (await repos.tracing.getRiskArea(id))!;
  });
  const reasons = ACTIVE_RISK_RULES.rules.filter((r) => r.when.riskAreaStay !== undefined).map((r) => r.id);
  for (let after: string | undefined; ;) {
    const ids = await ctx.store.transaction((repos) => repos.tracing.subjectsWithReason(reasons, after, 500));
    if (ids.length === 0) break;
    await ctx.store.transaction((repos) => recomputeRiskStatus(ctx, repos, ids, req.now));
    after = ids[ids.length - 1];
  }
  return areaView(ctx.store, revoked, req.now);
}

/** Risk areas of the actor's subtree (or `scope` inside it), newest first. */
export async function listRiskAreas(ctx: AppContext, req: StaffRequest, q: { scope?: string; limit: number }): Promise<RiskAreaView[]> {
  const scope = q.scope ?? req.actor.jurisdiction;
  const prefix = jurisdictionPrefix(scope);
  if (prefix === undefined) throw invalid('scope', 'is not a known GB/T 2260 division code');
  const authorized = await authorize(ctx, req, 'list', { type: 'risk_area', scope });
  return ctx.store.transaction(async (repos) => {
    const rows = (await repos.tracing.riskAreasIn(prefix, q.limit)).filter((r) => isInJurisdiction(r.jurisdiction_code, scope));
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'list', authorized, { resourceType: 'risk_area', resourceId: null }));
    return Promise.all(rows.map((r) => areaView(repos, r, req.now)));
  });
}

/**
 * The people who stayed in an area during its window (up to `now`): the area's tokens in one
 * query, then only the matching visits opened to confirm place and time.
 */
export async function staysInArea(keys: EngineKeys, repos: Repositories, area: RiskAreaRow, now: number): Promise<Set<string>> {
  const window: Interval = { start: Date.parse(area.window_start), end: Math.min(Date.parse(area.window_end), now) };
  if (window.end <= window.start) return new Set();
  const ids = new Set<string>();
  if (area.kind === 'venue') {
    const tokens = slotsCovering(window.start, window.end - 1, DEFAULT_SLOT_MS).map((s) => colocationToken(keys.colocation, area.place_id!, s, DEFAULT_SLOT_MS));
    for (const r of await repos.tracing.colocationTokensMatching(tokens)) addRef(ids, () => openTokenRef(keys.tokenRef, r.token, r.ref));
  } else {
    const tokens = daysCovering({ start: window.start, end: window.end - 1 }).map((d) => districtDayToken(keys.colocation, area.district_code, d));
    for (const r of await repos.tracing.districtTokensMatching(tokens)) addRef(ids, () => openDistrictRef(keys.tokenRef, r.token, r.ref));
  }
  const records = await repos.tracing.travelByIds([...ids]);
  const deks = new Map((await repos.tracing.keysOf(records.map((r) => r.subject_id))).map((k) => [k.subject_id, unwrapDataKey(keys.keyring.get(k.root_version), k.subject_id, k.wrapped)]));
  const opened = records.flatMap((r) => {
    const dek = deks.get(r.subject_id);
    return dek ? [{ subjectId: r.subject_id, t: openTravel(dek, r.subject_id, r.id, r.sealed) }] : [];
  });
  const districts = new Map((await repos.tracing.placesByIds(opened.flatMap((o) => (o.t.placeId ? [o.t.placeId] : [])))).map((p) => [p.id, p.district_code]));
  const out = new Set<string>();
  for (const { subjectId, t } of opened) {
    if (t.mode !== 'venue_visit' || !t.placeId) continue;
    const inArea = area.kind === 'venue' ? t.placeId === area.place_id : isInJurisdiction(districts.get(t.placeId), area.district_code);
    if (inArea && overlapMs({ start: t.arrival, end: t.departure }, window) > 0) out.add(subjectId);
  }
  return out;
}

function addRef(ids: Set<string>, open: () => string): void {
  try {
    ids.add(open());
  } catch (e) {
    if (!(e instanceof DecryptionError)) throw e;
  }
}

async function areaView(repos: Repositories, r: RiskAreaRow, now: Date): Promise<RiskAreaView> {
  const place = r.place_id ? await repos.travel.getPlace(r.place_id) : undefined;
  const t = now.toISOString();
  return {
    id: r.id, level: r.level as RiskLevel, kind: r.kind as RiskAreaView['kind'], districtCode: r.district_code, placeId: r.place_id, placeName: place?.name ?? null,
    windowStart: r.window_start, windowEnd: r.window_end, validFrom: r.valid_from, validUntil: r.valid_until, declaredBy: r.declared_by, createdAt: r.created_at,
    revokedAt: r.revoked_at, active: r.revoked_at === null && r.valid_from <= t && t < r.valid_until,
  };
}

// ---- declared areas for a public release (issue #6 item 2b, docs/DISCLOSURE-STANDARD.md §1.4) ----

const activeAt = (r: RiskAreaRow, t: string) => r.revoked_at === null && r.valid_from <= t && t < r.valid_until;

/** The area with its registry venue name; undefined when its venue is no longer in the registry. */
async function releasable(repos: Repositories, r: RiskAreaRow): Promise<ReleasableArea | undefined> {
  let venueName: string | null = null;
  if (r.kind === 'venue') {
    const place = r.place_id ? await repos.travel.getPlace(r.place_id) : undefined;
    if (!place) return undefined;
    venueName = place.name;
  }
  return {
    id: r.id, level: r.level as RiskLevel, kind: r.kind as ReleasableArea['kind'], districtCode: r.district_code, venueId: r.kind === 'venue' ? r.place_id : null, venueName,
    windowStart: r.window_start, windowEnd: r.window_end, validFrom: r.valid_from, validUntil: r.valid_until,
  };
}

/**
 * The declared, active (not revoked, inside their validity period) risk areas of the actor's
 * subtree, as a risk-area release may publish them: what the disclosure officer chooses from (the
 * actor must be allowed to prepare a release, and to list risk areas). Newest window first.
 * Audited as one `list` of risk areas.
 */
export async function listReleasableAreas(ctx: AppContext, req: StaffRequest): Promise<ReleasableArea[]> {
  const scope = req.actor.jurisdiction;
  if (jurisdictionPrefix(scope) === undefined) throw invalid('jurisdiction', 'the account serves no known division');
  // Only who may prepare a release (a disclosure officer, purpose `disclosure`) needs this choice.
  await authorizeFacts(ctx, req, 'create', 'release', 'new', { type: 'release', jurisdiction: scope, ownerId: req.actor.id });
  const authorized = await authorize(ctx, req, 'list', { type: 'risk_area', scope });
  const now = req.now.toISOString();
  return ctx.store.transaction(async (repos) => {
    const rows = (await repos.tracing.activeRiskAreas(now)).filter((r) => isInJurisdiction(r.jurisdiction_code, scope));
    const areas = (await Promise.all(rows.map((r) => releasable(repos, r)))).filter((a): a is ReleasableArea => a !== undefined);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'list', authorized, { resourceType: 'risk_area', resourceId: null, reason: 'release' }));
    return areas.sort((a, b) => b.windowStart.localeCompare(a.windowStart) || a.id.localeCompare(b.id));
  });
}

/**
 * The declared areas `ids` names, for a risk-area release: each loaded through the risk-area store
 * and authorized (`read`) under the access policy — an unknown id or one outside the actor's
 * subtree is "not found or no access" (denial audited); one that is revoked, not yet or no longer
 * valid, or a venue no longer in the public registry is a 400 naming `areaIds`. Every area read is
 * audited before the areas are returned.
 */
export async function declaredAreasForRelease(ctx: AppContext, req: StaffRequest, ids: readonly string[]): Promise<ReleasableArea[]> {
  if (!Array.isArray(ids) || ids.length === 0) throw invalid('areaIds', 'must name at least one declared risk area');
  if (ids.length > MAX_RELEASE_AREAS) throw invalid('areaIds', `names more than ${MAX_RELEASE_AREAS} risk areas`);
  if (new Set(ids).size !== ids.length) throw invalid('areaIds', 'names a risk area twice');
  const now = req.now.toISOString();
  const out: { area: ReleasableArea; authorized: Awaited<ReturnType<typeof authorizeFacts>> }[] = [];
  for (const [i, id] of ids.entries()) {
    const entry = `entry ${i + 1}`;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw invalid('areaIds', `${entry} is not a risk area id`);
    const row = await ctx.store.tracing.getRiskArea(id);
    const authorized = await authorizeFacts(ctx, req, 'read', 'risk_area', id, row && { type: 'risk_area', id, jurisdiction: row.jurisdiction_code });
    const r = row!;
    if (r.revoked_at !== null) throw invalid('areaIds', `${entry} is a revoked risk area`);
    if (now < r.valid_from) throw invalid('areaIds', `${entry} is a risk area not valid yet`);
    if (!activeAt(r, now)) throw invalid('areaIds', `${entry} is a risk area no longer valid`);
    const area = await releasable(ctx.store, r);
    if (!area) throw invalid('areaIds', `${entry} is a venue no longer in the public venue registry`);
    out.push({ area, authorized });
  }
  await ctx.store.transaction(async (repos) => {
    for (const { area, authorized } of out) await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'read', authorized, { resourceType: 'risk_area', resourceId: area.id, reason: 'release' }));
  });
  return out.map((o) => o.area);
}
