/**
 * The case list: filters (classification, district, assigned to me, report date range) and
 * cursor pagination. Filters hold no personal values; names are shown masked.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, query } from '../api.ts';
import { CLASSIFICATIONS } from '../../../src/domain/model.ts';
import { errorMessage, FormError } from '../form.tsx';
import { DISTRICTS, districtName, label, lang, t } from '../i18n.ts';
import { Link } from '../router.tsx';
import type { NavState } from '../router.tsx';
import { useStore } from '../store.ts';
import type { CaseSummaryView as CaseSummary } from '../../../src/domain/views/cases.ts';
import type { Page } from '../../../src/domain/views/page.ts';
import { dateProblem } from '../validate.ts';

export interface CaseFilters {
  classification: string;
  jurisdiction: string;
  assignedToMe: boolean;
  reportFrom: string;
  reportTo: string;
}

const NO_FILTERS: CaseFilters = { classification: '', jurisdiction: '', assignedToMe: false, reportFrom: '', reportTo: '' };
const PAGE_SIZE = 20;

/** The masked name of a person, marked as masked. */
export function MaskedName({ view }: { view: { value: string | null; masked: boolean } }) {
  return <span class={view.masked ? 'masked' : 'clear'} data-masked={view.masked ? 'true' : 'false'}>{view.value ?? t('common.none')}</span>;
}

export function ClassBadge({ value }: { value: string }) {
  return <span class={`badge badge-${value}`}>{label('class', value)}</span>;
}

interface TableProps {
  items: CaseSummary[];
  via: NonNullable<NavState>['via'];
  extra?: { header: string; cell(c: CaseSummary): ComponentChildren };
}

