/**
 * The disclosure workflow (issue #6 item 4, docs/DISCLOSURE-STANDARD.md "Workflow"): a disclosure
 * officer prepares a release — its public content built under the standard, checked, previewed
 * with its risk report; an approver who did not prepare it approves it (with a reason); publishing
 * signs the artifact (Ed25519, the release-signing key) with a readable notice; the public API then
 * serves it until it expires or is withdrawn. A release that fails its check is never approved or
 * published. Every step is audited in the transaction that makes it.
 */
import { performance } from 'node:perf_hooks';
import { ed25519PublicKey, ed25519Sign, ed25519Verify, randomId, sha256Hex } from '../crypto/index.ts';
import { jurisdictionPrefix } from '../domain/jurisdiction.ts';
import { BudgetConflictError, BudgetExceededError, chargeBudget, parseRational } from '../disclosure/index.ts';
import type { BudgetLedgerStore } from '../disclosure/index.ts';
import { artifactBytes, ARTIFACT_FORMAT, buildDailyCounts, buildExposurePoints, buildResearchExtract, buildRiskAreas, canonicalJson, noticeFor } from '../disclosure/release/index.ts';
import type { DeclaredArea, ReleaseArtifact } from '../disclosure/release/index.ts';
import { checkContent, defaultStandard } from '../disclosure/standard/index.ts';
import type { DisclosureStandard, ReleaseContent, ReleaseType } from '../disclosure/standard/index.ts';
import type { ReleaseRow } from '../storage/release.repository.ts';
import type { Store } from '../storage/store.ts';
import { requireReason } from './access.service.ts';
import type { AccessFacts } from './access.service.ts';
import type { AppContext } from './app-context.ts';
import { appendAudit } from './audit.service.ts';
import type { AuditInput } from './audit.service.ts';
import { ServiceError } from './errors.ts';
import type { KeySet } from './keys.service.ts';
import { countSources, datesBetween, districtsIn, exposureSources, extractSources, registerSources } from './release-sources.ts';
import type { StaffRequest } from './staff-context.ts';
import { declaredAreasForRelease } from './tracing/risk-area.service.ts';
import { authorizeFacts } from './tracing/tracing-access.ts';

export type PrepareInput =
  | { readonly type: 'exposure_points'; readonly from: string; readonly to: string }
  /** The ids of declared, active risk areas of the officer's subtree (`declaredAreasForRelease`). */
  | { readonly type: 'risk_areas'; readonly areaIds: readonly string[] }
  | { readonly type: 'research_extract'; readonly recipient: string; readonly from: string; readonly to: string }
  | { readonly type: 'daily_counts'; readonly from: string; readonly to: string };

export type ReleaseStatus = 'prepared' | 'approved' | 'published' | 'withdrawn';

export interface ReleaseView {
  id: string; type: ReleaseType; status: ReleaseStatus; jurisdictionCode: string; standardVersion: string; recipient: string | null;
  /** Exactly what will be public (for the research extract: what its recipient receives). */
  preview: ReleaseContent;
  notice: { zh: string; en: string };
  check: { passed: boolean; failures: string[] };
  risk: Record<string, unknown>;
  expiresAt: string | null; preparedBy: string; preparedAt: string; approvals: { by: string; at: string }[];
  publishedAt: string | null; withdrawnAt: string | null;
}

/** What the public API and the recipient of an extract receive: the artifact, its signature and the key. */
export interface SignedRelease {
  id: string; type: ReleaseType; publishedAt: string; expiresAt: string | null;
  artifact: ReleaseArtifact; signature: string; keyId: string; publicKey: string;
}

const MAX_SPAN_DAYS = 62;
const invalid = (field: string, message: string) => new ServiceError('ERR_VALIDATION', `${field}: ${message}`, field);
const conflict = (message: string) => new ServiceError('ERR_CONFLICT', message);

function checkPeriod(from: string, to: string, maxDays: number): void {
  for (const [field, v] of [['from', from], ['to', to]] as const) if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || !Number.isFinite(Date.parse(v))) throw invalid(field, 'must be a date YYYY-MM-DD');
  if (to < from) throw invalid('to', 'is before from');
  if (datesBetween(from, to).length > maxDays) throw invalid('to', `the period is longer than ${maxDays} days`);
}

