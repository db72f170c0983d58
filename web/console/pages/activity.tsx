/**
 * The per-staff activity report (supervisors, auditors, the DPO; purpose `audit`): the counts of
 * one account's audit events per action and outcome over a date range, as a bar chart drawn in
 * SVG and, for screen readers and copying, the same numbers as a table. Supervisors cannot list
 * staff under `audit`, so the account is an id: typed, or followed from an alert or an event.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, query, seg } from '../api.ts';
import { Field, FormError, useForm } from '../form.tsx';
import { label, t } from '../i18n.ts';
import type { MessageKey } from '../i18n.ts';
import { PATHS } from '../nav.ts';
import { navigate, route } from '../router.tsx';
import { dateProblem } from '../validate.ts';
import { AUDIT, AuditPurposeNotice, localDate, localToIso } from './audit-shared.tsx';
import type { Activity, ActivityCount } from './audit-shared.tsx';

const OUTCOME_ORDER = ['success', 'denied', 'failure'];

function sortCounts(counts: readonly ActivityCount[]): ActivityCount[] {
  const rank = (o: string) => (OUTCOME_ORDER.includes(o) ? OUTCOME_ORDER.indexOf(o) : OUTCOME_ORDER.length);
  return [...counts].sort((a, b) => a.action.localeCompare(b.action) || rank(a.outcome) - rank(b.outcome));
}

const LABEL_W = 210;
const BAR_W = 400;
const COUNT_W = 70;
const ROW_H = 26;
const TOP = 6;

/** Horizontal bars, one per action and outcome, coloured by outcome (the legend and the table say which). */
export function ActivityChart({ counts }: { counts: readonly ActivityCount[] }) {
  const max = Math.max(1, ...counts.map((c) => c.n));
  const height = TOP * 2 + counts.length * ROW_H;
  const width = LABEL_W + BAR_W + COUNT_W;
  return (
    <figure class="chart" data-testid="activity-chart">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-labelledby="activity-chart-title">
        <title id="activity-chart-title">{t('activity.chart')}</title>
        {counts.map((c, i) => {
          const y = TOP + i * ROW_H;
          const w = Math.max(2, Math.round((c.n / max) * BAR_W));
          return (
            <g key={`${c.action}/${c.outcome}`} data-bar={`${c.action}/${c.outcome}`}>
              <text x={LABEL_W - 8} y={y + ROW_H / 2} class="chart-label" text-anchor="end" dominant-baseline="middle">{c.action} · {label('result', c.outcome)}</text>
              <rect x={LABEL_W} y={y + 4} width={w} height={ROW_H - 8} rx={3} class={`bar result-${c.outcome}`}>
                <title>{`${c.action} · ${label('result', c.outcome)}: ${c.n}`}</title>
              </rect>
              <text x={LABEL_W + w + 6} y={y + ROW_H / 2} class="chart-count" dominant-baseline="middle">{c.n}</text>
            </g>
          );
        })}
      </svg>
      <figcaption class="legend" aria-hidden="true">
        {OUTCOME_ORDER.map((o) => <span key={o}><span class={`swatch result-${o}`} /> {label('result', o)}</span>)}
      </figcaption>
    </figure>
  );
}

function ActivityTable({ counts }: { counts: readonly ActivityCount[] }) {
  return (
    <table class="list compact" data-testid="activity-table">
      <caption>{t('activity.table')}</caption>
      <thead><tr><th scope="col">{t('events.action')}</th><th scope="col">{t('events.outcome')}</th><th scope="col" class="num">{t('activity.count')}</th></tr></thead>
      <tbody>
        {counts.map((c) => (
          <tr key={`${c.action}/${c.outcome}`}><td><code>{c.action}</code></td><td>{label('result', c.outcome)}</td><td class="num">{c.n}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

type ActivityField = 'account' | 'from' | 'to';

export function ActivityPage({ accountId }: { accountId?: string }) {
  const today = new Date();
  const monthAgo = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 29);
  const form = useForm<ActivityField>({ account: accountId ?? '', from: localDate(monthAgo), to: localDate(today) },
    { account: { required: true }, from: { required: true, checks: [dateProblem] }, to: { required: true, checks: [dateProblem] } }, { id: 'account' });
  const [report, setReport] = useState<{ activity: Activity; from: string; to: string } | null>(null);

  const orderProblem = (v: Record<ActivityField, string>): Partial<Record<ActivityField, MessageKey>> => (v.from && v.to && v.to < v.from ? { to: 'v.dateOrder' } : {});

  const run = () => form.submit(async () => {
    const v = form.values;
    const account = v.account.trim();
    const from = localToIso(v.from);
    const to = localToIso(v.to, 1);
    if (!from || !to) return;
    const target = `${PATHS.activity}/${seg(account)}`;
    if (route.get().path !== target) navigate(target, null, true);
    setReport(null);
    const activity = await get<Activity>(`/api/staff/${seg(account)}/activity${query({ from, to })}`, AUDIT);
    setReport({ activity: { ...activity, counts: sortCounts(activity.counts) }, from: v.from, to: v.to });
  }, orderProblem);

  useEffect(() => {
    if (accountId) void run();
  }, []);

  const total = report ? report.activity.counts.reduce((n, c) => n + c.n, 0) : 0;
  return (
    <section aria-labelledby="activity-title">
      <h1 id="activity-title">{t('activity.title')}</h1>
      <p class="muted">{t('activity.intro')}</p>
      <AuditPurposeNotice />
      <form class="card" noValidate data-testid="activity-form" onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <div class="grid">
          <Field form={form} name="account" label={t('activity.account')} maxLength={128} required />
          <Field form={form} name="from" label={t('activity.from')} type="date" required />
          <Field form={form} name="to" label={t('activity.to')} type="date" required />
        </div>
        <FormError message={form.formError} />
        <button type="submit" class="primary" disabled={form.busy}>{t('activity.submit')}</button>
      </form>
      {report ? (
        <div data-testid="activity-report">
          <h2>{t('activity.total', { n: total, from: report.from, to: report.to })}</h2>
          {report.activity.counts.length === 0 ? <p class="empty">{t('activity.none')}</p> : (
            <div class="card">
              <ActivityChart counts={report.activity.counts} />
              <ActivityTable counts={report.activity.counts} />
            </div>
          )}
        </div>
      ) : null}
    </section>
  );
}
