/**
 * The audit log for auditors and the DPO (purpose `audit`): events by account, action, time range
 * and the person concerned, newest first, a page at a time (`before` = the last seq of the page
 * before), a CSV export, and the latest signed checkpoint.
 *
 * The person is chosen by a document number. It goes only in POST bodies (never in the address),
 * is never written to localStorage or sessionStorage, and is cleared from the form once the query
 * has answered; only the filter of the query shown keeps it in memory, for the next page and the
 * export, until the filter is replaced, dropped, or the page is left.
 */
import { useRef, useState } from 'preact/hooks';
import { DOCUMENT_TYPES } from '../../../src/domain/model.ts';
import { post } from '../api.ts';
import { Field, FormError, SelectField, errorMessage, useForm } from '../form.tsx';
import { label, t } from '../i18n.ts';
import type { MessageKey } from '../i18n.ts';
import { residentIdProblem } from '../validate.ts';
import { AUDIT, AuditPurposeNotice, EventsTable, localDate, localToIso, postForFile, saveFile } from './audit-shared.tsx';
import type { AuditEventView as AuditEvent } from '../../../src/domain/views/audit.ts';
import { CheckpointCard } from './audit-checkpoint.tsx';

const PAGE_SIZE = 50;
/** Suggestions for the action filter (docs/AUDIT.md); any action can be typed. */
const ACTIONS = ['read', 'list', 'search', 'reveal', 'create', 'update', 'export', 'assign', 'break_glass', 'review', 'auth.login', 'auth.logout',
  'auth.password_change', 'terms.accept', 'account.create', 'account.disable', 'account.reset', 'import', 'init', 'keys.rotate', 'stats'];

interface AuditFilter {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  document?: { type: string; number: string; country?: string };
}

type FilterField = 'actor' | 'action' | 'from' | 'to' | 'documentType' | 'documentNumber' | 'documentCountry';
const EMPTY: Record<FilterField, string> = { actor: '', action: '', from: '', to: '', documentType: 'resident_id', documentNumber: '', documentCountry: '' };
/** The server's field paths (400 `field`) for the form's fields. */
const ALIASES: Partial<Record<string, FilterField>> = { 'document.number': 'documentNumber', 'document.type': 'documentType', 'document.country': 'documentCountry', number: 'documentNumber', country: 'documentCountry' };

function checks(v: Record<FilterField, string>): Partial<Record<FilterField, MessageKey>> {
  const out: Partial<Record<FilterField, MessageKey>> = {};
  if (v.from && !localToIso(v.from)) out.from = 'v.datetime';
  if (v.to && !localToIso(v.to)) out.to = 'v.datetime';
  if (v.from && v.to && !out.from && !out.to && localToIso(v.to)! <= localToIso(v.from)!) out.to = 'v.timeOrder';
  if (v.documentNumber.trim()) {
    if (v.documentType === 'resident_id') {
      const p = residentIdProblem(v.documentNumber);
      if (p) out.documentNumber = p;
    }
    if (v.documentType === 'passport' && !/^[A-Za-z]{3}$/.test(v.documentCountry.trim())) out.documentCountry = 'v.country';
  }
  return out;
}

function filterOf(v: Record<FilterField, string>): AuditFilter {
  const f: AuditFilter = {};
  if (v.actor.trim()) f.actor = v.actor.trim();
  if (v.action.trim()) f.action = v.action.trim();
  if (v.from) f.from = localToIso(v.from) ?? undefined;
  if (v.to) f.to = localToIso(v.to) ?? undefined;
  if (v.documentNumber.trim()) {
    f.document = { type: v.documentType, number: v.documentNumber.trim() };
    if (v.documentType === 'passport') f.document.country = v.documentCountry.trim().toUpperCase();
  }
  return f;
}

function stamp(d: Date): string {
  return `${localDate(d).replaceAll('-', '')}-${String(d.getHours()).padStart(2, '0')}${String(d.getMinutes()).padStart(2, '0')}`;
}