const audit = (req: StaffRequest, action: string, id: string | null, extra: Partial<AuditInput> = {}): AuditInput =>
  ({ action, resourceType: 'release', resourceId: id, purpose: req.purpose, outcome: 'success', requestId: req.requestId, ...extra });

const recordFacts = (r: ReleaseRow | undefined): AccessFacts | undefined => r && { type: 'release', id: r.id, jurisdiction: r.jurisdiction_code, ownerId: r.prepared_by };

/** Releases are charged to the ledger per jurisdiction: the counts of one subtree are one data set. */
export const countsDataset = (prefix: string) => `daily_cases/${prefix}`;

/** The ledger over the releases repository; each append is its own transaction (optimistic, see budget-ledger.ts). */
export function ledgerStore(store: Store): BudgetLedgerStore {
  return {
    load: async (dataset) => (await store.releases.ledgerOf(dataset)).map((r) => ({ releaseId: r.release_id, dataset, period: r.period, epsilon: r.epsilon, chargedAt: r.charged_at })),
    append: async (dataset, charges, expected) => {
      try {
        return await store.transaction((repos) => repos.releases.ledgerAppend(dataset, charges.map((c) => ({ release_id: c.releaseId, period: c.period, epsilon: c.epsilon, charged_at: c.chargedAt })), expected));
      } catch (e) {
        if ((await store.releases.ledgerOf(dataset)).length !== expected) return false; // a concurrent charge took the positions
        throw e;
      }
    },
  };
}

interface Built { content: ReleaseContent; risk: Record<string, unknown>; failures: readonly string[]; expiresAt: string | null; recipient: string | null }

/**
 * Where the time of a release goes, for benchmarks (bench/release.ts): milliseconds per phase,
 * filled in as the phases run when the caller passes an object. `sources`: reading and opening
 * what the release is built from (for exposure points including the visitor counts on tokens);
 * `build`: building the content and its re-identification check (the anonymizer's search and risk
 * report, the visitor threshold, the noise); `check`: the check against the standard; `store`:
 * the stored release and its audit event; `sign`: the canonical JSON and its Ed25519 signature.
 */
export type ReleasePhases = { -readonly [K in 'sources' | 'build' | 'check' | 'store' | 'sign']?: number };

const since = (t0: number) => performance.now() - t0;
function timed<T>(phases: ReleasePhases | undefined, phase: keyof ReleasePhases, t0: number, value: T): T {
  if (phases) phases[phase] = (phases[phase] ?? 0) + since(t0);
  return value;
}

