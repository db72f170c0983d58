/**
 * What a tracer or investigator does with one close contact's quarantine, beside the daily
 * follow-up (pages/tracing.tsx `FollowUp`; docs/TRACING.md "Follow-up"):
 *
 * - **Call**: the contact's phone number revealed to call them, with a reason (audited with it);
 *   the number is shown once, with a countdown until the 15-minute grant expires, and lives only in
 *   this component's memory (like reveal.tsx);
 * - **Extend** by a number of days, with a reason; **End** with a reason code (a note for “other”);
 * - **Convert to a case** (purpose `case_investigation`, whatever the header says): the new case's
 *   page opens;
 * - **Secondary contacts** (contacts of this close contact): the list (masked) and a form to record
 *   one, a registered person by id or a new person, with the exposure.
 *
 * The buttons follow the quarantine's `abilities` as the server computed them; the server decides
 * every request again. Every form checks its fields in the browser and shows the server's 400
 * `field` answers under the field they name.
 */
import { useEffect, useState } from 'preact/hooks';
import { CLASSIFICATIONS, EXPOSURE_TYPES } from '../../../src/domain/model.ts';
import { END_REASONS } from '../../../src/domain/views/tracing.ts';
import type { ConvertedView as Converted, QuarantineView as QuarantineDetail, SecondaryContactView as SecondaryContact } from '../../../src/domain/views/tracing.ts';
import { ApiError, get, post, seg } from '../api.ts';
import { Field, FormError, Notice, SelectField, errorMessage, useForm } from '../form.tsx';
import type { Values } from '../form.tsx';
import { label, t } from '../i18n.ts';
import type { MessageKey } from '../i18n.ts';
import { Countdown } from '../reveal.tsx';
import { navigate } from '../router.tsx';
import { dateProblem } from '../validate.ts';
import { noteProblem } from './audit-shared.tsx';
import { MaskedName } from './case-list.tsx';
import { PERSON_ALIASES, PERSON_FIELDS, PERSON_SPEC, PersonFields, personBody, personProblems } from './person-fields.tsx';
import { FOLLOW_UP, INVESTIGATION, TRACING, chinaDate } from './tracing-shared.ts';

type Action = 'call' | 'extend' | 'end' | 'convert';

const notFuture = (today: string) => (v: string): MessageKey | null => (v > today ? 'v.future' : null);

// ---- call: reveal the phone number --------------------------------------------------------------

