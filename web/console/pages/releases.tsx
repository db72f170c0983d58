/**
 * Disclosure releases (issue #6; docs/DISCLOSURE-STANDARD.md §1.5), under the purpose `disclosure`
 * whatever the header's selector says: the disclosure officer prepares a release of each type,
 * sees exactly what will be public (the preview table, the notice) and the risk report with the
 * check's pass / fail, publishes after a second person approved, and withdraws; the approver lists
 * the releases awaiting approval and approves one with a reason. The server decides every step
 * (four eyes included): a refusal is shown as the server gave it.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post, seg, session } from '../api.ts';
import type { Purpose } from '../api.ts';
import { Field, FormError, Notice, SelectField, errorMessage, useForm } from '../form.tsx';
import { districtName, label, lang, t } from '../i18n.ts';
import type { MessageKey } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { PATHS } from '../nav.ts';
import { Link, navigate } from '../router.tsx';
import { useStore } from '../store.ts';
import type { ReleasableArea } from '../../../src/domain/views/tracing.ts';
import { localDate, noteProblem, saveFile } from './audit-shared.tsx';

/** Every request of these pages states the purpose `disclosure`. */
export const DISCLOSURE: { purpose: Purpose } = { purpose: 'disclosure' };

export const RELEASE_TYPES = ['exposure_points', 'risk_areas', 'research_extract', 'daily_counts'] as const;
export type ReleaseType = (typeof RELEASE_TYPES)[number];
export type ReleaseStatus = 'prepared' | 'approved' | 'published' | 'withdrawn';
type Scalar = string | number | null;

/** `GET /api/releases/:id` (src/http/routes/release.schema.ts ReleaseView). */
export interface Release {
  id: string;
  type: ReleaseType;
  status: ReleaseStatus;
  jurisdictionCode: string;
  standardVersion: string;
  recipient: string | null;
  preview: { items: Array<Record<string, Scalar>>; meta: Record<string, Scalar> };
  notice: { zh: string; en: string };
  check: { passed: boolean; failures: string[] };
  risk: Record<string, unknown>;
  expiresAt: string | null;
  preparedBy: string;
  preparedAt: string;
  approvals: Array<{ by: string; at: string }>;
  publishedAt: string | null;
  withdrawnAt: string | null;
}

const releasePath = (id: string) => `${PATHS.releases}/${seg(id)}`;
const apiPath = (id: string) => `/api/releases/${seg(id)}`;

/** The server's refusal, in words: our message for its code and the server's own explanation. */
export function refusal(err: unknown): string {
  const ours = errorMessage(err);
  const theirs = err instanceof ApiError && err.message && err.code !== 'ERR_NETWORK' ? err.message : '';
  return t('releases.refused', { message: theirs && theirs !== ours ? `${ours} (${theirs})` : ours });
}

export function DisclosurePurposeNotice() {
  return <p class="notice notice-info" data-testid="disclosure-purpose">{t('releases.purposeNotice')}</p>;
}

export function StatusBadge({ status }: { status: ReleaseStatus }) {
  return <span class={`badge release-${status}`} data-testid="release-status">{label('releaseStatus', status)}</span>;
}

export function CheckBadge({ passed }: { passed: boolean }) {
  return <span class={`badge ${passed ? 'check-pass' : 'check-fail'}`} data-testid="check-badge">{t(passed ? 'releases.checkPassed' : 'releases.checkFailed')}</span>;
}

/** Releases awaiting this approver: prepared, passing their check, prepared by someone else. */
const awaiting = (r: Release, me: string) => r.status === 'prepared' && r.check.passed && r.preparedBy !== me;