async function build(ctx: AppContext, req: StaffRequest, id: string, prefix: string, input: PrepareInput, standard: DisclosureStandard, phases?: ReleasePhases): Promise<Built> {
  const now = req.now.getTime();
  let t0 = performance.now();
  const loaded = <T>(value: T): T => {
    timed(phases, 'sources', t0, value);
    t0 = performance.now();
    return value;
  };
  switch (input.type) {
    case 'exposure_points': {
      checkPeriod(input.from, input.to, MAX_SPAN_DAYS);
      const p = standard.parameters.exposurePoints;
      const src = loaded(await exposureSources(ctx, prefix, input.from, input.to, now, p));
      const b = timed(phases, 'build', t0, buildExposurePoints(src.stays, src.visitors, p, undefined, now));
      return { content: b.content, risk: { ...b.risk, casesInPeriod: src.cases }, failures: b.failures, expiresAt: b.expiresAt, recipient: null };
    }
    case 'risk_areas': {
      // The declarations themselves, loaded and authorized; nothing of the content is typed in.
      const declared = await declaredAreasForRelease(ctx, req, input.areaIds);
      const areas: DeclaredArea[] = declared.map((a) => ({ ...a, windowStart: Date.parse(a.windowStart), windowEnd: Date.parse(a.windowEnd) }));
      const b = buildRiskAreas(areas, now);
      return { content: b.content, risk: { ...b.risk, declarations: declared.map((a) => a.id) }, failures: b.failures, expiresAt: b.expiresAt, recipient: null };
    }
    case 'research_extract': {
      checkPeriod(input.from, input.to, 366);
      if (typeof input.recipient !== 'string' || input.recipient.trim().length === 0) throw invalid('recipient', 'is required');
      const records = await extractSources(ctx, prefix, input.from, input.to);
      const register = loaded(await registerSources(ctx, prefix, input.to));
      const b = timed(phases, 'build', t0, buildResearchExtract(records, { districts: districtsIn(prefix), from: input.from, to: input.to }, standard, register));
      const registerSize = register.reduce((n, t) => n + (t.count ?? 1), 0);
      return { content: b.content, risk: { ...b.risk, registerSize }, failures: b.failures, expiresAt: null, recipient: input.recipient.trim() };
    }
    case 'daily_counts': {
      const p = standard.parameters.dailyCounts;
      checkPeriod(input.from, input.to, p.maxDays);
      const days = datesBetween(input.from, input.to);
      const counts = loaded(await countSources(ctx, prefix, input.from, input.to));
      // The noise is drawn now and the officer sees it: the epsilon is spent now, before anything is stored.
      try {
        await chargeBudget(ledgerStore(ctx.store), { dataset: countsDataset(prefix), cap: parseRational(p.capPerPeriod), period: p.period }, { releaseId: id, epsilon: p.epsilon, dataDates: days, at: req.now.toISOString() });
      } catch (e) {
        if (e instanceof BudgetExceededError) {
          await ctx.store.transaction((repos) => appendAudit(repos, ctx.keys, req.actor, audit(req, 'release.prepare', id, { outcome: 'failure', reason: 'budget_exceeded' })));
          throw conflict(`privacy budget exceeded: period ${e.period}, spent ${e.spent} + ${e.requested} > cap ${e.cap}`);
        }
        if (e instanceof BudgetConflictError) throw conflict('the privacy budget ledger changed; try again');
        throw e;
      }
      t0 = performance.now();
      const b = timed(phases, 'build', t0, buildDailyCounts({ days, districts: districtsIn(prefix), cityCode: prefix, counts }, p.epsilon));
      return { content: b.content, risk: { ...b.risk, dataset: countsDataset(prefix) }, failures: b.failures, expiresAt: null, recipient: null };
    }
  }
}

/** Prepares a release of the actor's jurisdiction: built, checked against the standard, stored as `prepared`. */
export async function prepareRelease(ctx: AppContext, req: StaffRequest, input: PrepareInput, standard: DisclosureStandard = defaultStandard(), phases?: ReleasePhases): Promise<ReleaseView> {
  await authorizeFacts(ctx, req, 'create', 'release', 'new', { type: 'release', jurisdiction: req.actor.jurisdiction, ownerId: req.actor.id });
  const prefix = jurisdictionPrefix(req.actor.jurisdiction);
  if (!prefix) throw invalid('jurisdiction', 'the account serves no known division');
  const id = randomId('r');
  const built = await build(ctx, req, id, prefix, input, standard, phases);
  let t0 = performance.now();
  const failures = timed(phases, 'check', t0, [...built.failures, ...checkContent(standard, input.type, built.content)]);
  t0 = performance.now();
  const at = req.now.toISOString();
  const row: ReleaseRow = {
    id, type: input.type, status: 'prepared', jurisdiction_code: req.actor.jurisdiction, standard_version: standard.version, recipient: built.recipient,
    content: JSON.stringify(built.content), risk: JSON.stringify(built.risk), check_passed: failures.length === 0 ? 1 : 0, failures: JSON.stringify(failures),
    expires_at: built.expiresAt, prepared_by: req.actor.id, prepared_at: at, published_at: null, withdrawn_by: null, withdrawn_at: null,
  };
  await ctx.store.transaction(async (repos) => {
    await repos.releases.insertRelease(row);
    await appendAudit(repos, ctx.keys, req.actor, audit(req, 'release.prepare', id, { reason: `type:${input.type}` }), at);
  });
  timed(phases, 'store', t0, null);
  return viewOf(row, []);
}

