import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_THRESHOLDS, detectAlerts, lookbackMinutes } from '../audit/supervision.ts';
import type { AlertCandidate, SupervisionThresholds } from '../audit/supervision.ts';
import { randomId } from '../crypto/index.ts';
import { jurisdictionPrefix } from '../domain/jurisdiction.ts';
import type { AlertView, AuditEventView } from '../domain/views/audit.ts';
import type { AuditEventRecord, Repositories } from '../storage/store.ts';
import type { AppContext } from './app-context.ts';
import { appendAudit } from './audit.service.ts';
import { accessAudit, authorize, requireReason } from './access.service.ts';
import { ServiceError } from './errors.ts';
import type { StaffRequest } from './staff-context.ts';

/**
 * Supervision (issue #4 item 5): a scan turns the audit stream into alerts with the rules of
 * src/audit/supervision.ts; supervisors (their subtree) and the data-protection officer list
 * them with the events behind them and close each with a recorded decision; a per-staff activity
 * report counts an account's events. The scan resumes from a cursor (job `supervision`), so it can
 * run on a schedule in the server and be interrupted at any point.
 */
const JOB = 'supervision';
const BATCH = 5000;
/** The look-back loaded as context is capped; a burst larger than this inside one window is still caught by its first events. */
const MAX_CONTEXT = 200_000;

const thresholdsSchema = z.object({
  reveals: z.number().int().min(1),
  revealWindowMinutes: z.number().int().min(1),
  enumeration: z.number().int().min(1),
  enumerationWindowMinutes: z.number().int().min(1),
  denied: z.number().int().min(1),
  deniedWindowMinutes: z.number().int().min(1),
  failedSignIns: z.number().int().min(1),
  failedSignInWindowMinutes: z.number().int().min(1),
  workdayStartHour: z.number().int().min(0).max(23),
  workdayEndHour: z.number().int().min(1).max(24),
  timeZone: z.string().min(1).refine((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } }, 'unknown time zone'),
}).partial().strict();

/**
 * The thresholds: the defaults, overridden by the JSON file `supervision.json` in the data
 * directory when there is one (unknown keys and bad values are refused, naming the key).
 */
export function loadThresholds(file: string): SupervisionThresholds {
  if (!existsSync(file)) return DEFAULT_THRESHOLDS;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new ServiceError('ERR_CONFIG', `${file} is not valid JSON`);
  }
  const parsed = thresholdsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue?.path.join('.');
    throw new ServiceError('ERR_CONFIG', `supervision setting ${key ?? ''} in ${file}: ${issue?.message ?? 'invalid'}`, key);
  }
  const t = { ...DEFAULT_THRESHOLDS, ...parsed.data } as SupervisionThresholds;
  if (t.workdayStartHour >= t.workdayEndHour) throw new ServiceError('ERR_CONFIG', `supervision setting workdayStartHour in ${file} must be before workdayEndHour`, 'workdayStartHour');
  return t;
}

export interface ScanResult { readonly scanned: number; readonly alerts: number; readonly cursor: number }

/** Scans the audit events written since the last scan and stores the alerts they fire. */
export async function scanSupervision(ctx: Pick<AppContext, 'store'>, thresholds: SupervisionThresholds = DEFAULT_THRESHOLDS, now = new Date()): Promise<ScanResult> {
  let scanned = 0;
  let alerts = 0;
  let cursor = Number((await ctx.store.system.getProgress(JOB)) ?? 0);
  for (;;) {
    const batch = await ctx.store.audit.list(cursor, BATCH);
    if (batch.length === 0) break;
    const from = new Date(Date.parse(batch[0]!.at) - lookbackMinutes(thresholds) * 60_000).toISOString();
    const context = cursor > 0 ? await ctx.store.audit.since(from, cursor, MAX_CONTEXT) : [];
    const fired = detectAlerts([...context, ...batch].map(toSupervisionEvent), cursor, thresholds);
    const next = batch[batch.length - 1]!.seq;
    await ctx.store.transaction(async (repos) => {
      const homes = new Map<string, string | null>();
      for (const alert of fired) {
        const home = homes.get(alert.actor) ?? await jurisdictionOf(repos, alert.actor);
        homes.set(alert.actor, home);
        // Alerts about accounts that no longer resolve to a jurisdiction go to the deployment's root.
        if (home) await repos.access.insertAlert(alertRow(alert, home, now));
      }
      await repos.system.setProgress(JOB, String(next), now.toISOString());
    });
    scanned += batch.length;
    alerts += fired.length;
    cursor = next;
  }
  return { scanned, alerts, cursor };
}

