/**
 * Create a case (a new person, or a registered person's id) or edit a case's classification,
 * dates and outcome. Client-side checks first; the server's 400 answers are shown by the field.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, patch, post, seg } from '../api.ts';
import { CLASSIFICATIONS, OUTCOMES } from '../../../src/domain/model.ts';
import { Field, FormError, SelectField, errorMessage, useForm } from '../form.tsx';
import type { Form, Values } from '../form.tsx';
import { label, t } from '../i18n.ts';
import type { MessageKey } from '../i18n.ts';
import { navigate } from '../router.tsx';
import type { CaseDetailView as CaseDetail, CreatedCase } from '../../../src/domain/views/cases.ts';
import { dateProblem } from '../validate.ts';
import { PERSON_ALIASES, PERSON_FIELDS, PERSON_SPEC, PersonFields, personBody, personProblems } from './person-fields.tsx';

const today = () => new Date().toISOString().slice(0, 10);
const notFuture = (v: string): MessageKey | null => (v > today() ? 'v.future' : null);

const CASE_FIELDS = {
  'case.classification': 'suspected', 'case.reportDate': '', 'case.onsetDate': '', 'case.confirmationDate': '',
  'case.outcome': '', 'case.source': '', 'case.caseNumber': '',
};
const CASE_SPEC = {
  'case.reportDate': { required: true, checks: [dateProblem, notFuture] },
  'case.onsetDate': { checks: [dateProblem, notFuture] },
  'case.confirmationDate': { checks: [dateProblem, notFuture] },
};
const CASE_ALIASES: Record<string, string> = {
  report_date: 'case.reportDate', onset_date: 'case.onsetDate', confirmation_date: 'case.confirmationDate', case_number: 'case.caseNumber',
  classification: 'case.classification', reportDate: 'case.reportDate', onsetDate: 'case.onsetDate', confirmationDate: 'case.confirmationDate',
  outcome: 'case.outcome', source: 'case.source',
};

function dateOrder(v: Values<string>): Record<string, MessageKey> {
  const onset = v['case.onsetDate'];
  const found: Record<string, MessageKey> = {};
  if (onset && v['case.reportDate'] && onset > v['case.reportDate']) found['case.onsetDate'] = 'v.dateOrder';
  if (onset && v['case.confirmationDate'] && v['case.confirmationDate'] < onset) found['case.confirmationDate'] = 'v.dateOrder';
  return found;
}

function CaseFields({ form, isNew }: { form: Form<string>; isNew: boolean }) {
  return (
    <div class="grid">
      <SelectField form={form} name="case.classification" label={t('cases.classification')} required
        options={CLASSIFICATIONS.map((c) => ({ value: c, label: label('class', c) }))} />
      <Field form={form} name="case.reportDate" type="date" label={t('cases.reportDate')} required />
      <Field form={form} name="case.onsetDate" type="date" label={t('case.onsetDate')} />
      <Field form={form} name="case.confirmationDate" type="date" label={t('case.confirmationDate')} />
      <SelectField form={form} name="case.outcome" label={t('case.outcome')}
        options={[{ value: '', label: '—' }, ...OUTCOMES.map((o) => ({ value: o, label: label('outcome', o) }))]} />
      <Field form={form} name="case.source" label={t('case.source')} maxLength={200} />
      {isNew ? <Field form={form} name="case.caseNumber" label={t('field.caseNumber')} maxLength={40} /> : null}
    </div>
  );
}

function NewCase() {
  const form = useForm<string>({ subjectId: '', ...PERSON_FIELDS, ...CASE_FIELDS, 'case.reportDate': today() },
    { ...PERSON_SPEC, ...CASE_SPEC }, { ...PERSON_ALIASES, ...CASE_ALIASES });
  const usesExisting = form.values.subjectId.trim() !== '';

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async () => {
      const v = form.values;
      const c: Record<string, string> = {};
      for (const k of Object.keys(CASE_FIELDS)) if (v[k].trim()) c[k.slice('case.'.length)] = v[k].trim();
      const body = usesExisting ? { subjectId: v.subjectId.trim(), case: c } : { person: personBody(v), case: c };
      const created = await post<CreatedCase>('/api/cases', body);
      navigate(`/cases/${seg(created.id)}`, null, true);
    }, (v) => ({ ...personProblems(v, v.subjectId.trim() !== ''), ...dateOrder(v) }));
  };

  return (
    <section aria-labelledby="case-form-title">
      <h1 id="case-form-title">{t('caseForm.newTitle')}</h1>
      <form onSubmit={onSubmit} noValidate data-testid="case-form" class="card">
        <h2>{t('caseForm.personSection')}</h2>
        <p class="muted">{t('caseForm.existingOrNew')}</p>
        <Field form={form} name="subjectId" label={t('field.subjectId')} maxLength={128} />
        {usesExisting ? null : <PersonFields form={form} />}
        <h2>{t('caseForm.caseSection')}</h2>
        <CaseFields form={form} isNew />
        <FormError message={form.formError} />
        <div class="actions">
          <button type="submit" class="primary" disabled={form.busy}>{t('caseForm.save')}</button>
          <button type="button" onClick={() => history.back()}>{t('caseForm.cancel')}</button>
        </div>
      </form>
    </section>
  );
}

function EditCase({ c }: { c: CaseDetail }) {
  const initial = {
    'case.classification': c.classification, 'case.reportDate': c.reportDate, 'case.onsetDate': c.onsetDate ?? '',
    'case.confirmationDate': c.confirmationDate ?? '', 'case.outcome': c.outcome ?? '', 'case.source': c.source ?? '', 'case.caseNumber': c.caseNumber,
  };
  const form = useForm<string>(initial, CASE_SPEC, CASE_ALIASES);

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async () => {
      const body: Record<string, string | null> = {};
      for (const k of ['case.classification', 'case.reportDate', 'case.onsetDate', 'case.confirmationDate', 'case.outcome', 'case.source']) {
        const now = form.values[k].trim();
        if (now === initial[k as keyof typeof initial]) continue;
        body[k.slice('case.'.length)] = now === '' ? null : now;
      }
      if (Object.keys(body).length > 0) await patch(`/api/cases/${seg(c.id)}`, body);
      navigate(`/cases/${seg(c.id)}`, null, true);
    }, dateOrder);
  };

  return (
    <section aria-labelledby="case-form-title">
      <h1 id="case-form-title">{t('caseForm.editTitle', { number: c.caseNumber })}</h1>
      <form onSubmit={onSubmit} noValidate data-testid="case-form" class="card">
        <CaseFields form={form} isNew={false} />
        <FormError message={form.formError} />
        <div class="actions">
          <button type="submit" class="primary" disabled={form.busy}>{t('caseForm.save')}</button>
          <button type="button" onClick={() => history.back()}>{t('caseForm.cancel')}</button>
        </div>
      </form>
    </section>
  );
}

export function CaseFormPage({ id }: { id?: string }) {
  const [c, setCase] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (id) get<CaseDetail>(`/api/cases/${seg(id)}`).then(setCase, (err: unknown) => setError(errorMessage(err)));
  }, [id]);
  if (!id) return <NewCase />;
  if (error) return <FormError message={error} />;
  return c ? <EditCase c={c} /> : <p>{t('app.loading')}</p>;
}