function viewOf(r: ReleaseRow, approvals: { account_id: string; decided_at: string }[]): ReleaseView {
  const content = JSON.parse(r.content) as ReleaseContent;
  const type = r.type as ReleaseType;
  return {
    id: r.id, type, status: r.status as ReleaseStatus, jurisdictionCode: r.jurisdiction_code, standardVersion: r.standard_version, recipient: r.recipient,
    preview: content, notice: noticeFor(type, content, r.standard_version, r.expires_at),
    check: { passed: r.check_passed === 1, failures: JSON.parse(r.failures) as string[] }, risk: JSON.parse(r.risk) as Record<string, unknown>,
    expiresAt: r.expires_at, preparedBy: r.prepared_by, preparedAt: r.prepared_at, approvals: approvals.map((a) => ({ by: a.account_id, at: a.decided_at })),
    publishedAt: r.published_at, withdrawnAt: r.withdrawn_at,
  };
}

async function authorizeRelease(ctx: AppContext, req: StaffRequest, action: 'read' | 'review' | 'update' | 'export', id: string): Promise<ReleaseRow> {
  const row = await ctx.store.releases.getRelease(id);
  await authorizeFacts(ctx, req, action, 'release', id, recordFacts(row));
  return row!;
}

export async function readRelease(ctx: AppContext, req: StaffRequest, id: string): Promise<ReleaseView> {
  const row = await authorizeRelease(ctx, req, 'read', id);
  await ctx.auditWriter.append(req.actor, audit(req, 'release.read', id));
  return viewOf(row, await ctx.store.releases.approvalsOf(id));
}

export async function listReleases(ctx: AppContext, req: StaffRequest, limit = 50): Promise<ReleaseView[]> {
  await authorizeFacts(ctx, req, 'list', 'release', 'list', { type: 'release', collection: true, jurisdiction: req.actor.jurisdiction });
  const prefix = jurisdictionPrefix(req.actor.jurisdiction) ?? req.actor.jurisdiction;
  const rows = await ctx.store.releases.listReleases(prefix, limit);
  await ctx.auditWriter.append(req.actor, audit(req, 'release.list', null));
  return Promise.all(rows.map(async (r) => viewOf(r, await ctx.store.releases.approvalsOf(r.id))));
}

/** Approves a prepared release that passed its check; the approver must not be the one who prepared it. */
export async function approveRelease(ctx: AppContext, req: StaffRequest, id: string, reason: string | null | undefined): Promise<ReleaseView> {
  const stated = requireReason(reason);
  const row = await authorizeRelease(ctx, req, 'review', id);
  if (row.prepared_by === req.actor.id) throw conflict('a release is approved by someone other than the one who prepared it');
  if (row.check_passed !== 1) throw conflict('the release fails its re-identification check and cannot be approved');
  if (row.status !== 'prepared') throw conflict(`the release is ${row.status}, not prepared`);
  const at = req.now.toISOString();
  await ctx.store.transaction(async (repos) => {
    if (!(await repos.releases.moveRelease(id, 'prepared', 'approved'))) throw conflict('the release changed meanwhile');
    await repos.releases.insertApproval({ release_id: id, account_id: req.actor.id, decided_at: at });
    await appendAudit(repos, ctx.keys, req.actor, audit(req, 'release.approve', id, { reason: stated }), at);
  });
  return viewOf({ ...row, status: 'approved' }, await ctx.store.releases.approvalsOf(id));
}

export const releaseKeyId = (keys: Pick<KeySet, 'releaseSigning'>) => `release/${sha256Hex(ed25519PublicKey(keys.releaseSigning)).slice(0, 16)}`;
export const releasePublicKey = (keys: Pick<KeySet, 'releaseSigning'>) => ed25519PublicKey(keys.releaseSigning).toString('base64');

/** True when `signature` (base64) is the Ed25519 signature of the artifact's canonical JSON under `publicKey` (base64). */
export function verifyReleaseSignature(artifact: ReleaseArtifact, signature: string, publicKey: string): boolean {
  return ed25519Verify(Buffer.from(publicKey, 'base64'), artifactBytes(artifact), Buffer.from(signature, 'base64'));
}

/**
 * Publishes an approved release: re-checks it against the standard it was prepared under, signs
 * the artifact and stores it (public unless it is a research extract).
 */