/** Runs the scan every `intervalMs` in the server (never two at once); returns a function that stops it. */
export function scheduleSupervision(ctx: Pick<AppContext, 'store' | 'logger'>, thresholds: SupervisionThresholds, intervalMs: number): () => void {
  if (!Number.isFinite(intervalMs) || intervalMs < 1000) throw new ServiceError('ERR_CONFIG', 'supervision interval must be at least 1000 ms', 'supervisionInterval');
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    scanSupervision(ctx, thresholds)
      .then((r) => { if (r.alerts) ctx.logger.info({ alerts: r.alerts, scanned: r.scanned }, 'supervision alerts raised'); })
      .catch((e: unknown) => ctx.logger.error({ err: e instanceof Error ? e.name : 'unknown' }, 'supervision scan failed'))
      .finally(() => { running = false; });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function toSupervisionEvent(e: AuditEventRecord) {
  return { seq: e.seq, at: e.at, actor: e.actor, action: e.action, resourceType: e.resource_type, outcome: e.outcome };
}

/** The jurisdiction an alert about `actor` belongs to: the account's, or for `anonymous` the widest administrator's. */
async function jurisdictionOf(repos: Repositories, actor: string): Promise<string | null> {
  if (actor !== 'anonymous') return (await repos.access.staffFacts(actor))?.jurisdiction ?? rootJurisdiction(repos);
  return rootJurisdiction(repos);
}

async function rootJurisdiction(repos: Repositories): Promise<string | null> {
  const admins = await repos.staff.listAccounts({ role: 'administrator' });
  const codes = admins.map((a) => jurisdictionPrefix(a.jurisdiction_code)).filter((c): c is string => c !== undefined).sort((a, b) => a.length - b.length);
  return codes[0] ?? null;
}

function alertRow(alert: AlertCandidate, jurisdiction: string, now: Date) {
  return {
    id: randomId('al_'), kind: alert.kind, account_id: alert.actor, jurisdiction_code: jurisdiction,
    details: JSON.stringify(alert.details), event_seqs: JSON.stringify(alert.seqs), status: 'open',
    decision: null, decided_by: null, decided_at: null, created_at: now.toISOString(),
  };
}

// ---- supervisors and the data-protection officer ------------------------------------------------

/** Alerts of the actor's subtree with the given status, newest first. */
export async function listAlerts(ctx: AppContext, req: StaffRequest, status: 'open' | 'closed', page: { after?: string | null; limit: number }) {
  const authorized = await authorize(ctx, req, 'list', { type: 'alert' });
  const scope = jurisdictionPrefix(req.actor.jurisdiction);
  if (!scope) throw new ServiceError('ERR_NOT_FOUND', 'not found or no access');
  return ctx.store.transaction(async (repos) => {
    const result = await repos.access.listAlerts(scope, status, { after: page.after ?? null, limit: Math.min(Math.max(page.limit, 1), 100) });
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'list', authorized, { resourceId: null }));
    return { items: result.items.map(alertView), next: result.next };
  });
}

/** One alert with the audit events behind it. */
export async function readAlert(ctx: AppContext, req: StaffRequest, id: string): Promise<{ alert: AlertView; events: AuditEventView[] }> {
  const authorized = await authorize(ctx, req, 'read', { type: 'alert', id });
  return ctx.store.transaction(async (repos) => {
    const row = await repos.access.getAlert(id);
    if (!row) throw new ServiceError('ERR_NOT_FOUND', 'not found or no access');
    const alert = alertView(row);
    const events = (await Promise.all(alert.eventSeqs.map((seq) => repos.audit.event(seq)))).filter((e) => e !== undefined).map(eventView);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'read', authorized));
    return { alert, events };
  });
}

/** Closes an open alert with a decision (`justified` or `escalated`) and a note, audited. */
export async function closeAlert(ctx: AppContext, req: StaffRequest, id: string, decision: 'justified' | 'escalated', note: string): Promise<AlertView> {
  const reason = requireReason(note, 'note');
  if (decision !== 'justified' && decision !== 'escalated') throw new ServiceError('ERR_VALIDATION', 'decision must be justified or escalated', 'decision');
  const authorized = await authorize(ctx, req, 'review', { type: 'alert', id }, { reason });
  return ctx.store.transaction(async (repos) => {
    const closed = await repos.access.closeAlert(id, { decision: `${decision}: ${reason}`, by: req.actor.id, at: req.now.toISOString() });
    if (!closed) throw new ServiceError('ERR_CONFLICT', 'the alert is already closed');
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'review', authorized, { reason: `${decision}: ${reason}` }));
    const row = await repos.access.getAlert(id);
    return alertView(row!);
  });
}

/** Counts of one account's audit events per action and outcome in [from, to). */
export async function activityReport(ctx: AppContext, req: StaffRequest, accountId: string, from: string, to: string) {
  for (const [field, v] of [['from', from], ['to', to]] as const) {
    if (Number.isNaN(Date.parse(v))) throw new ServiceError('ERR_VALIDATION', `${field} must be an ISO 8601 date or time`, field);
  }
  if (Date.parse(from) >= Date.parse(to)) throw new ServiceError('ERR_VALIDATION', 'from must be before to', 'from');
  const authorized = await authorize(ctx, req, 'read', { type: 'account', id: accountId });
  return ctx.store.transaction(async (repos) => {
    const rows = await repos.audit.activity(accountId, new Date(from).toISOString(), new Date(to).toISOString());
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'read', authorized, { resourceType: 'activity_report' }));
    return { accountId, from: new Date(from).toISOString(), to: new Date(to).toISOString(), counts: rows };
  });
}

function alertView(r: { id: string; kind: string; account_id: string; jurisdiction_code: string; details: string; event_seqs: string; status: string; decision: string | null; decided_by: string | null; decided_at: string | null; created_at: string }): AlertView {
  return {
    id: r.id, kind: r.kind, accountId: r.account_id, jurisdiction: r.jurisdiction_code,
    details: JSON.parse(r.details) as Record<string, string | number>, eventSeqs: JSON.parse(r.event_seqs) as number[],
    status: r.status === 'closed' ? 'closed' : 'open', decision: r.decision, decidedBy: r.decided_by, decidedAt: r.decided_at, createdAt: r.created_at,
  };
}

export function eventView(e: AuditEventRecord): AuditEventView {
  return {
    seq: e.seq, at: e.at, actor: e.actor, actorRole: e.actor_role, action: e.action, resourceType: e.resource_type, resourceId: e.resource_id,
    subjectRef: e.subject_ref, purpose: e.purpose, reason: e.reason, outcome: e.outcome, requestId: e.request_id,
  };
}
