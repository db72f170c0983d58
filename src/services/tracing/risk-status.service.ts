/**
 * Risk status of a person (green / yellow / red) from the declarative rules (src/tracing/risk-rules.ts,
 * docs/TRACING.md "Risk status"). The facts are read and opened lazily, in rule order, so that a
 * confirmed case is red without any of their data being opened. The status is stored with its
 * reason code (no personal value) and recomputed by every tracing change; the other services'
 * changes (case classification, contacts, travel) call `recomputeRiskStatus` too (docs/TRACING.md
 * lists where). Reading a status recomputes it first, so that time alone (a quarantine's end, a
 * risk area's expiry) is always taken into account; the server also refreshes those statuses on a
 * schedule (`scheduleRiskStatusRefresh`), so that the stored ones quarantine views show stay true.
 */
import type { DataKey } from '../../crypto/index.ts';
import { isInJurisdiction } from '../../domain/jurisdiction.ts';
import { addDays, todayIsoDate } from '../../domain/dates.ts';
import type { Classification, ContactExposure } from '../../domain/model.ts';
import type { RiskStatusView } from '../../domain/views/tracing.ts';
import { overlapMs } from '../../tracing/interval.ts';
import { ACTIVE_RISK_RULES, evaluateRisk, reasonLabel } from '../../tracing/risk-rules.ts';
import type { RiskFacts, RiskLevel, RiskResult, RiskRules, RiskStatus } from '../../tracing/risk-rules.ts';
import { DEFAULT_TRACING_SETTINGS } from '../../tracing/settings.ts';
import type { TracingSettings } from '../../tracing/settings.ts';
import type { Repositories } from '../../storage/store.ts';
import type { AppContext, AppSettings } from '../app-context.ts';
import { accessAudit, authorize } from '../access.service.ts';
import { appendAudit } from '../audit.service.ts';
import { ServiceError } from '../errors.ts';
import type { KeySet } from '../keys.service.ts';
import type { StaffRequest } from '../staff-context.ts';
import { openSubjectJson, openTravel, unwrapDataKey } from '../subject-cipher.ts';
import type { SecondaryExposure } from './tracing-records.ts';

/** Re-exported for quarantine-view.ts; declared with the views. */
export type { RiskStatusView };

export interface RiskOptions {
  readonly rules?: RiskRules;
  readonly settings?: TracingSettings;
  /** Risk-area levels already known to apply to a subject (a token search just found their stay). */
  readonly knownAreaStays?: ReadonlyMap<string, ReadonlySet<RiskLevel>>;
}

type Keys = Pick<KeySet, 'keyring'>;
/** What recomputing needs: the keys, and the deployment's tracing settings when there are any (else the defaults). */
type RiskContext = { keys: Keys; settings?: Pick<AppSettings, 'tracing'> };

/**
 * Evaluates the rules for each subject at `now` and stores the result where it changed, in the
 * caller's transaction. Returns the results by subject.
 */
export async function recomputeRiskStatus(ctx: RiskContext, repos: Repositories, subjectIds: readonly string[], now: Date, options: RiskOptions = {}): Promise<Map<string, RiskResult>> {
  const rules = options.rules ?? ACTIVE_RISK_RULES;
  const settings = options.settings ?? ctx.settings?.tracing ?? DEFAULT_TRACING_SETTINGS;
  const out = new Map<string, RiskResult>();
  let areas: Awaited<ReturnType<Repositories['tracing']['activeRiskAreas']>> | undefined;
  for (const subjectId of [...new Set(subjectIds)]) {
    const facts = subjectFacts(ctx.keys, repos, subjectId, now, settings, options.knownAreaStays?.get(subjectId), async () => (areas ??= await repos.tracing.activeRiskAreas(now.toISOString())));
    const result = await evaluateRisk(rules, facts);
    const stored = await repos.tracing.getRiskStatus(subjectId);
    if (!stored || stored.status !== result.status || stored.reason !== result.reason) {
      await repos.tracing.putRiskStatus({ subject_id: subjectId, status: result.status, reason: result.reason, computed_at: now.toISOString() });
    }
    out.set(subjectId, result);
  }
  return out;
}

/** A subject's risk status for staff who may see it: recomputed, audited, with the reason. */
export async function readRiskStatus(ctx: AppContext, req: StaffRequest, subjectId: string): Promise<RiskStatusView> {
  const authorized = await authorize(ctx, req, 'read', { type: 'risk_status', parent: { type: 'subject', id: subjectId } });
  return ctx.store.transaction(async (repos) => {
    const result = (await recomputeRiskStatus(ctx, repos, [subjectId], req.now)).get(subjectId)!;
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'read', authorized, { resourceType: 'risk_status', resourceId: null, subjectId }));
    return { subjectId, status: result.status, reason: result.reason, label: result.label, computedAt: req.now.toISOString() };
  });
}

/** The stored statuses of these subjects (no recomputation), for views that already authorized them. */
export async function storedRiskStatuses(repos: Repositories, subjectIds: readonly string[]): Promise<Map<string, Omit<RiskStatusView, 'subjectId'>>> {
  const rows = await repos.tracing.riskStatusesOf(subjectIds);
  return new Map(rows.map((r) => [r.subject_id, { status: r.status as RiskStatus, reason: r.reason, label: reasonLabel(ACTIVE_RISK_RULES, r.reason), computedAt: r.computed_at }]));
}

/**
 * Recomputes every stored status that time alone may have changed (quarantines ending, risk areas
 * expiring): for a scheduled job. Returns how many subjects were looked at.
 */