export async function publishRelease(ctx: AppContext, req: StaffRequest, id: string, standard: DisclosureStandard = defaultStandard(), phases?: ReleasePhases): Promise<ReleaseView> {
  const row = await authorizeRelease(ctx, req, 'update', id);
  if (row.check_passed !== 1) throw conflict('the release fails its re-identification check and cannot be published');
  if (row.status !== 'approved') throw conflict(`the release is ${row.status}, not approved`);
  const approvals = await ctx.store.releases.approvalsOf(id);
  if (!approvals.some((a) => a.account_id !== row.prepared_by)) throw conflict('the release has no approval by a second person');
  if (row.standard_version !== standard.version) throw conflict('the standard changed since the release was prepared: prepare it again');
  const type = row.type as ReleaseType;
  const at = req.now.toISOString();
  // Exposure points that expired between preparation and publication are not published (a subset of what was approved).
  const content = type === 'exposure_points' ? unexpiredPoints(JSON.parse(row.content) as ReleaseContent, at) : JSON.parse(row.content) as ReleaseContent;
  if (type === 'exposure_points' && content.items.length === 0) throw conflict('every exposure point of the release has expired: prepare it again');
  if (type === 'risk_areas') {
    // Each area must still be declared, valid and not revoked now (a supervisor may have revoked it since the preparation).
    const ids = (JSON.parse(row.risk) as { declarations?: string[] }).declarations ?? [];
    try {
      await declaredAreasForRelease(ctx, req, ids);
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'ERR_VALIDATION') throw conflict(`a risk area of the release can no longer be published (${err.message}): prepare it again`);
      throw err;
    }
  }
  let t0 = performance.now();
  if (timed(phases, 'check', t0, checkContent(standard, type, content)).length > 0) throw conflict('the release breaks the disclosure standard and cannot be published');
  t0 = performance.now();
  const artifact: ReleaseArtifact = {
    format: ARTIFACT_FORMAT, id, type, standardVersion: row.standard_version, publishedAt: at, expiresAt: row.expires_at,
    notice: noticeFor(type, content, row.standard_version, row.expires_at), content,
  };
  const signature = ed25519Sign(ctx.keys.releaseSigning, artifactBytes(artifact)).toString('base64');
  timed(phases, 'sign', t0, null);
  await ctx.store.transaction(async (repos) => {
    if (!(await repos.releases.moveRelease(id, 'approved', 'published', { published_at: at }))) throw conflict('the release changed meanwhile');
    await repos.releases.insertArtifact({
      release_id: id, public: type === 'research_extract' ? 0 : 1, artifact: canonicalJson(artifact), signature, key_id: releaseKeyId(ctx.keys), published_at: at, expires_at: row.expires_at, withdrawn_at: null,
      points_expire_at: type === 'exposure_points' ? firstPointExpiry(content) : null,
    });
    await appendAudit(repos, ctx.keys, req.actor, audit(req, 'release.publish', id, { reason: `type:${type}` }), at);
  });
  return viewOf({ ...row, status: 'published', published_at: at }, approvals);
}

/** Withdraws a release at any stage; a published one disappears from the public API at once. */
export async function withdrawRelease(ctx: AppContext, req: StaffRequest, id: string, reason: string | null | undefined): Promise<ReleaseView> {
  const stated = requireReason(reason);
  const row = await authorizeRelease(ctx, req, 'update', id);
  if (row.status === 'withdrawn') throw conflict('the release is already withdrawn');
  const at = req.now.toISOString();
  await ctx.store.transaction(async (repos) => {
    if (!(await repos.releases.moveRelease(id, row.status, 'withdrawn', { withdrawn_by: req.actor.id, withdrawn_at: at }))) throw conflict('the release changed meanwhile');
    await repos.releases.withdrawArtifact(id, at);
    await appendAudit(repos, ctx.keys, req.actor, audit(req, 'release.withdraw', id, { reason: stated }), at);
  });
  return viewOf({ ...row, status: 'withdrawn', withdrawn_by: req.actor.id, withdrawn_at: at }, await ctx.store.releases.approvalsOf(id));
}

// ---- expiry of exposure points ------------------------------------------------------------------

