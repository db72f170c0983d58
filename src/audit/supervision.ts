import type { AlertKind } from '../policy/types.ts';

/**
 * Supervision rules over the audit event stream (issue #4 item 5): bursts of reveals, searches
 * that look like enumeration, repeated attempts outside jurisdiction or assignment, break-glass
 * use, access at unusual hours and repeated failed sign-ins.
 *
 * The rules are stateless and deterministic so that a scan can resume anywhere: a windowed rule
 * fires at event e when the actor's events of that kind in the trailing window ending at e reach
 * the threshold while those in the window ending at the actor's previous such event did not. The
 * caller passes the events after its cursor plus the `lookbackMinutes()` before them as context;
 * only events after the cursor can fire.
 */
export interface SupervisionEvent {
  readonly seq: number;
  /** ISO 8601 UTC. */
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly resourceType: string;
  readonly outcome: string;
}

export interface SupervisionThresholds {
  /** Reveals by one account within `revealWindowMinutes`. */
  readonly reveals: number;
  readonly revealWindowMinutes: number;
  /** Searches plus denied or failed reads by one account within `enumerationWindowMinutes`. */
  readonly enumeration: number;
  readonly enumerationWindowMinutes: number;
  /** Denied attempts (outside jurisdiction, assignment or purpose) by one account within `deniedWindowMinutes`. */
  readonly denied: number;
  readonly deniedWindowMinutes: number;
  /** Failed sign-ins for one account (or for unknown usernames, together) within `failedSignInWindowMinutes`. */
  readonly failedSignIns: number;
  readonly failedSignInWindowMinutes: number;
  /** Working hours [start, end) in `timeZone`; personal-data access outside them is unusual. */
  readonly workdayStartHour: number;
  readonly workdayEndHour: number;
  readonly timeZone: string;
}

export const DEFAULT_THRESHOLDS: SupervisionThresholds = {
  reveals: 10,
  revealWindowMinutes: 60,
  enumeration: 30,
  enumerationWindowMinutes: 10,
  denied: 3,
  deniedWindowMinutes: 60,
  failedSignIns: 5,
  failedSignInWindowMinutes: 15,
  workdayStartHour: 7,
  workdayEndHour: 21,
  timeZone: 'Asia/Shanghai',
};

export interface AlertCandidate {
  readonly kind: AlertKind;
  /** The account the alert is about (`anonymous` for failed sign-ins with unknown usernames). */
  readonly actor: string;
  /** The events behind the alert, oldest first; the last one fired the rule. */
  readonly seqs: readonly number[];
  /** Counts and window only: never a personal value. */
  readonly details: Readonly<Record<string, string | number>>;
}

/** Actions that touch personal data (a search, read or reveal of a record). */
const PERSONAL_DATA_ACTIONS = new Set(['read', 'list', 'search', 'reveal', 'export', 'update', 'create']);
/** Staff accounts, as opposed to `system:…` actors and `anonymous` (failed sign-ins with unknown usernames). */
const isStaff = (actor: string) => actor !== 'anonymous' && !actor.startsWith('system:');

interface WindowRule {
  readonly kind: AlertKind;
  readonly matches: (e: SupervisionEvent) => boolean;
  readonly threshold: (t: SupervisionThresholds) => number;
  readonly windowMinutes: (t: SupervisionThresholds) => number;
}

const WINDOW_RULES: readonly WindowRule[] = [
  {
    kind: 'reveal_burst',
    matches: (e) => e.action === 'reveal' && e.outcome === 'success',
    threshold: (t) => t.reveals,
    windowMinutes: (t) => t.revealWindowMinutes,
  },
  {
    kind: 'enumeration',
    matches: (e) => e.action === 'search' || (e.action === 'read' && e.outcome !== 'success'),
    threshold: (t) => t.enumeration,
    windowMinutes: (t) => t.enumerationWindowMinutes,
  },
  {
    kind: 'out_of_scope',
    matches: (e) => e.outcome === 'denied' && isStaff(e.actor),
    threshold: (t) => t.denied,
    windowMinutes: (t) => t.deniedWindowMinutes,
  },
  {
    kind: 'failed_sign_in',
    matches: (e) => e.action === 'auth.login' && e.outcome === 'failure',
    threshold: (t) => t.failedSignIns,
    windowMinutes: (t) => t.failedSignInWindowMinutes,
  },
];

/** How far before the first new event the caller must load context events. */
export function lookbackMinutes(t: SupervisionThresholds = DEFAULT_THRESHOLDS): number {
  return Math.max(...WINDOW_RULES.map((r) => r.windowMinutes(t)), 24 * 60);
}