function ReleaseRows({ items, testId }: { items: Release[]; testId: string }) {
  return (
    <div class="table-scroll">
      <table class="list" data-testid={testId}>
        <thead>
          <tr>
            <th>{t('releases.type')}</th><th>{t('releases.status')}</th><th>{t('releases.check')}</th>
            <th class="num">{t('releases.entries')}</th><th>{t('releases.preparedAt')}</th><th>{t('releases.preparedBy')}</th><th />
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id} data-release={r.id}>
              <td>{label('releaseType', r.type)}</td>
              <td><StatusBadge status={r.status} /></td>
              <td><CheckBadge passed={r.check.passed} /></td>
              <td class="num">{r.preview.items.length}</td>
              <td class="nowrap">{dateTime(r.preparedAt)}</td>
              <td><code>{r.preparedBy}</code></td>
              <td><Link href={releasePath(r.id)} data-testid="release-link">{t('releases.open')}</Link></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `/releases`: the jurisdiction's releases; for approvers, those awaiting their approval first. */
export function ReleasesPage() {
  const s = useStore(session);
  const role = s?.account.role ?? '';
  const me = s?.account.id ?? '';
  const [items, setItems] = useState<Release[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<'awaiting' | 'all'>(role === 'approver' ? 'awaiting' : 'all');
  useEffect(() => {
    let live = true;
    get<{ items: Release[] }>('/api/releases', DISCLOSURE).then((r) => live && setItems(r.items), (err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, []);
  const shown = items ? (tab === 'awaiting' ? items.filter((r) => awaiting(r, me)) : items) : null;
  const tabButton = (k: 'awaiting' | 'all', key: MessageKey) => (
    <button type="button" role="tab" aria-selected={tab === k} class={tab === k ? 'tab active' : 'tab'} data-testid={`releases-tab-${k}`} onClick={() => setTab(k)}>
      {t(key)}{k === 'awaiting' && items ? ` (${items.filter((r) => awaiting(r, me)).length})` : ''}
    </button>
  );
  return (
    <section aria-labelledby="releases-title">
      <div class="page-head">
        <h1 id="releases-title">{t('releases.title')}</h1>
        {role === 'disclosure_officer' ? <Link href={PATHS.newRelease} class="button primary" data-testid="new-release">{t('releases.new')}</Link> : null}
      </div>
      <p class="muted">{t(role === 'approver' ? 'releases.introApprover' : 'releases.introOfficer')}</p>
      <DisclosurePurposeNotice />
      {role === 'approver' ? (
        <div class="tabs" role="tablist" aria-label={t('releases.title')}>
          {tabButton('awaiting', 'releases.awaiting')}
          {tabButton('all', 'releases.all')}
        </div>
      ) : null}
      <FormError message={error} />
      {shown ? (shown.length ? <ReleaseRows items={shown} testId="releases-table" /> : <p class="empty" data-testid="releases-none">{t(tab === 'awaiting' ? 'releases.noneAwaiting' : 'releases.none')}</p>)
        : error ? null : <p>{t('app.loading')}</p>}
    </section>
  );
}

type PrepareField = 'type' | 'from' | 'to' | 'recipient' | 'areaIds';


const idsOf = (v: string) => v.split(' ').filter(Boolean);

/**
 * The declared, active risk areas of the officer's jurisdiction, each with a checkbox: a risk-area
 * release names declarations; its content comes from them and the venue registry, never typed in.
 */
function AreaPicker({ selected, error, onChange }: { selected: readonly string[]; error?: string; onChange(ids: string[]): void }) {
  useStore(lang);
  const [areas, setAreas] = useState<ReleasableArea[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    get<{ items: ReleasableArea[] }>('/api/releases/risk-areas', DISCLOSURE).then((r) => live && setAreas(r.items), (err: unknown) => live && setFailure(errorMessage(err)));
    return () => {
      live = false;
    };
  }, []);
  const toggle = (id: string, on: boolean) => onChange(on ? [...selected.filter((x) => x !== id), id] : selected.filter((x) => x !== id));
  return (
    <fieldset class="subject" data-testid="area-picker" aria-describedby={error ? 'f-areaIds-error' : undefined}>
      <legend>{t('releases.areasLegend')}</legend>
      <p class="hint">{t('releases.areasIntro')}</p>
      <FormError message={failure} />
      {areas === null ? (failure ? null : <p>{t('app.loading')}</p>) : areas.length === 0 ? <p class="empty" data-testid="areas-none">{t('releases.areasNone')}</p> : (
        <div class="table-scroll">
          <table class="list" data-testid="declared-areas">
            <thead>
              <tr>
                <th scope="col">{t('releases.areaInclude')}</th><th scope="col">{t('releases.level')}</th><th scope="col">{t('releases.kind')}</th>
                <th scope="col">{t('riskAreas.place')}</th><th scope="col">{t('riskAreas.window')}</th><th scope="col">{t('releases.validUntil')}</th>
              </tr>
            </thead>
            <tbody>
              {areas.map((a) => (
                <tr key={a.id} data-area={a.id}>
                  <td>
                    <input type="checkbox" id={`area-${a.id}`} data-testid="area-choice" checked={selected.includes(a.id)}
                      aria-label={`${t('releases.areaChoose')}: ${label('riskLevel', a.level)}, ${a.kind === 'venue' ? a.venueName ?? '' : districtName(a.districtCode)}`}
                      onChange={(e) => toggle(a.id, (e.currentTarget as HTMLInputElement).checked)} />
                  </td>
                  <td><span class={`badge level-${a.level}`}>{label('riskLevel', a.level)}</span></td>
                  <td>{label('areaKind', a.kind)}</td>
                  <td>{a.kind === 'venue' ? <>{a.venueName} <span class="muted small">({districtName(a.districtCode)}, <code>{a.venueId}</code>)</span></> : `${districtName(a.districtCode)} (${a.districtCode})`}</td>
                  <td class="nowrap">{dateTime(a.windowStart)} – {dateTime(a.windowEnd)}</td>
                  <td class="nowrap">{dateTime(a.validUntil)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {error ? <div class="field-error" id="f-areaIds-error" role="alert">{error}</div> : null}
    </fieldset>
  );
}

/** `/releases/new`: prepare a release of any type (disclosure officers). */
export function PrepareReleasePage() {
  useStore(lang);
  const today = new Date();
  const form = useForm<PrepareField>({
    type: 'exposure_points', from: localDate(new Date(today.getTime() - 7 * 86_400_000)), to: localDate(today), recipient: '', areaIds: '',
  }, {});
  const v = form.values;
  const type = v.type as ReleaseType;
  const dated = type !== 'risk_areas';

  const checks = (x: typeof v): Partial<Record<PrepareField, MessageKey>> => {
    const e: Partial<Record<PrepareField, MessageKey>> = {};
    if (type === 'risk_areas') {
      if (idsOf(x.areaIds).length === 0) e.areaIds = 'releases.areasPick';
    } else {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(x.from)) e.from = 'v.date';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(x.to)) e.to = 'v.date';
      else if (!e.from && x.to < x.from) e.to = 'v.dateOrder';
      if (type === 'research_extract' && !x.recipient.trim()) e.recipient = 'v.required';
    }
    return e;
  };

  const body = (): unknown => {
    switch (type) {
      case 'risk_areas': return { type, areaIds: idsOf(v.areaIds) };
      case 'research_extract': return { type, recipient: v.recipient.trim(), from: v.from, to: v.to };
      default: return { type, from: v.from, to: v.to };
    }
  };

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async () => {
      const r = await post<Release>('/api/releases', body(), DISCLOSURE);
      navigate(releasePath(r.id));
    }, checks);
  };

  return (
    <section aria-labelledby="prepare-title">
      <h1 id="prepare-title">{t('releases.prepareTitle')}</h1>
      <p class="muted">{t('releases.prepareIntro')}</p>
      <DisclosurePurposeNotice />
      <form class="card" onSubmit={onSubmit} noValidate data-testid="prepare-form">
        <FormError message={form.formError} />
        <SelectField form={form} name="type" label={t('releases.type')} required
          options={RELEASE_TYPES.map((x) => ({ value: x, label: label('releaseType', x) }))} />
        <p class="hint" data-testid="type-hint">{label('releaseTypeHint', type)}</p>
        {type === 'daily_counts' ? <Notice kind="warn">{t('releases.budgetWarning')}</Notice> : null}
        {type === 'research_extract' ? <Field form={form} name="recipient" label={t('releases.recipient')} hint={t('releases.recipientHint')} maxLength={200} required /> : null}
        {dated ? (
          <div class="grid">
            <Field form={form} name="from" label={t('releases.from')} type="date" required />
            <Field form={form} name="to" label={t('releases.to')} type="date" required />
          </div>
        ) : (
          <AreaPicker selected={idsOf(v.areaIds)} error={form.errors.areaIds} onChange={(ids) => form.set('areaIds', ids.join(' '))} />
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={form.busy} data-testid="prepare-submit">{t('releases.prepare')}</button>
          <Link href={PATHS.releases} class="button">{t('common.cancel')}</Link>
        </div>
      </form>
    </section>
  );
}

/** A value exactly as it will be published; a suppressed (null) value says so. */
function Cell({ value }: { value: Scalar }) {
  if (value === null) return <span class="muted withheld">{t('releases.withheld')}</span>;
  return <>{String(value)}</>;
}

/** The public content: one column per key, in the order the items carry them. */
function PreviewTable({ r }: { r: Release }) {
  const columns: string[] = [];
  for (const item of r.preview.items) for (const k of Object.keys(item)) if (!columns.includes(k)) columns.push(k);
  if (r.preview.items.length === 0) return <p class="empty" data-testid="preview-none">{t('releases.previewEmpty')}</p>;
  return (
    <div class="table-scroll">
      <table class="list preview" data-testid="preview-table">
        <caption>{t('releases.previewCaption', { n: r.preview.items.length })}</caption>
        <thead><tr>{columns.map((c) => <th key={c} scope="col"><code>{c}</code></th>)}</tr></thead>
        <tbody>
          {r.preview.items.map((item, i) => (
            <tr key={i}>{columns.map((c) => <td key={c} class={typeof item[c] === 'number' ? 'num' : String(item[c] ?? '').length > 60 ? 'long' : undefined}><Cell value={item[c] ?? null} /></td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const show = (v: unknown): string => (v === null || v === undefined ? t('common.none') : typeof v === 'object' ? JSON.stringify(v) : String(v));

function KeyValues({ values, testId, caption }: { values: Record<string, unknown>; testId: string; caption: string }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return null;
  return (
    <table class="list compact" data-testid={testId}>
      <caption>{caption}</caption>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}><th scope="row">{label('risk', k) === k ? <code>{k}</code> : label('risk', k)}</th><td class="num">{show(v)}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

function CheckResult({ r }: { r: Release }) {
  if (r.check.passed) return <Notice kind="ok"><span data-testid="check-result"><CheckBadge passed /> {t('releases.checkPassedText')}</span></Notice>;
  return (
    <div class="notice notice-fail" role="alert" data-testid="check-result">
      <strong><CheckBadge passed={false} /> {t('releases.checkFailedText')}</strong>
      <ul data-testid="check-failures">{r.check.failures.map((f, i) => <li key={i}>{f}</li>)}</ul>
    </div>
  );
}

/** Approve with a reason (approvers; the preparer sees the form too, with the four-eyes rule, and gets the server's refusal). */
function ApproveForm({ r, mine, onDone }: { r: Release; mine: boolean; onDone(next: Release): void }) {
  const form = useForm<'approveReason'>({ approveReason: '' }, { approveReason: { required: true } }, { reason: 'approveReason' });
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async () => {
      try {
        onDone(await post<Release>(`${apiPath(r.id)}/approve`, { reason: form.values.approveReason.trim() }, DISCLOSURE));
      } catch (err) {
        if (err instanceof ApiError && err.field === 'reason') throw err;
        form.setFormError(refusal(err));
      }
    }, (x) => ({ approveReason: noteProblem(x.approveReason) ?? undefined }));
  };
  return (
    <form class="card" onSubmit={onSubmit} noValidate data-testid="approve-form">
      <h2>{t('releases.approveTitle')}</h2>
      {mine ? <Notice kind="warn"><span data-testid="own-release">{t('releases.ownRelease')}</span></Notice> : null}
      {!r.check.passed ? <p class="muted">{t('releases.cannotApproveFailing')}</p> : null}
      <FormError message={form.formError} />
      <Field form={form} name="approveReason" label={t('releases.approveReason')} hint={t('releases.reasonHint')} multiline maxLength={1000} required />
      <div class="actions">
        <button type="submit" class="primary" disabled={form.busy || !r.check.passed} data-testid="approve-submit">{t('releases.approve')}</button>
      </div>
    </form>
  );
}

function WithdrawForm({ r, onDone }: { r: Release; onDone(next: Release): void }) {
  const form = useForm<'withdrawReason'>({ withdrawReason: '' }, { withdrawReason: { required: true } }, { reason: 'withdrawReason' });
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async () => {
      try {
        onDone(await post<Release>(`${apiPath(r.id)}/withdraw`, { reason: form.values.withdrawReason.trim() }, DISCLOSURE));
      } catch (err) {
        if (err instanceof ApiError && err.field === 'reason') throw err;
        form.setFormError(refusal(err));
      }
    }, (x) => ({ withdrawReason: noteProblem(x.withdrawReason) ?? undefined }));
  };
  return (
    <form class="card" onSubmit={onSubmit} noValidate data-testid="withdraw-form">
      <h2>{t('releases.withdrawTitle')}</h2>
      <p class="muted">{t(r.status === 'published' ? 'releases.withdrawPublished' : 'releases.withdrawIntro')}</p>
      <FormError message={form.formError} />
      <Field form={form} name="withdrawReason" label={t('releases.withdrawReason')} hint={t('releases.reasonHint')} multiline maxLength={1000} required />
      <div class="actions">
        <button type="submit" class="danger" disabled={form.busy} data-testid="withdraw-submit">{t('releases.withdraw')}</button>
      </div>
    </form>
  );
}

/** Publish (disclosure officers): enabled only for an approved release that passed its check. */
function PublishPanel({ r, onDone }: { r: Release; onDone(next: Release): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ready = r.status === 'approved' && r.check.passed;
  const why: MessageKey | null = !r.check.passed ? 'releases.publishBlockedCheck' : r.status === 'prepared' ? 'releases.publishBlockedApproval' : null;
  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await post<Release>(`${apiPath(r.id)}/publish`, {}, DISCLOSURE));
    } catch (err) {
      setError(refusal(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="card" data-testid="publish-panel">
      <h2>{t('releases.publishTitle')}</h2>
      <p class="muted">{t(r.type === 'research_extract' ? 'releases.publishExtract' : 'releases.publishIntro')}</p>
      {why ? <p class={r.check.passed ? 'muted' : 'field-error'} data-testid="publish-blocked">{t(why)}</p> : null}
      <FormError message={error} />
      <div class="actions">
        <button type="button" class="primary" disabled={!ready || busy} onClick={() => void publish()} data-testid="publish">{t('releases.publish')}</button>
      </div>
    </div>
  );
}

function ExtractPanel({ r }: { r: Release }) {
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setError(null);
    try {
      const signed = await get<unknown>(`${apiPath(r.id)}/extract`, DISCLOSURE);
      saveFile(new Blob([JSON.stringify(signed, null, 2)], { type: 'application/json' }), `research-extract-${r.id}.json`);
    } catch (err) {
      setError(refusal(err));
    }
  };
  return (
    <div class="card" data-testid="extract-panel">
      <h2>{t('releases.extractTitle')}</h2>
      <p class="muted">{t('releases.extractIntro', { recipient: r.recipient ?? '' })}</p>
      <FormError message={error} />
      <button type="button" onClick={() => void download()} data-testid="extract-download">{t('releases.extractDownload')}</button>
    </div>
  );
}

/** `/releases/:id`: exactly what will be public, the check and the risk report, and the next step. */
export function ReleaseDetailPage({ id }: { id: string }) {
  const l = useStore(lang);
  const s = useStore(session);
  const role = s?.account.role ?? '';
  const me = s?.account.id ?? '';
  const [r, setR] = useState<Release | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<MessageKey | null>(null);
  useEffect(() => {
    let live = true;
    get<Release>(apiPath(id), DISCLOSURE).then((x) => live && setR(x), (err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [id]);
  if (error) return <section class="card narrow" data-testid="no-access"><FormError message={error} /><Link href={PATHS.releases}>{t('releases.back')}</Link></section>;
  if (!r) return <p>{t('app.loading')}</p>;
  const mine = r.preparedBy === me;
  const after = (key: MessageKey) => (next: Release) => {
    setR(next);
    setDone(key);
  };
  return (
    <section aria-labelledby="release-title" data-testid="release-page">
      <div class="page-head">
        <h1 id="release-title">{label('releaseType', r.type)} <StatusBadge status={r.status} /></h1>
        <Link href={PATHS.releases}>{t('releases.back')}</Link>
      </div>
      <DisclosurePurposeNotice />
      {done ? <Notice kind="ok"><span data-testid="release-done">{t(done)}</span></Notice> : null}
      <CheckResult r={r} />
      <div class="card">
        <dl class="facts">
          <div class="kv"><dt>{t('releases.id')}</dt><dd><code data-testid="release-id">{r.id}</code></dd></div>
          <div class="kv"><dt>{t('releases.jurisdiction')}</dt><dd>{r.jurisdictionCode}</dd></div>
          <div class="kv"><dt>{t('releases.standard')}</dt><dd>{r.standardVersion}</dd></div>
          {r.recipient ? <div class="kv"><dt>{t('releases.recipient')}</dt><dd>{r.recipient}</dd></div> : null}
          <div class="kv"><dt>{t('releases.preparedBy')}</dt><dd><code>{r.preparedBy}</code>{mine ? ` (${t('releases.you')})` : ''} · {dateTime(r.preparedAt)}</dd></div>
          <div class="kv"><dt>{t('releases.approvals')}</dt><dd data-testid="approvals">{r.approvals.length ? r.approvals.map((a) => `${a.by} · ${dateTime(a.at)}`).join('; ') : t('releases.noApproval')}</dd></div>
          {r.publishedAt ? <div class="kv"><dt>{t('releases.publishedAt')}</dt><dd>{dateTime(r.publishedAt)}</dd></div> : null}
          {r.withdrawnAt ? <div class="kv"><dt>{t('releases.withdrawnAt')}</dt><dd>{dateTime(r.withdrawnAt)}</dd></div> : null}
          <div class="kv"><dt>{t('releases.expiresAt')}</dt><dd>{r.expiresAt ? dateTime(r.expiresAt) : t('releases.noExpiry')}</dd></div>
        </dl>
      </div>

      <h2>{t(r.type === 'research_extract' ? 'releases.previewTitleExtract' : 'releases.previewTitle')}</h2>
      <p class="muted">{t('releases.previewIntro')}</p>
      <PreviewTable r={r} />
      <KeyValues values={r.preview.meta} testId="preview-meta" caption={t('releases.meta')} />
      <div class="card notice-text" data-testid="release-notice">
        <h3>{t('releases.notice')}</h3>
        <p lang={l === 'zh' ? 'zh-CN' : 'en'}>{l === 'zh' ? r.notice.zh : r.notice.en}</p>
        <p class="muted" lang={l === 'zh' ? 'en' : 'zh-CN'}>{l === 'zh' ? r.notice.en : r.notice.zh}</p>
      </div>

      <h2>{t('releases.riskTitle')}</h2>
      <KeyValues values={r.risk} testId="risk-report" caption={t('releases.riskCaption')} />

      {r.status === 'prepared' && (role === 'approver' || mine) ? <ApproveForm r={r} mine={mine} onDone={after('releases.approved')} /> : null}
      {role === 'disclosure_officer' && (r.status === 'prepared' || r.status === 'approved') ? <PublishPanel r={r} onDone={after('releases.published')} /> : null}
      {role === 'disclosure_officer' && r.type === 'research_extract' && r.status === 'published' ? <ExtractPanel r={r} /> : null}
      {(role === 'disclosure_officer' || role === 'approver') && r.status !== 'withdrawn' ? <WithdrawForm r={r} onDone={after('releases.withdrawn')} /> : null}
    </section>
  );
}
