/**
 * `/clusters`: the transmission clusters of my jurisdiction (`GET /api/clusters`, purpose
 * `contact_tracing`, docs/TRACING.md "Clusters") — only those with a case whose chain I may open.
 * No identities: per cluster its size, cases and contacts, a small bar of its people by
 * classification or contact role (SVG, coloured as the chain is; the counts are its accessible
 * name and title), report dates, last activity and districts, and a link to the chain on the
 * contact-tracing page of the case the server names. Newest activity first, 20 per page.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, query, seg } from '../api.ts';
import { FormError, errorMessage } from '../form.tsx';
import { districtName, label, t } from '../i18n.ts';
import { Link } from '../router.tsx';
import type { Page } from '../../../src/domain/views/page.ts';
import type { NodeKind } from '../../../src/domain/views/tracing.ts';
import type { ClusterView as Cluster } from '../../../src/tracing/chains.ts';
import { NODE_KINDS, TRACING } from './tracing-shared.ts';

const PAGE_SIZE = 20;
const MIN_SIZES = [1, 2, 3, 5, 10] as const;
const BAR_W = 120;
const BAR_H = 12;

/** The chain's colours (app.css `.swatch.kind-*`), as SVG fills: the bar has no stylesheet of its own. */
const FILL: Record<NodeKind, string> = {
  confirmed: '#c4402f', suspected: '#d99a1e', asymptomatic: '#3d6fc0', excluded: '#5f9e72', close_contact: '#7b5bb0', secondary_contact: '#b3a2d6',
};

/** "Confirmed case 1, Close contact 2": the non-zero counts, in the legend's order. */
export function compositionText(kinds: Record<NodeKind, number>): string {
  return NODE_KINDS.filter((k) => kinds[k] > 0).map((k) => `${label('trNode', k)} ${kinds[k]}`).join(', ');
}

/** One stacked bar: a segment per classification or role, widths proportional to the counts. */
export function CompositionBar({ kinds, people }: { kinds: Record<NodeKind, number>; people: number }) {
  const text = `${t('clusters.barTitle')}: ${compositionText(kinds)}`;
  let x = 0;
  const segments = NODE_KINDS.filter((k) => kinds[k] > 0).map((k) => {
    const w = people > 0 ? (kinds[k] / people) * BAR_W : 0;
    const seg = <rect key={k} x={x} y={0} width={w} height={BAR_H} fill={FILL[k]} data-kind={k} data-count={kinds[k]} />;
    x += w;
    return seg;
  });
  return (
    <span class="cluster-bar">
      <svg role="img" aria-label={text} width={BAR_W} height={BAR_H} viewBox={`0 0 ${BAR_W} ${BAR_H}`} data-testid="cluster-bar">
        <title>{text}</title>
        {segments}
      </svg>{' '}
      <span class="small muted" aria-hidden="true">{compositionText(kinds)}</span>
    </span>
  );
}

export function ClustersPage() {
  const [minSize, setMinSize] = useState<number>(2);
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [page, setPage] = useState<Page<Cluster> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    setPage(null);
    get<Page<Cluster>>(`/api/clusters${query({ minSize, cursor, limit: PAGE_SIZE })}`, TRACING).then((r) => { setPage(r); setError(null); }, (err: unknown) => setError(errorMessage(err)));
  }, [minSize, cursor]);
  const offset = (cursors.length - 1) * PAGE_SIZE;
  return (
    <section aria-labelledby="clusters-title" data-testid="clusters-page">
      <h1 id="clusters-title">{t('clusters.title')}</h1>
      <p class="muted">{t('clusters.intro')}</p>
      <p class="notice notice-info">{t('clusters.purpose')}</p>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('clusters.minSize')}>
        <label>
          <span>{t('clusters.minSize')}</span>
          <select name="minSize" data-testid="cluster-min-size" value={String(minSize)} onChange={(e) => { setMinSize(Number((e.currentTarget as HTMLSelectElement).value)); setCursors([undefined]); }}>
            {MIN_SIZES.map((n) => <option key={n} value={String(n)}>{n === 1 ? t('clusters.minSizeAll') : t('clusters.minSizeN', { n })}</option>)}
          </select>
        </label>
      </form>
      <FormError message={error} />
      {page === null ? (error ? null : <p>{t('app.loading')}</p>) : page.items.length === 0 ? <p class="empty" data-testid="no-clusters">{t('clusters.none')}</p> : (
        <>
          <p class="legend small muted" aria-hidden="true">
            {NODE_KINDS.map((k) => <span key={k}><span class={`swatch kind-${k}`} /> {label('trNode', k)} </span>)}
          </p>
          <table class="list" data-testid="clusters">
            <caption class="visually-hidden">{t('clusters.table')}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">#</th>
                <th scope="col" class="num">{t('clusters.people')}</th>
                <th scope="col">{t('clusters.casesContacts')}</th>
                <th scope="col">{t('clusters.composition')}</th>
                <th scope="col">{t('clusters.reportDates')}</th>
                <th scope="col">{t('clusters.lastActivity')}</th>
                <th scope="col">{t('clusters.districts')}</th>
                <th scope="col"><span class="visually-hidden">{t('clusters.openChain')}</span></th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((c, i) => (
                <tr key={c.id} data-cluster={c.id} data-open-case={c.openCaseId}>
                  <th scope="row" class="num">{offset + i + 1}</th>
                  <td class="num" data-testid="cluster-people">{c.people}</td>
                  <td data-testid="cluster-cases-contacts">{t('clusters.casesContactsValue', { cases: c.cases, contacts: c.contacts })}</td>
                  <td><CompositionBar kinds={c.kinds} people={c.people} /></td>
                  <td>{c.firstReportDate === c.lastReportDate ? c.firstReportDate : `${c.firstReportDate} – ${c.lastReportDate}`}</td>
                  <td>{c.lastActivity}</td>
                  <td>{c.districts.map((d) => districtName(d)).join(', ')}</td>
                  <td>
                    <Link href={`/cases/${seg(c.openCaseId)}/tracing`} data-testid="open-cluster-chain">
                      <span aria-hidden="true">{t('clusters.openChain')}</span>
                      <span class="visually-hidden">{t('clusters.openChainOf', { n: offset + i + 1 })}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <div class="pager">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>{t('cases.prev')}</button>
        <button type="button" disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}>{t('cases.next')}</button>
      </div>
    </section>
  );
}