export function AuditLogPage() {
  const form = useForm<FilterField>(EMPTY, {}, ALIASES);
  /** The filter of the results shown (with the document, in memory only), for paging and export. */
  const active = useRef<AuditFilter | null>(null);
  const [subjectType, setSubjectType] = useState<string | null>(null);
  const [cursors, setCursors] = useState<Array<number | undefined>>([undefined]);
  const [result, setResult] = useState<{ items: AuditEvent[]; next: number | null } | null>(null);
  const [pageError, setPageError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string | null>(null);

  const fetchPage = (filter: AuditFilter, before: number | undefined) =>
    post<{ items: AuditEvent[]; next: number | null }>('/api/audit/events/query', { ...filter, ...(before !== undefined ? { before } : {}), limit: PAGE_SIZE }, AUDIT);

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async () => {
      const filter = filterOf(form.values);
      const page = await fetchPage(filter, undefined);
      active.current = filter;
      setSubjectType(filter.document ? filter.document.type : null);
      setCursors([undefined]);
      setResult(page);
      setPageError(null);
      setExported(null);
      // The number has done its work: it does not stay in the form.
      form.set('documentNumber', '');
    }, checks);
  };

  const goTo = async (next: Array<number | undefined>) => {
    if (!active.current) return;
    try {
      setResult(await fetchPage(active.current, next[next.length - 1]));
      setCursors(next);
      setPageError(null);
    } catch (err) {
      setPageError(errorMessage(err));
    }
  };

  const dropSubject = () => {
    if (!active.current) return;
    const { document: _dropped, ...rest } = active.current;
    active.current = rest;
    setSubjectType(null);
    void goTo([undefined]);
  };

  const exportCsv = async () => {
    if (!active.current || exporting) return;
    setExporting(true);
    setPageError(null);
    try {
      const blob = await postForFile('/api/audit/events/export', active.current);
      const name = `audit-events-${stamp(new Date())}.csv`;
      saveFile(blob, name);
      setExported(name);
    } catch (err) {
      setPageError(errorMessage(err));
    } finally {
      setExporting(false);
    }
  };

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      <p class="muted">{t('audit.intro')}</p>
      <AuditPurposeNotice />
      <form class="card" onSubmit={onSubmit} noValidate data-testid="audit-form" autoComplete="off">
        <div class="grid">
          <Field form={form} name="actor" label={t('audit.actor')} maxLength={128} />
          <div class={`field${form.errors.action ? ' has-error' : ''}`}>
            <label for="f-action">{t('audit.action')}</label>
            <input id="f-action" name="action" list="audit-actions" value={form.values.action} maxLength={64} autoComplete="off"
              onInput={(e) => form.set('action', (e.currentTarget as HTMLInputElement).value)} />
            <datalist id="audit-actions">{ACTIONS.map((a) => <option key={a} value={a} />)}</datalist>
            {form.errors.action ? <div class="field-error" role="alert">{form.errors.action}</div> : null}
          </div>
          <Field form={form} name="from" label={t('audit.from')} type="datetime-local" />
          <Field form={form} name="to" label={t('audit.to')} type="datetime-local" />
        </div>
        <fieldset class="subject">
          <legend>{t('audit.subject')}</legend>
          <p class="hint muted">{t('audit.subjectHint')}</p>
          <div class="grid">
            <SelectField form={form} name="documentType" label={t('field.documentType')} options={DOCUMENT_TYPES.map((d) => ({ value: d, label: label('doc', d) }))} />
            <Field form={form} name="documentNumber" label={t('field.document')} maxLength={64} />
            {form.values.documentType === 'passport' ? <Field form={form} name="documentCountry" label={t('audit.country')} maxLength={3} /> : null}
          </div>
        </fieldset>
        <FormError message={form.formError} />
        <div class="actions">
          <button type="submit" class="primary" disabled={form.busy}>{t('audit.submit')}</button>
          <button type="button" onClick={() => { for (const [k, v] of Object.entries(EMPTY)) form.set(k as FilterField, v); }}>{t('cases.reset')}</button>
        </div>
      </form>
      <FormError message={pageError} />
      {result ? (
        <div data-testid="audit-results">
          {subjectType ? (
            <p class="notice notice-info" data-testid="audit-subject-active">
              {t('audit.activeSubject', { type: label('doc', subjectType) })}{' '}
              <button type="button" class="link" onClick={dropSubject}>{t('audit.clearSubject')}</button>
            </p>
          ) : null}
          <div class="page-head">
            <p class="muted">{t('audit.count', { n: result.items.length })}</p>
            <div class="export">
              <button type="button" onClick={() => void exportCsv()} disabled={exporting} data-testid="audit-export">{t('audit.export')}</button>
              <span class="muted small"> {t('audit.exportNote')}</span>
              {exported ? <span class="ok" role="status"> {t('audit.exported', { file: exported })}</span> : null}
            </div>
          </div>
          {result.items.length ? <EventsTable events={result.items} testId="audit-events" /> : <p class="empty" data-testid="audit-none">{t('audit.none')}</p>}
          <div class="pager">
            <button type="button" disabled={cursors.length <= 1} onClick={() => void goTo(cursors.slice(0, -1))} data-testid="prev-page">{t('audit.newer')}</button>
            <span>{t('cases.page', { n: cursors.length })}</span>
            <button type="button" disabled={result.next === null} onClick={() => void goTo([...cursors, result.next ?? undefined])} data-testid="next-page">{t('audit.older')}</button>
          </div>
        </div>
      ) : null}
      <CheckpointCard />
    </section>
  );
}