export function CaseTable({ items, via, extra }: TableProps) {
  return (
    <table class="list" data-testid="case-table">
      <thead>
        <tr>
          <th>{t('cases.caseNumber')}</th>
          <th>{t('cases.classification')}</th>
          <th>{t('cases.person')}</th>
          <th>{t('cases.jurisdiction')}</th>
          <th>{t('cases.reportDate')}</th>
          {extra ? <th>{extra.header}</th> : null}
        </tr>
      </thead>
      <tbody>
        {items.map((c) => (
          <tr key={c.id}>
            <td><Link href={`/cases/${encodeURIComponent(c.id)}`} state={{ via }} data-testid="case-link">{c.caseNumber}</Link></td>
            <td><ClassBadge value={c.classification} /></td>
            <td><MaskedName view={c.subject.name} /> <span class="muted">{label('sex', c.subject.sex)}</span></td>
            <td>{districtName(c.jurisdictionCode)}</td>
            <td>{c.reportDate}</td>
            {extra ? <td>{extra.cell(c)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One page of cases at a time for fixed filters (remount to change the filters); cursors of the pages before are kept for "previous". */
function useCasePages(filters: CaseFilters) {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [page, setPage] = useState<Page<CaseSummary> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    let live = true;
    setError(null);
    get<Page<CaseSummary>>(`/api/cases${query({
      classification: filters.classification, jurisdiction: filters.jurisdiction, assigned: filters.assignedToMe && 'me',
      reportFrom: filters.reportFrom, reportTo: filters.reportTo, cursor, limit: PAGE_SIZE,
    })}`).then((p) => live && setPage(p), (err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [cursor]);

  return {
    page, error, pageNumber: cursors.length,
    next: () => page?.nextCursor && setCursors([...cursors, page.nextCursor]),
    prev: () => cursors.length > 1 && setCursors(cursors.slice(0, -1)),
  };
}

interface ResultsProps extends Omit<TableProps, 'items'> {
  filters: CaseFilters;
}

/** The cases matching `filters`, a page at a time. Give it a new `key` when the filters change. */
export function CaseResults({ filters, via, extra }: ResultsProps) {
  const pages = useCasePages(filters);
  return (
    <div>
      <FormError message={pages.error} />
      {pages.page ? (
        pages.page.items.length ? <CaseTable items={pages.page.items} via={via} extra={extra} /> : <p class="empty">{t('cases.none')}</p>
      ) : pages.error ? null : <p>{t('app.loading')}</p>}
      <div class="pager">
        <button type="button" disabled={pages.pageNumber <= 1} onClick={pages.prev} data-testid="prev-page">{t('cases.prev')}</button>
        <span>{t('cases.page', { n: pages.pageNumber })}</span>
        <button type="button" disabled={!pages.page?.nextCursor} onClick={pages.next} data-testid="next-page">{t('cases.next')}</button>
      </div>
    </div>
  );
}

export function FilterForm({ onApply }: { onApply(f: CaseFilters): void }) {
  useStore(lang);
  const [f, setF] = useState<CaseFilters>(NO_FILTERS);
  const [problem, setProblem] = useState<string | null>(null);
  const set = <K extends keyof CaseFilters>(k: K, v: CaseFilters[K]) => setF({ ...f, [k]: v });
  const apply = (e: Event) => {
    e.preventDefault();
    const bad = (f.reportFrom && dateProblem(f.reportFrom)) || (f.reportTo && dateProblem(f.reportTo));
    if (bad) return setProblem(t(bad));
    if (f.reportFrom && f.reportTo && f.reportFrom > f.reportTo) return setProblem(t('v.dateOrder'));
    setProblem(null);
    onApply({ ...f });
  };
  return (
    <form class="filters" onSubmit={apply} data-testid="case-filters" aria-label={t('cases.filters')}>
      <label>
        <span>{t('cases.classification')}</span>
        <select name="classification" value={f.classification} onChange={(e) => set('classification', (e.currentTarget as HTMLSelectElement).value)}>
          <option value="">{t('cases.any')}</option>
          {CLASSIFICATIONS.map((c) => <option key={c} value={c}>{label('class', c)}</option>)}
        </select>
      </label>
      <label>
        <span>{t('cases.jurisdiction')}</span>
        <select name="jurisdiction" value={f.jurisdiction} onChange={(e) => set('jurisdiction', (e.currentTarget as HTMLSelectElement).value)}>
          <option value="">{t('cases.any')}</option>
          {DISTRICTS.map((d) => <option key={d.code} value={d.code}>{districtName(d.code)}</option>)}
        </select>
      </label>
      <label>
        <span>{t('cases.reportFrom')}</span>
        <input type="date" name="reportFrom" value={f.reportFrom} onInput={(e) => set('reportFrom', (e.currentTarget as HTMLInputElement).value)} />
      </label>
      <label>
        <span>{t('cases.reportTo')}</span>
        <input type="date" name="reportTo" value={f.reportTo} onInput={(e) => set('reportTo', (e.currentTarget as HTMLInputElement).value)} />
      </label>
      <label class="check">
        <input type="checkbox" name="assigned" checked={f.assignedToMe} onChange={(e) => set('assignedToMe', (e.currentTarget as HTMLInputElement).checked)} />
        {t('cases.assignedToMe')}
      </label>
      <div class="actions">
        <button type="submit" class="primary">{t('cases.apply')}</button>
        <button type="button" onClick={() => { setF(NO_FILTERS); setProblem(null); onApply(NO_FILTERS); }}>{t('cases.reset')}</button>
      </div>
      {problem ? <div class="field-error" role="alert">{problem}</div> : null}
    </form>
  );
}

export function CaseListPage() {
  const [filters, setFilters] = useState<{ f: CaseFilters; n: number }>({ f: NO_FILTERS, n: 0 });
  return (
    <section aria-labelledby="cases-title">
      <h1 id="cases-title">{t('cases.title')}</h1>
      <FilterForm onApply={(f) => setFilters({ f, n: filters.n + 1 })} />
      <CaseResults key={filters.n} filters={filters.f} via="list" />
    </section>
  );
}
