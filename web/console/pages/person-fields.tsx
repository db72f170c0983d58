/**
 * The fields of a new person (a case's or a contact's), named by their path in the request body
 * (`person.phone`), so that the server's 400 `field` lands next to the right input.
 */
import { DOCUMENT_TYPES, SEXES } from '../../../src/domain/model.ts';
import { Field, SelectField } from '../form.tsx';
import type { FieldSpec, Form, Values } from '../form.tsx';
import { DISTRICTS, districtName, label, t } from '../i18n.ts';
import type { MessageKey } from '../i18n.ts';
import { dateProblem, phoneProblem, residentIdProblem } from '../validate.ts';

export const PERSON_FIELDS = {
  'person.name': '', 'person.documentType': 'resident_id', 'person.documentNumber': '', 'person.documentCountry': '',
  'person.phone': '', 'person.address': '', 'person.birthDate': '', 'person.sex': 'F', 'person.occupation': '',
  'person.employer': '', 'person.districtCode': '', 'person.streetCode': '',
};

/** Required unless an existing person id is given instead (checked in `personProblems`). */
export const PERSON_SPEC: Record<string, FieldSpec> = {
  'person.phone': { checks: [phoneProblem] },
  'person.birthDate': { checks: [dateProblem, (v) => (v > new Date().toISOString().slice(0, 10) ? 'v.future' : null)] },
  'person.districtCode': { checks: [(v) => (/^\d{6}$/.test(v) ? null : 'v.district')] },
  'person.streetCode': { checks: [(v) => (/^\d{9}$/.test(v) ? null : 'v.district')] },
};

/** Server field names (line-list columns, as the import's validator names them) for these inputs. */
export const PERSON_ALIASES: Record<string, string> = {
  id_number: 'person.documentNumber', document_type: 'person.documentType', document_country: 'person.documentCountry',
  birth_date: 'person.birthDate', district_code: 'person.districtCode', street_code: 'person.streetCode',
};

const REQUIRED = ['person.name', 'person.documentNumber', 'person.phone', 'person.address', 'person.birthDate', 'person.districtCode'];

/** Checks that need more than one field: required fields of a new person, the ID number's check digit. */
export function personProblems(v: Values<string>, usesExisting: boolean): Record<string, MessageKey> {
  if (usesExisting) return {};
  const found: Record<string, MessageKey> = {};
  for (const k of REQUIRED) if (!v[k]?.trim()) found[k] = 'v.required';
  if (v['person.documentType'] === 'resident_id' && v['person.documentNumber']?.trim()) {
    const p = residentIdProblem(v['person.documentNumber']);
    if (p) found['person.documentNumber'] = p;
  }
  if (v['person.documentType'] === 'passport' && !/^[A-Za-z]{3}$/.test(v['person.documentCountry'] ?? '')) found['person.documentCountry'] = 'v.required';
  return found;
}

/** The `person` object of a request body, without empty optional fields. */
export function personBody(v: Values<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(PERSON_FIELDS)) {
    const value = v[key]?.trim() ?? '';
    if (value === '') continue;
    if (key === 'person.documentCountry' && v['person.documentType'] !== 'passport') continue;
    out[key.slice('person.'.length)] = key === 'person.documentCountry' ? value.toUpperCase() : value;
  }
  return out;
}

export function PersonFields({ form }: { form: Form<string> }) {
  const docType = form.values['person.documentType'];
  return (
    <div class="grid">
      <Field form={form} name="person.name" label={t('field.name')} required />
      <SelectField form={form} name="person.sex" label={t('field.sex')} options={SEXES.map((s) => ({ value: s, label: label('sex', s) }))} required />
      <SelectField form={form} name="person.documentType" label={t('field.documentType')} options={DOCUMENT_TYPES.map((d) => ({ value: d, label: label('doc', d) }))} required />
      <Field form={form} name="person.documentNumber" label={t('field.document')} required maxLength={40} />
      {docType === 'passport' ? <Field form={form} name="person.documentCountry" label={t('field.documentCountry')} maxLength={3} placeholder="CHN" required /> : null}
      <Field form={form} name="person.birthDate" type="date" label={t('field.birthDate')} required />
      <Field form={form} name="person.phone" type="tel" label={t('field.phone')} placeholder="+8613800000000" required />
      <Field form={form} name="person.address" label={t('field.address')} required />
      <SelectField form={form} name="person.districtCode" label={t('field.district')} required
        options={[{ value: '', label: '—' }, ...DISTRICTS.map((d) => ({ value: d.code, label: `${districtName(d.code)} (${d.code})` }))]} />
      <Field form={form} name="person.streetCode" label={t('field.street')} inputMode="numeric" maxLength={9} />
      <Field form={form} name="person.occupation" label={`${t('field.occupation')} (${t('common.optional')})`} />
      <Field form={form} name="person.employer" label={`${t('field.employer')} (${t('common.optional')})`} />
    </div>
  );
}
