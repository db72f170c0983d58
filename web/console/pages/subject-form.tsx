/**
 * Edit a person's identity. Fields start empty (their values are masked and are not revealed
 * just to edit them); only the fields filled in are sent.
 */
import { DOCUMENT_TYPES, SEXES } from '../../../src/domain/model.ts';
import { patch, seg } from '../api.ts';
import { Field, FormError, SelectField, useForm } from '../form.tsx';
import { label, t } from '../i18n.ts';
import type { MessageKey } from '../i18n.ts';
import { navigate } from '../router.tsx';
import { dateProblem, phoneProblem, residentIdProblem } from '../validate.ts';

const FIELDS = {
  name: '', documentType: '', documentNumber: '', documentCountry: '', phone: '', address: '', birthDate: '', sex: '', occupation: '', employer: '',
};
type Key = keyof typeof FIELDS;

export function SubjectFormPage({ caseId, subjectId }: { caseId: string; subjectId: string }) {
  const form = useForm<Key>(FIELDS, {
    phone: { checks: [phoneProblem] },
    birthDate: { checks: [dateProblem] },
  }, { id_number: 'documentNumber', birth_date: 'birthDate', document_type: 'documentType', document_country: 'documentCountry' });

  const extra = (v: typeof FIELDS): Partial<Record<Key, MessageKey>> => {
    const found: Partial<Record<Key, MessageKey>> = {};
    if (v.documentNumber.trim() && !v.documentType) found.documentType = 'v.required';
    if (v.documentType === 'resident_id' && v.documentNumber.trim()) {
      const p = residentIdProblem(v.documentNumber);
      if (p) found.documentNumber = p;
    }
    if (v.documentType && !v.documentNumber.trim()) found.documentNumber = 'v.required';
    return found;
  };

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async () => {
      const body: Record<string, string> = {};
      for (const k of Object.keys(FIELDS) as Key[]) {
        const v = form.values[k].trim();
        if (v) body[k] = k === 'documentCountry' ? v.toUpperCase() : v;
      }
      if (Object.keys(body).length > 0) await patch(`/api/subjects/${seg(subjectId)}`, body);
      navigate(`/cases/${seg(caseId)}`, null, true);
    }, extra);
  };

  const unchanged = t('field.unchanged');
  return (
    <section aria-labelledby="subject-form-title">
      <h1 id="subject-form-title">{t('subjectForm.title')}</h1>
      <p class="muted">{t('subjectForm.intro')}</p>
      <form onSubmit={onSubmit} noValidate class="card" data-testid="subject-form">
        <div class="grid">
          <Field form={form} name="name" label={t('field.name')} placeholder={unchanged} />
          <SelectField form={form} name="sex" label={t('field.sex')} options={[{ value: '', label: unchanged }, ...SEXES.map((s) => ({ value: s, label: label('sex', s) }))]} />
          <SelectField form={form} name="documentType" label={t('field.documentType')} options={[{ value: '', label: unchanged }, ...DOCUMENT_TYPES.map((d) => ({ value: d, label: label('doc', d) }))]} />
          <Field form={form} name="documentNumber" label={t('field.document')} placeholder={unchanged} maxLength={40} />
          {form.values.documentType === 'passport' ? <Field form={form} name="documentCountry" label={t('field.documentCountry')} placeholder="CHN" maxLength={3} /> : null}
          <Field form={form} name="birthDate" type="date" label={t('field.birthDate')} />
          <Field form={form} name="phone" type="tel" label={t('field.phone')} placeholder={unchanged} />
          <Field form={form} name="address" label={t('field.address')} placeholder={unchanged} />
          <Field form={form} name="occupation" label={t('field.occupation')} placeholder={unchanged} />
          <Field form={form} name="employer" label={t('field.employer')} placeholder={unchanged} />
        </div>
        <FormError message={form.formError} />
        <div class="actions">
          <button type="submit" class="primary" disabled={form.busy}>{t('common.save')}</button>
          <button type="button" onClick={() => history.back()}>{t('common.cancel')}</button>
        </div>
      </form>
    </section>
  );
}
