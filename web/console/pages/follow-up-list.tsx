/**
 * `/quarantines`: my follow-up list (`GET /api/quarantines`, purpose `quarantine_followup`) — the
 * quarantines the server lets me follow up: those of my assigned cases' contacts, those handed over
 * to my jurisdiction and assigned to me, and for supervisors every one of their jurisdiction. Active
 * ones by default (a tab for ended and converted), 20 per page, names masked. `/quarantines/:id`
 * opens one (pages/tracing.tsx `FollowUp`): daily entries, call, extend, end, convert.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, query, seg } from '../api.ts';
import { FormError, errorMessage } from '../form.tsx';
import { districtName, label, t } from '../i18n.ts';
import { Link } from '../router.tsx';
import type { Page } from '../../../src/domain/views/page.ts';
import type { QuarantineSummary } from '../../../src/domain/views/tracing.ts';
import { MaskedName } from './case-list.tsx';
import { FollowUp } from './tracing.tsx';
import { FOLLOW_UP } from './tracing-shared.ts';

const PAGE_SIZE = 20;
const STATUSES = ['active', 'ended', 'converted'] as const;

export function FollowUpListPage() {
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('active');
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [page, setPage] = useState<Page<QuarantineSummary> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    setPage(null);
    get<Page<QuarantineSummary>>(`/api/quarantines${query({ status, cursor, limit: PAGE_SIZE })}`, FOLLOW_UP).then((r) => { setPage(r); setError(null); }, (err: unknown) => setError(errorMessage(err)));
  }, [status, cursor]);
  return (
    <section aria-labelledby="follow-up-title" data-testid="follow-up-list-page">
      <h1 id="follow-up-title">{t('followUpList.title')}</h1>
      <p class="muted">{t('followUpList.intro')}</p>
      <p class="notice notice-info">{t('followUpList.purpose')}</p>
      <div class="tabs" role="tablist" aria-label={t('followUpList.tabs')}>
        {STATUSES.map((s) => (
          <button key={s} type="button" role="tab" aria-selected={status === s} class={status === s ? 'tab active' : 'tab'} onClick={() => { setStatus(s); setCursors([undefined]); }}>{label('trQ', s)}</button>
        ))}
      </div>
      <FormError message={error} />
      {page === null ? (error ? null : <p>{t('app.loading')}</p>) : page.items.length === 0 ? <p class="empty">{t('followUpList.none')}</p> : (
        <table class="list" data-testid="follow-up-list">
          <thead>
            <tr>
              <th scope="col">{t('cases.person')}</th><th scope="col">{t('cases.jurisdiction')}</th><th scope="col">{t('field.quarantineStart')}</th>
              <th scope="col">{t('field.quarantineEnd')}</th><th scope="col">{t('tracing.status')}</th><th scope="col" />
            </tr>
          </thead>
          <tbody>
            {page.items.map((q) => (
              <tr key={q.id} data-quarantine={q.id}>
                <td><MaskedName view={q.subject.name} /></td>
                <td>{districtName(q.jurisdictionCode)}</td>
                <td>{q.quarantineStart ?? t('common.none')}</td>
                <td>{q.quarantineEnd ?? t('common.none')}</td>
                <td><span class={`badge q-${q.status}`}>{label('trQ', q.status)}</span></td>
                <td><Link href={`/quarantines/${seg(q.id)}`} data-testid="open-quarantine">{t('tracing.followUp')}</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="pager">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>{t('cases.prev')}</button>
        <button type="button" disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}>{t('cases.next')}</button>
      </div>
    </section>
  );
}

export function QuarantinePage({ id }: { id: string }) {
  return (
    <section aria-labelledby="quarantine-title" class="tracing" data-testid="quarantine-page">
      <div class="page-head">
        <h1 id="quarantine-title">{t('followUpList.one')}</h1>
        <Link href="/quarantines">{t('followUpList.back')}</Link>
      </div>
      <p class="notice notice-info">{t('tracing.purposeNotice')}</p>
      <div class="card"><FollowUp id={id} /></div>
    </section>
  );
}
