/**
 * Supervision alerts (supervisors, auditors, the DPO; purpose `audit`): open and closed, newest
 * first, a page at a time (cursor). Each alert says what fired, about which account, when, and the
 * counts behind it; its page shows the audit events and, for supervisors, the close form.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, query, seg } from '../api.ts';
import { FormError, errorMessage } from '../form.tsx';
import { label, t } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { PATHS } from '../nav.ts';
import { Link } from '../router.tsx';
import type { Page } from '../../../src/domain/views/page.ts';
import { AUDIT, AccountRef, AuditPurposeNotice } from './audit-shared.tsx';
import type { AlertView as Alert } from '../../../src/domain/views/audit.ts';

const PAGE_SIZE = 20;

/** What the alert counted, in words: `3 events within 60 min`, `at 23:00 (Asia/Shanghai)`… */
export function alertDetails(a: Pick<Alert, 'kind' | 'details'>): string {
  const d = a.details;
  if (d.count !== undefined && d.windowMinutes !== undefined) return t('alerts.detailsWindow', { count: d.count, minutes: d.windowMinutes });
  if (d.localHour !== undefined) return t('alerts.detailsHour', { hour: String(d.localHour).padStart(2, '0'), zone: String(d.timeZone ?? '') });
  if (d.resourceType !== undefined) return t('alerts.detailsResource', { resource: String(d.resourceType) });
  const pairs = Object.entries(d).map(([k, v]) => `${k}: ${v}`);
  return pairs.length ? pairs.join(', ') : t('common.none');
}

export function KindBadge({ kind }: { kind: string }) {
  return <span class={`badge alert-kind alert-${kind}`}>{label('alertKind', kind)}</span>;
}

/** `justified: note` → the decision's label and the note. */
export function splitDecision(decision: string | null): { decision: string; note: string } | null {
  if (!decision) return null;
  const m = /^(justified|escalated):\s*([\s\S]*)$/.exec(decision);
  return m ? { decision: m[1]!, note: m[2]! } : { decision: '', note: decision };
}

function AlertRows({ items, status }: { items: Alert[]; status: 'open' | 'closed' }) {
  return (
    <table class="list" data-testid="alerts-table">
      <thead>
        <tr>
          <th>{t('alerts.kind')}</th><th>{t('alerts.account')}</th><th>{t('alerts.when')}</th><th>{t('alerts.details')}</th>
          {status === 'closed' ? <th>{t('alerts.decision')}</th> : null}
          <th />
        </tr>
      </thead>
      <tbody>
        {items.map((a) => {
          const decided = splitDecision(a.decision);
          return (
            <tr key={a.id} data-alert={a.id}>
              <td><KindBadge kind={a.kind} /></td>
              <td><AccountRef id={a.accountId} /></td>
              <td class="nowrap">{dateTime(a.createdAt)}</td>
              <td>{alertDetails(a)}</td>
              {status === 'closed' ? (
                <td class="reason">{decided ? <><strong>{label('decision', decided.decision)}</strong> {decided.note}</> : t('common.none')}</td>
              ) : null}
              <td><Link href={`${PATHS.alerts}/${seg(a.id)}`} data-testid="alert-link">{t('alerts.view')}</Link></td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** One status's alerts a page at a time; remount (key) to change the status. */
function AlertPages({ status }: { status: 'open' | 'closed' }) {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [page, setPage] = useState<Page<Alert> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    let live = true;
    setError(null);
    get<Page<Alert>>(`/api/alerts${query({ status, cursor, limit: PAGE_SIZE })}`, AUDIT)
      .then((p) => live && setPage(p), (err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [cursor]);
  return (
    <div role="tabpanel" id={`alerts-${status}`} aria-labelledby={`tab-${status}`}>
      <FormError message={error} />
      {page ? (page.items.length ? <AlertRows items={page.items} status={status} /> : <p class="empty" data-testid="alerts-none">{t('alerts.none')}</p>)
        : error ? null : <p>{t('app.loading')}</p>}
      <div class="pager">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))} data-testid="prev-page">{t('cases.prev')}</button>
        <span>{t('cases.page', { n: cursors.length })}</span>
        <button type="button" disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])} data-testid="next-page">{t('cases.next')}</button>
      </div>
    </div>
  );
}

export function AlertsPage() {
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const tab = (s: 'open' | 'closed') => (
    <button type="button" role="tab" id={`tab-${s}`} aria-selected={status === s} aria-controls={`alerts-${s}`}
      class={status === s ? 'tab active' : 'tab'} data-testid={`alerts-tab-${s}`} onClick={() => setStatus(s)}>
      {t(s === 'open' ? 'alerts.open' : 'alerts.closed')}
    </button>
  );
  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title">{t('alerts.title')}</h1>
      <p class="muted">{t('alerts.intro')}</p>
      <AuditPurposeNotice />
      <div class="tabs" role="tablist" aria-label={t('alerts.tabs')}>
        {tab('open')}
        {tab('closed')}
      </div>
      <AlertPages key={status} status={status} />
    </section>
  );
}