function CallForm({ q, onCancel }: { q: QuarantineDetail; onCancel(): void }) {
  const form = useForm<'callReason'>({ callReason: '' }, { callReason: { required: true, checks: [noteProblem] } }, { reason: 'callReason' });
  const [shown, setShown] = useState<{ value: string | null; until: number } | null>(null);
  const submit = () => form.submit(async () => {
    const r = await post<{ value: string | null; expiresAt: string }>(`/api/quarantines/${seg(q.id)}/reveal-phone`, { reason: form.values.callReason.trim() }, FOLLOW_UP);
    form.set('callReason', '');
    setShown({ value: r.value, until: Date.parse(r.expiresAt) });
  });
  if (shown) {
    return (
      <div class="tracing-form" data-testid="call-phone">
        <h4>{t('tracing.call.title')}</h4>
        <p>
          <span class="value clear" data-testid="call-phone-value">{shown.value ?? t('tracing.call.noPhone')}</span>{' '}
          <Countdown until={shown.until} onExpired={() => { setShown(null); onCancel(); }} />{' '}
          <button type="button" class="link" onClick={() => { setShown(null); onCancel(); }}>{t('reveal.hide')}</button>
        </p>
        <p class="hint">{t('tracing.call.once')}</p>
      </div>
    );
  }
  return (
    <form class="tracing-form" noValidate data-testid="call-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h4>{t('tracing.call.title')}</h4>
      <Field form={form} name="callReason" label={t('tracing.call.reason')} hint={t('tracing.call.hint')} maxLength={500} multiline required />
      <FormError message={form.formError} />
      <div class="actions">
        <button type="submit" class="primary" disabled={form.busy}>{t('tracing.call.submit')}</button>
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

// ---- extend, end --------------------------------------------------------------------------------

const wholeDays: (v: string) => MessageKey | null = (v) => (/^\d{1,2}$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 60 ? null : 'tracing.v.days');

function ExtendForm({ q, onDone, onCancel }: { q: QuarantineDetail; onDone(q: QuarantineDetail): void; onCancel(): void }) {
  const form = useForm<'extendDays' | 'extendReason'>({ extendDays: '7', extendReason: '' },
    { extendDays: { required: true, checks: [wholeDays] }, extendReason: { required: true, checks: [noteProblem] } }, { days: 'extendDays', reason: 'extendReason' });
  const submit = () => form.submit(async () => {
    onDone(await post<QuarantineDetail>(`/api/quarantines/${seg(q.id)}/extend`, { days: Number(form.values.extendDays.trim()), reason: form.values.extendReason.trim() }, FOLLOW_UP));
  });
  return (
    <form class="tracing-form" noValidate data-testid="extend-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h4>{t('tracing.extend.title')}</h4>
      <div class="grid">
        <Field form={form} name="extendDays" label={t('tracing.extend.days')} type="number" inputMode="numeric" hint={t('tracing.extend.daysHint', { end: q.quarantineEnd ?? t('common.none') })} required />
        <Field form={form} name="extendReason" label={t('tracing.extend.reason')} hint={t('tracing.reasonHint')} maxLength={500} required />
      </div>
      <FormError message={form.formError} />
      <div class="actions">
        <button type="submit" class="primary" disabled={form.busy}>{t('tracing.extend.submit')}</button>
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

function EndForm({ q, onDone, onCancel }: { q: QuarantineDetail; onDone(q: QuarantineDetail): void; onCancel(): void }) {
  type F = 'endReason' | 'endNote';
  const form = useForm<F>({ endReason: 'completed', endNote: '' }, { endReason: { required: true } }, { reason: 'endReason', note: 'endNote' });
  const noteNeeded = (v: Values<F>): Partial<Record<F, MessageKey>> => {
    if (v.endReason !== 'other') return {};
    return v.endNote.trim() ? (noteProblem(v.endNote) ? { endNote: 'v.note' } : {}) : { endNote: 'tracing.v.noteForOther' };
  };
  const early = q.quarantineEnd !== null && q.quarantineEnd > chinaDate(Date.now());
  const submit = () => form.submit(async () => {
    const note = form.values.endNote.trim();
    onDone(await post<QuarantineDetail>(`/api/quarantines/${seg(q.id)}/end`, { reason: form.values.endReason, ...(note ? { note } : {}) }, FOLLOW_UP));
  }, noteNeeded);
  return (
    <form class="tracing-form" noValidate data-testid="end-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h4>{t('tracing.end.title')}</h4>
      {early ? <p class="hint">{t('tracing.end.early')}</p> : null}
      <div class="grid">
        <SelectField form={form} name="endReason" label={t('tracing.end.reason')} required options={END_REASONS.map((x) => ({ value: x, label: label('trEnd', x) }))} />
        <Field form={form} name="endNote" label={t('tracing.end.note')} hint={t('tracing.dismiss.noteHint')} maxLength={500} />
      </div>
      <FormError message={form.formError} />
      <div class="actions">
        <button type="submit" class="danger" disabled={form.busy}>{t('tracing.end.submit')}</button>
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

// ---- convert to a case --------------------------------------------------------------------------

function ConvertForm({ q, onCancel }: { q: QuarantineDetail; onCancel(): void }) {
  type F = 'classification' | 'reportDate' | 'onsetDate' | 'confirmationDate';
  const today = chinaDate(Date.now());
  const dated = { checks: [dateProblem, notFuture(today)] };
  const form = useForm<F>({ classification: 'confirmed', reportDate: today, onsetDate: '', confirmationDate: today },
    { classification: { required: true }, reportDate: { required: true, ...dated }, onsetDate: dated, confirmationDate: dated });
  const crossChecks = (v: Values<F>): Partial<Record<F, MessageKey>> => {
    const e: Partial<Record<F, MessageKey>> = {};
    if (v.onsetDate && v.reportDate && v.onsetDate > v.reportDate) e.onsetDate = 'tracing.v.onsetAfterReport';
    if (v.confirmationDate.trim() && v.classification !== 'confirmed') e.confirmationDate = 'tracing.v.confirmationOnlyConfirmed';
    return e;
  };
  const submit = () => form.submit(async () => {
    const v = form.values;
    const r = await post<Converted>(`/api/quarantines/${seg(q.id)}/convert`, {
      classification: v.classification, reportDate: v.reportDate, onsetDate: v.onsetDate || null, confirmationDate: v.confirmationDate || null,
    }, INVESTIGATION);
    navigate(`/cases/${seg(r.newCaseId)}`);
  }, crossChecks);
  return (
    <form class="tracing-form" noValidate data-testid="convert-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h4>{t('tracing.convert.title')}</h4>
      <p class="hint">{t('tracing.convert.intro')}</p>
      <div class="grid">
        <SelectField form={form} name="classification" label={t('cases.classification')} required options={CLASSIFICATIONS.map((c) => ({ value: c, label: label('class', c) }))} />
        <Field form={form} name="reportDate" label={t('cases.reportDate')} type="date" required />
        <Field form={form} name="onsetDate" label={t('case.onsetDate')} type="date" />
        <Field form={form} name="confirmationDate" label={t('case.confirmationDate')} type="date" hint={t('tracing.convert.confirmationHint')} />
      </div>
      <FormError message={form.formError} />
      <div class="actions">
        <button type="submit" class="primary" disabled={form.busy}>{t('tracing.convert.submit')}</button>
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

/** The action buttons of an active quarantine and the form of the one chosen. */
export function QuarantineActions({ q, onChanged }: { q: QuarantineDetail; onChanged(q: QuarantineDetail, done: MessageKey): void }) {
  const [open, setOpen] = useState<Action | null>(null);
  const button = (a: Action, allowed: boolean, key: MessageKey) => (allowed ? (
    <button type="button" class="small" data-testid={`q-${a}`} aria-expanded={open === a} onClick={() => setOpen(open === a ? null : a)}>{t(key)}</button>
  ) : null);
  const active = q.status === 'active';
  const close = () => setOpen(null);
  if (!active && !q.abilities.reveal) return null;
  return (
    <div class="q-actions" data-testid="quarantine-actions">
      <div class="actions">
        {button('call', q.abilities.reveal, 'tracing.call.button')}
        {button('extend', active && q.abilities.extend, 'tracing.extend.button')}
        {button('end', active && q.abilities.end, 'tracing.end.button')}
        {button('convert', active && q.abilities.convert, 'tracing.convert.button')}
      </div>
      {open === 'call' ? <CallForm q={q} onCancel={close} /> : null}
      {open === 'extend' ? <ExtendForm q={q} onCancel={close} onDone={(r) => { close(); onChanged(r, 'tracing.extend.done'); }} /> : null}
      {open === 'end' ? <EndForm q={q} onCancel={close} onDone={(r) => { close(); onChanged(r, 'tracing.end.done'); }} /> : null}
      {open === 'convert' ? <ConvertForm q={q} onCancel={close} /> : null}
    </div>
  );
}

// ---- secondary contacts -------------------------------------------------------------------------

const SECONDARY_FIELDS = { subjectId: '', 'exposure.exposureType': 'household', 'exposure.exposureDate': '', 'exposure.setting': '' };

function SecondaryForm({ contactId, onAdded, onCancel }: { contactId: string; onAdded(s: SecondaryContact): void; onCancel(): void }) {
  const today = chinaDate(Date.now());
  const form = useForm<string>({ ...SECONDARY_FIELDS, ...PERSON_FIELDS },
    { ...PERSON_SPEC, 'exposure.exposureType': { required: true }, 'exposure.exposureDate': { required: true, checks: [dateProblem, notFuture(today)] } },
    { ...PERSON_ALIASES, exposureType: 'exposure.exposureType', exposureDate: 'exposure.exposureDate', setting: 'exposure.setting' });
  const existing = form.values.subjectId.trim() !== '';
  const submit = () => form.submit(async () => {
    const v = form.values;
    const exposure = { exposureType: v['exposure.exposureType'], exposureDate: v['exposure.exposureDate'], setting: v['exposure.setting'].trim() || null };
    const body = existing ? { subjectId: v.subjectId.trim(), exposure } : { person: personBody(v), exposure };
    onAdded(await post<SecondaryContact>(`/api/contacts/${seg(contactId)}/secondary-contacts`, body, TRACING));
  }, (v) => personProblems(v, v.subjectId.trim() !== ''));
  return (
    <form class="tracing-form" noValidate data-testid="secondary-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h4>{t('tracing.secondary.addTitle')}</h4>
      <p class="hint">{t('caseForm.existingOrNew')}</p>
      <Field form={form} name="subjectId" label={t('field.subjectId')} maxLength={128} />
      {existing ? null : <PersonFields form={form} />}
      <div class="grid">
        <SelectField form={form} name="exposure.exposureType" label={t('field.exposureType')} required options={EXPOSURE_TYPES.map((x) => ({ value: x, label: label('exposure', x) }))} />
        <Field form={form} name="exposure.exposureDate" type="date" label={t('field.exposureDate')} required />
        <Field form={form} name="exposure.setting" label={t('field.setting')} maxLength={200} />
      </div>
      <FormError message={form.formError} />
      <div class="actions">
        <button type="submit" class="primary" disabled={form.busy}>{t('tracing.secondary.submit')}</button>
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

/** The contacts of a close contact (purpose `contact_tracing`), masked, and the form to record one. */
export function SecondaryContacts({ contactId }: { contactId: string }) {
  const [items, setItems] = useState<SecondaryContact[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    get<{ items: SecondaryContact[] }>(`/api/contacts/${seg(contactId)}/secondary-contacts`, TRACING).then(
      (r) => { setItems(r.items); setError(null); },
      (err: unknown) => setError(err instanceof ApiError && err.status === 404 ? t('tracing.noAccess') : errorMessage(err)),
    );
  }, [contactId]);
  return (
    <div class="secondary" data-testid="secondary-contacts">
      <h4>{t('tracing.secondary.title')}</h4>
      <FormError message={error} />
      {items && items.length === 0 ? <p class="empty">{t('tracing.secondary.none')}</p> : null}
      {items && items.length > 0 ? (
        <table class="list compact" data-testid="secondary-list">
          <thead><tr><th scope="col">{t('cases.person')}</th><th scope="col">{t('field.exposureType')}</th><th scope="col">{t('field.exposureDate')}</th><th scope="col">{t('field.setting')}</th></tr></thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} data-secondary={s.id}>
                <td><MaskedName view={s.subject.identity.name} /></td>
                <td>{label('exposure', s.exposure.exposureType)}</td>
                <td>{s.exposure.exposureDate}</td>
                <td>{s.exposure.setting ?? t('common.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {saved ? <Notice kind="ok">{t('tracing.secondary.saved')}</Notice> : null}
      {items && !adding ? <button type="button" class="small" data-testid="add-secondary" onClick={() => { setAdding(true); setSaved(false); }}>{t('tracing.secondary.add')}</button> : null}
      {adding ? <SecondaryForm contactId={contactId} onCancel={() => setAdding(false)} onAdded={(s) => { setItems((old) => [...(old ?? []), s]); setAdding(false); setSaved(true); }} /> : null}
    </div>
  );
}