export async function refreshRiskStatuses(ctx: RiskContext & { store: { transaction<T>(fn: (r: Repositories) => Promise<T>): Promise<T> } }, now: Date, rules: RiskRules = ACTIVE_RISK_RULES): Promise<number> {
  const timeBound = rules.rules.filter((r) => r.when.caseClassification === undefined).map((r) => r.id);
  let after: string | undefined;
  let n = 0;
  for (;;) {
    const ids = await ctx.store.transaction((repos) => repos.tracing.subjectsWithReason(timeBound, after, 500));
    if (ids.length === 0) return n;
    await ctx.store.transaction((repos) => recomputeRiskStatus(ctx, repos, ids, now, { rules }));
    n += ids.length;
    after = ids[ids.length - 1];
  }
}

export interface RiskRefreshSchedule {
  /** The clock of each run (tests move it forward). */
  readonly now?: () => Date;
  /** Also run once right away (the server does, at start). */
  readonly immediately?: boolean;
  /** Called after each run with how many subjects were looked at, or the error (already logged). */
  readonly onRun?: (result: { looked: number } | { error: Error }) => void;
}

/**
 * Runs `refreshRiskStatuses` every `intervalMs` (the server: EPIVAULT_RISK_REFRESH_MINUTES), so a
 * stored status that time alone changed (a quarantine over, a risk area expired) is updated without
 * anyone reading it. A run never overlaps the previous one; failures are logged and retried next
 * time. Returns a function that stops the schedule.
 */
export function scheduleRiskStatusRefresh(ctx: Pick<AppContext, 'store' | 'keys' | 'logger'> & Partial<Pick<AppContext, 'settings'>>, intervalMs: number, options: RiskRefreshSchedule = {}): () => void {
  if (!Number.isFinite(intervalMs) || intervalMs < 1000) throw new ServiceError('ERR_CONFIG', 'risk status refresh interval must be at least 1000 ms', 'riskRefreshInterval');
  const clock = options.now ?? (() => new Date());
  let running = false;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = true;
    refreshRiskStatuses(ctx, clock())
      .then((looked) => {
        ctx.logger.info({ looked }, 'risk statuses refreshed');
        options.onRun?.({ looked });
      })
      .catch((e: unknown) => {
        ctx.logger.error({ err: (e as Error).message }, 'risk status refresh failed');
        options.onRun?.({ error: e as Error });
      })
      .finally(() => { running = false; });
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  if (options.immediately) run();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

function subjectFacts(keys: Keys, repos: Repositories, subjectId: string, now: Date, settings: TracingSettings, known: ReadonlySet<RiskLevel> | undefined, activeAreas: () => ReturnType<Repositories['tracing']['activeRiskAreas']>): RiskFacts {
  const today = todayIsoDate(undefined, now.getTime());
  let dek: DataKey | undefined;
  const key = async () => {
    if (dek) return dek;
    const row = (await repos.tracing.keysOf([subjectId]))[0];
    if (!row) throw new Error('subject key missing');
    return (dek = unwrapDataKey(keys.keyring.get(row.root_version), subjectId, row.wrapped));
  };
  return {
    caseClassifications: async () => (await repos.tracing.casesOfSubjects([subjectId])).map((c) => c.classification as Classification),
    closeContact: async () => {
      const links = await repos.tracing.linksOfContacts([subjectId]);
      if (links.length === 0) return { any: false, inQuarantine: false };
      const quarantines = new Map((await repos.tracing.quarantinesOfLinks(links.map((l) => l.id))).map((q) => [q.contact_link_id, q]));
      const k = await key();
      const inQuarantine = links.some((l) => {
        const q = quarantines.get(l.id);
        if (q && q.status !== 'active') return false;
        const e = openSubjectJson<ContactExposure>(k, subjectId, 'contact_links', l.id, l.sealed);
        return e.quarantineStart !== undefined && e.quarantineStart <= today && (e.quarantineEnd === undefined || today <= e.quarantineEnd);
      });
      return { any: true, inQuarantine };
    },
    secondaryContact: async () => {
      const rows = await repos.tracing.secondariesOfSubjects([subjectId]);
      if (rows.length === 0) return false;
      const k = await key();
      const since = addDays(today, -settings.quarantine.days);
      return rows.some((r) => openSubjectJson<SecondaryExposure>(k, subjectId, 'secondary_contacts', r.id, r.sealed).exposureDate >= since);
    },
    riskAreaStays: async () => {
      const levels = new Set<RiskLevel>(known ?? []);
      const areas = (await activeAreas()).filter((a) => !levels.has(a.level as RiskLevel));
      if (areas.length === 0) return levels;
      // The subject's own trail, opened to compare with the areas in force (never anyone else's).
      const k = await key();
      const stays = (await repos.tracing.travelOfSubjects([subjectId])).map((r) => openTravel(k, subjectId, r.id, r.sealed)).filter((t) => t.mode === 'venue_visit' && t.placeId);
      const districts = new Map((await repos.tracing.placesByIds(stays.map((t) => t.placeId!))).map((p) => [p.id, p.district_code]));
      for (const a of areas) {
        const window = { start: Date.parse(a.window_start), end: Date.parse(a.window_end) };
        const inArea = (placeId: string) => (a.kind === 'venue' ? placeId === a.place_id : isInJurisdiction(districts.get(placeId), a.district_code));
        if (stays.some((t) => inArea(t.placeId!) && overlapMs({ start: t.arrival, end: t.departure }, window) > 0)) levels.add(a.level as RiskLevel);
      }
      return levels;
    },
  };
}