const pointExpiry = (item: Readonly<Record<string, unknown>>): string | null => (typeof item.expiresAt === 'string' ? item.expiresAt : null);

/** The content without the exposure points expired at `at` (ISO; a point expires at its `expiresAt`). */
function unexpiredPoints(content: ReleaseContent, at: string): ReleaseContent {
  return { ...content, items: content.items.filter((i) => { const e = pointExpiry(i); return e === null || Date.parse(e) > Date.parse(at); }) };
}

/** The earliest `expiresAt` of the points (ISO), null without any. */
function firstPointExpiry(content: ReleaseContent): string | null {
  let first: number | null = null;
  for (const i of content.items) {
    const e = pointExpiry(i);
    if (e !== null && (first === null || Date.parse(e) < first)) first = Date.parse(e);
  }
  return first === null ? null : new Date(first).toISOString();
}

export interface PointExpiryRun {
  /** Published exposure-points releases that got a new signed revision without their expired points. */
  readonly revised: number;
  /** Points removed from the public API by this run. */
  readonly pointsRemoved: number;
}

/**
 * The expiry step (scheduled by the server, and callable on demand): every served exposure-points
 * artifact holding a point whose own `expiresAt` has come by `now` gets a new revision without
 * those points — the same artifact (id, publication time, standard version, release expiry) with
 * fewer points and its notice recounted, checked against the standard and signed again with the
 * release-signing key — which the public API serves instead. It needs no new approval: it only
 * removes points that were approved. The superseded revision is kept with its signature; each
 * revision is audited (`release.expire_points`, actor: the caller of the step). Until the step has
 * run, the public reads do not serve an artifact that holds an expired point at all (fail closed).
 * A release whose last point has expired leaves the public API with its `expires_at`; nothing is
 * signed for it.
 */
export async function expireExposurePoints(ctx: Pick<AppContext, 'store' | 'keys' | 'actor'>, now: Date = new Date(), standard: DisclosureStandard = defaultStandard()): Promise<PointExpiryRun> {
  const at = now.toISOString();
  let revised = 0;
  let pointsRemoved = 0;
  for (;;) {
    const due = await ctx.store.releases.artifactsWithPointsDue(at, 100);
    let progress = false;
    for (const row of due) {
      const artifact = JSON.parse(row.artifact) as ReleaseArtifact;
      const content = unexpiredPoints(artifact.content, at);
      const removed = artifact.content.items.length - content.items.length;
      if (removed === 0 || content.items.length === 0) {
        // Nothing expired yet (an artifact published before its first expiry was recorded), or all of it: the release's own expiry hides it.
        progress = (await ctx.store.releases.setPointsExpiry(row.release_id, row.revision, content.items.length === 0 ? null : firstPointExpiry(content))) || progress;
        continue;
      }
      const next: ReleaseArtifact = { ...artifact, notice: noticeFor(artifact.type, content, artifact.standardVersion, artifact.expiresAt), content };
      // A subset of checked content passes the gate; if the standard changed since, the stale revision stays unserved rather than be re-signed.
      if (checkContent(standard, next.type, next.content).length > 0) continue;
      const signature = ed25519Sign(ctx.keys.releaseSigning, artifactBytes(next)).toString('base64');
      const done = await ctx.store.transaction(async (repos) => {
        if (!(await repos.releases.reviseArtifact(row.release_id, row.revision, { artifact: canonicalJson(next), signature, key_id: releaseKeyId(ctx.keys), points_expire_at: firstPointExpiry(content) }, at))) return false;
        await appendAudit(repos, ctx.keys, ctx.actor, { action: 'release.expire_points', resourceType: 'release', resourceId: row.release_id, purpose: 'disclosure', outcome: 'success', reason: `revision:${row.revision + 1} removed:${removed}` }, at);
        return true;
      });
      if (done) {
        revised++;
        pointsRemoved += removed;
        progress = true;
      }
    }
    if (due.length < 100 || !progress) return { revised, pointsRemoved };
  }
}

export interface PointExpirySchedule {
  /** The clock (tests). */
  readonly now?: () => Date;
  /** Called after each run. */
  readonly onRun?: (result: PointExpiryRun | { error: Error }) => void;
}

