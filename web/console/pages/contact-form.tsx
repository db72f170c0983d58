/** Add a close contact to a case (a new person or a registered person's id), or edit the exposure. */
import { useEffect, useState } from 'preact/hooks';
import { EXPOSURE_TYPES } from '../../../src/domain/model.ts';
import { get, patch, post, seg } from '../api.ts';
import { Field, FormError, SelectField, errorMessage, useForm } from '../form.tsx';
import type { Form, Values } from '../form.tsx';
import { label, t } from '../i18n.ts';
import type { MessageKey } from '../i18n.ts';
import { navigate } from '../router.tsx';
import type { ContactView } from '../../../src/domain/views/cases.ts';
import type { Page } from '../../../src/domain/views/page.ts';
import { dateProblem } from '../validate.ts';
import { itemsOf } from '../format.ts';
import { PERSON_ALIASES, PERSON_FIELDS, PERSON_SPEC, PersonFields, personBody, personProblems } from './person-fields.tsx';

const EXPOSURE_FIELDS = { 'exposure.exposureType': 'household', 'exposure.exposureDate': '', 'exposure.setting': '', 'exposure.quarantineStart': '', 'exposure.quarantineEnd': '' };
const EXPOSURE_SPEC = {
  'exposure.exposureDate': { required: true, checks: [dateProblem] },
  'exposure.quarantineStart': { checks: [dateProblem] },
  'exposure.quarantineEnd': { checks: [dateProblem] },
};
const EXPOSURE_ALIASES: Record<string, string> = {
  exposureType: 'exposure.exposureType', exposureDate: 'exposure.exposureDate', setting: 'exposure.setting',
  quarantineStart: 'exposure.quarantineStart', quarantineEnd: 'exposure.quarantineEnd',
};

function order(v: Values<string>): Record<string, MessageKey> {
  const s = v['exposure.quarantineStart'];
  const e = v['exposure.quarantineEnd'];
  return s && e && e < s ? { 'exposure.quarantineEnd': 'v.dateOrder' } : {};
}

function ExposureFields({ form }: { form: Form<string> }) {
  return (
    <div class="grid">
      <SelectField form={form} name="exposure.exposureType" label={t('field.exposureType')} required options={EXPOSURE_TYPES.map((x) => ({ value: x, label: label('exposure', x) }))} />
      <Field form={form} name="exposure.exposureDate" type="date" label={t('field.exposureDate')} required />
      <Field form={form} name="exposure.setting" label={t('field.setting')} maxLength={200} />
      <Field form={form} name="exposure.quarantineStart" type="date" label={t('field.quarantineStart')} />
      <Field form={form} name="exposure.quarantineEnd" type="date" label={t('field.quarantineEnd')} />
    </div>
  );
}

function NewContact({ caseId }: { caseId: string }) {
  const form = useForm<string>({ subjectId: '', ...PERSON_FIELDS, ...EXPOSURE_FIELDS }, { ...PERSON_SPEC, ...EXPOSURE_SPEC }, { ...PERSON_ALIASES, ...EXPOSURE_ALIASES });
  const usesExisting = form.values.subjectId.trim() !== '';
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async () => {
      const v = form.values;
      const exposure: Record<string, string> = {};
      for (const k of Object.keys(EXPOSURE_FIELDS)) if (v[k].trim()) exposure[k.slice('exposure.'.length)] = v[k].trim();
      const body = usesExisting ? { subjectId: v.subjectId.trim(), exposure } : { person: personBody(v), exposure };
      await post(`/api/cases/${seg(caseId)}/contacts`, body);
      navigate(`/cases/${seg(caseId)}`, null, true);
    }, (v) => ({ ...personProblems(v, v.subjectId.trim() !== ''), ...order(v) }));
  };
  return (
    <section aria-labelledby="contact-form-title">
      <h1 id="contact-form-title">{t('contactForm.newTitle')}</h1>
      <form onSubmit={onSubmit} noValidate class="card" data-testid="contact-form">
        <h2>{t('caseForm.personSection')}</h2>
        <p class="muted">{t('caseForm.existingOrNew')}</p>
        <Field form={form} name="subjectId" label={t('field.subjectId')} maxLength={128} />
        {usesExisting ? null : <PersonFields form={form} />}
        <h2>{t('contactForm.exposure')}</h2>
        <ExposureFields form={form} />
        <FormError message={form.formError} />
        <div class="actions">
          <button type="submit" class="primary" disabled={form.busy}>{t('common.save')}</button>
          <button type="button" onClick={() => history.back()}>{t('common.cancel')}</button>
        </div>
      </form>
    </section>
  );
}

function EditContact({ caseId, contact }: { caseId: string; contact: ContactView }) {
  const x = contact.exposure;
  const initial: Record<string, string> = {
    'exposure.exposureType': x.exposureType, 'exposure.exposureDate': x.exposureDate, 'exposure.setting': x.setting ?? '',
    'exposure.quarantineStart': x.quarantineStart ?? '', 'exposure.quarantineEnd': x.quarantineEnd ?? '',
  };
  const form = useForm<string>(initial, EXPOSURE_SPEC, EXPOSURE_ALIASES);
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async () => {
      const body: Record<string, string | null> = {};
      for (const k of Object.keys(initial)) {
        const now = form.values[k].trim();
        if (now !== initial[k]) body[k.slice('exposure.'.length)] = now === '' ? null : now;
      }
      if (Object.keys(body).length > 0) await patch(`/api/contacts/${seg(contact.id)}`, body);
      navigate(`/cases/${seg(caseId)}`, null, true);
    }, order);
  };
  return (
    <section aria-labelledby="contact-form-title">
      <h1 id="contact-form-title">{t('contactForm.editTitle')}</h1>
      <form onSubmit={onSubmit} noValidate class="card" data-testid="contact-form">
        <ExposureFields form={form} />
        <FormError message={form.formError} />
        <div class="actions">
          <button type="submit" class="primary" disabled={form.busy}>{t('common.save')}</button>
          <button type="button" onClick={() => history.back()}>{t('common.cancel')}</button>
        </div>
      </form>
    </section>
  );
}

export function ContactFormPage({ caseId, contactId }: { caseId: string; contactId?: string }) {
  const [contact, setContact] = useState<ContactView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!contactId) return;
    get<Page<ContactView>>(`/api/cases/${seg(caseId)}/contacts`).then((r) => {
      const found = itemsOf(r).find((c) => c.id === contactId);
      if (found) setContact(found);
      else setError(t('e.notFound'));
    }, (err: unknown) => setError(errorMessage(err)));
  }, [caseId, contactId]);
  if (!contactId) return <NewContact caseId={caseId} />;
  if (error) return <FormError message={error} />;
  return contact ? <EditContact caseId={caseId} contact={contact} /> : <p>{t('app.loading')}</p>;
}