/**
 * The alerts fired by the events with seq > `afterSeq`, given `events` in seq order that include
 * the lookback context before them.
 */
export function detectAlerts(events: readonly SupervisionEvent[], afterSeq: number, t: SupervisionThresholds = DEFAULT_THRESHOLDS): AlertCandidate[] {
  validateThresholds(t);
  const alerts: { seq: number; alert: AlertCandidate }[] = [];
  for (const rule of WINDOW_RULES) {
    for (const [actor, list] of groupByActor(events.filter(rule.matches))) {
      for (const fired of fireWindow(list, afterSeq, rule.threshold(t), rule.windowMinutes(t) * 60_000)) {
        alerts.push({ seq: fired.at(-1) ?? 0, alert: { kind: rule.kind, actor, seqs: fired, details: { count: fired.length, windowMinutes: rule.windowMinutes(t) } } });
      }
    }
  }
  for (const e of events) {
    if (e.seq <= afterSeq) continue;
    if (e.action === 'break_glass' && e.outcome === 'success') {
      alerts.push({ seq: e.seq, alert: { kind: 'break_glass', actor: e.actor, seqs: [e.seq], details: { resourceType: e.resourceType } } });
    }
  }
  for (const [actor, list] of groupByActor(events.filter((e) => isStaff(e.actor) && PERSONAL_DATA_ACTIONS.has(e.action) && e.outcome === 'success'))) {
    let previousDay: string | null = null;
    for (const e of list) {
      const local = localTime(e.at, t.timeZone);
      const unusual = local.hour < t.workdayStartHour || local.hour >= t.workdayEndHour;
      // One alert per account and local day: the first unusual access of the day fires.
      if (unusual && local.day !== previousDay) {
        previousDay = local.day;
        if (e.seq > afterSeq) alerts.push({ seq: e.seq, alert: { kind: 'unusual_hours', actor, seqs: [e.seq], details: { localHour: local.hour, timeZone: t.timeZone } } });
      }
    }
  }
  return alerts.sort((a, b) => a.seq - b.seq || a.alert.kind.localeCompare(b.alert.kind)).map((a) => a.alert);
}

function groupByActor(events: readonly SupervisionEvent[]): Map<string, SupervisionEvent[]> {
  const byActor = new Map<string, SupervisionEvent[]>();
  for (const e of events) {
    const list = byActor.get(e.actor);
    if (list) list.push(e);
    else byActor.set(e.actor, [e]);
  }
  return byActor;
}

/** The seqs in the window of each event after `afterSeq` at which the count first reaches `threshold`. */
function fireWindow(list: readonly SupervisionEvent[], afterSeq: number, threshold: number, windowMs: number): number[][] {
  const fired: number[][] = [];
  let start = 0;
  let previousCount = 0;
  for (let i = 0; i < list.length; i++) {
    const end = Date.parse(list[i]!.at);
    while (Date.parse(list[start]!.at) <= end - windowMs) start++;
    const count = i - start + 1;
    if (count >= threshold && previousCount < threshold && list[i]!.seq > afterSeq) {
      fired.push(list.slice(start, i + 1).map((e) => e.seq));
    }
    previousCount = count;
  }
  return fired;
}

// Building an Intl.DateTimeFormat costs far more than formatting with one, and a scan formats
// every event: one formatter per time zone, and the last minute's answer (time-zone offsets are
// whole minutes, so every instant of one UTC minute has the same local day and hour).
const formatters = new Map<string, Intl.DateTimeFormat>();
let lastLocal: { key: string; value: { day: string; hour: number } } | null = null;

function localTime(iso: string, timeZone: string): { day: string; hour: number } {
  const instant = new Date(iso);
  const key = `${timeZone}|${Math.floor(instant.getTime() / 60_000)}`;
  if (lastLocal?.key === key) return lastLocal.value;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const value = { day: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) };
  lastLocal = { key, value };
  return value;
}

function validateThresholds(t: SupervisionThresholds): void {
  for (const [name, v] of Object.entries(t)) {
    if (name === 'timeZone') continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < (name.startsWith('workday') ? 0 : 1)) {
      throw new RangeError(`supervision threshold ${name} must be a positive integer`);
    }
  }
  if (t.workdayEndHour > 24 || t.workdayStartHour >= t.workdayEndHour) throw new RangeError('supervision workday hours must satisfy 0 <= start < end <= 24');
}