/**
 * Runs the expiry step now and then again when the next served point expires (read from the
 * published artifacts), at least every `maxIntervalMs` (so releases published meanwhile are seen)
 * and at most once a second. Returns a function that stops it.
 */
export function scheduleExposureExpiry(ctx: Pick<AppContext, 'store' | 'keys' | 'actor' | 'logger'>, maxIntervalMs = 60_000, options: PointExpirySchedule = {}): () => void {
  if (!Number.isFinite(maxIntervalMs) || maxIntervalMs < 1000) throw new ServiceError('ERR_CONFIG', 'exposure point expiry interval must be at least 1000 ms', 'pointExpiryInterval');
  const clock = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = async () => {
    if (stopped) return;
    let wait = maxIntervalMs;
    let outcome: PointExpiryRun | { error: Error };
    try {
      outcome = await expireExposurePoints(ctx, clock());
      if (outcome.revised > 0) ctx.logger.info({ revised: outcome.revised, pointsRemoved: outcome.pointsRemoved }, 'expired exposure points removed');
      const next = await ctx.store.releases.nextPointExpiry(clock().toISOString());
      if (next !== null) wait = Math.min(wait, Math.max(1000, Date.parse(next) - clock().getTime() + 50));
    } catch (e) {
      ctx.logger.error({ err: (e as Error).message }, 'exposure point expiry failed');
      outcome = { error: e as Error };
    }
    options.onRun?.(outcome);
    if (stopped) return;
    timer = setTimeout(() => void run(), wait);
    timer.unref();
  };
  void run();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

function signedOf(ctx: Pick<AppContext, 'keys'>, a: { release_id: string; artifact: string; signature: string; key_id: string; published_at: string; expires_at: string | null }): SignedRelease {
  const artifact = JSON.parse(a.artifact) as ReleaseArtifact;
  return { id: a.release_id, type: artifact.type, publishedAt: a.published_at, expiresAt: a.expires_at, artifact, signature: a.signature, keyId: a.key_id, publicKey: releasePublicKey(ctx.keys) };
}

/** The signed research extract, for the disclosure officer to hand to its named recipient (audited). */
export async function exportResearchExtract(ctx: AppContext, req: StaffRequest, id: string): Promise<SignedRelease & { recipient: string }> {
  const row = await authorizeRelease(ctx, req, 'export', id);
  const a = await ctx.store.releases.getArtifact(id);
  if (row.type !== 'research_extract' || row.status !== 'published' || !a || a.withdrawn_at !== null) throw conflict('only a published, unwithdrawn research extract can be handed over');
  await ctx.store.transaction((repos) => appendAudit(repos, ctx.keys, req.actor, audit(req, 'release.export', id, { reason: 'research_extract:recipient' }), req.now.toISOString()));
  return { ...signedOf(ctx, a), recipient: row.recipient ?? '' };
}

/** The only data access of the public API: published, public, unexpired, unwithdrawn releases. */
export interface PublishedReleaseReader {
  list(now: Date, limit?: number): Promise<SignedRelease[]>;
  get(id: string, now: Date): Promise<SignedRelease | undefined>;
}

/**
 * The public reader, on the store's table-guarded public-data repository (published artifacts and
 * places only). As a last guard every artifact is checked against the standard again before
 * it is served: one that breaks it (it cannot, having passed at publication) is simply not served.
 */
export function publishedReleaseReader(ctx: Pick<AppContext, 'store' | 'keys'>, standard: DisclosureStandard = defaultStandard()): PublishedReleaseReader {
  const servable = (s: SignedRelease) => s.artifact.type !== 'research_extract' && checkContent(standard, s.artifact.type, s.artifact.content).length === 0;
  return Object.freeze({
    async list(now: Date, limit = 100) {
      return (await ctx.store.publicData.liveArtifacts(now.toISOString(), limit)).map((a) => signedOf(ctx, a)).filter(servable);
    },
    async get(id: string, now: Date) {
      const a = await ctx.store.publicData.liveArtifact(id, now.toISOString());
      const s = a && signedOf(ctx, a);
      return s && servable(s) ? s : undefined;
    },
  });
}
