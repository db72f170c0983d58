/**
 * Search by document number, phone or name. The value is sent in a POST body (never in the URL)
 * and is kept only in this page's memory; results are masked and link to cases by id.
 */
import { useState } from 'preact/hooks';
import { DOCUMENT_TYPES } from '../../../src/domain/model.ts';
import { post } from '../api.ts';
import { Field, FormError, SelectField, useForm } from '../form.tsx';
import { districtName, label, t } from '../i18n.ts';
import type { MessageKey } from '../i18n.ts';
import { Link } from '../router.tsx';
import type { SearchMatch } from '../../../src/domain/views/cases.ts';
import { phoneProblem, residentIdProblem } from '../validate.ts';
import { ClassBadge, MaskedName } from './case-list.tsx';

export function SearchPage() {
  const form = useForm({ by: 'document', documentType: 'resident_id', value: '' }, { value: { required: true } });
  const [results, setResults] = useState<SearchMatch[] | null>(null);

  const extra = (v: typeof form.values): Partial<Record<'value', MessageKey>> => {
    if (!v.value.trim()) return {};
    const p = v.by === 'phone' ? phoneProblem(v.value) : v.by === 'document' && v.documentType === 'resident_id' ? residentIdProblem(v.value) : null;
    return p ? { value: p } : {};
  };

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async () => {
      const v = form.values;
      const body = v.by === 'document' ? { by: v.by, value: v.value.trim(), documentType: v.documentType } : { by: v.by, value: v.value.trim() };
      const r = await post<{ items: SearchMatch[] }>('/api/search', body);
      setResults(r.items);
    }, extra);
  };

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{t('search.title')}</h1>
      <p class="muted">{t('search.intro')}</p>
      <form onSubmit={onSubmit} noValidate class="card search-form" data-testid="search-form">
        <div class="grid">
          <SelectField form={form} name="by" label={t('search.by')} options={[
            { value: 'document', label: t('search.byDocument') }, { value: 'phone', label: t('search.byPhone') }, { value: 'name', label: t('search.byName') },
          ]} />
          {form.values.by === 'document' ? (
            <SelectField form={form} name="documentType" label={t('field.documentType')} options={DOCUMENT_TYPES.map((d) => ({ value: d, label: label('doc', d) }))} />
          ) : null}
          <Field form={form} name="value" label={t('search.value')} maxLength={200} required type={form.values.by === 'phone' ? 'tel' : 'text'} />
        </div>
        <FormError message={form.formError} />
        <button type="submit" class="primary" disabled={form.busy}>{t('search.submit')}</button>
      </form>
      {results === null ? null : results.length === 0 ? <p class="empty" data-testid="search-none">{t('search.none')}</p> : (
        <div data-testid="search-results">
          <p class="muted">{t('search.results', { n: results.length })}</p>
          <table class="list">
            <thead><tr><th>{t('search.subject')}</th><th>{t('cases.jurisdiction')}</th><th>{t('field.document')}</th><th>{t('search.cases')}</th></tr></thead>
            <tbody>
              {results.map((m) => (
                <tr key={m.subjectId}>
                  <td><MaskedName view={m.identity.name} /> <span class="muted">{label('sex', m.identity.sex)}</span></td>
                  <td>{districtName(m.jurisdictionCode)}</td>
                  <td>{m.identity.documents.map((d) => d.value).join(', ') || t('common.none')}</td>
                  <td>
                    {m.cases.length === 0 ? t('common.none') : m.cases.map((c) => (
                      <span key={c.id} class="case-ref">
                        <Link href={`/cases/${encodeURIComponent(c.id)}`} state={{ via: 'search' }} data-testid="search-case-link">{c.caseNumber}</Link> <ClassBadge value={c.classification} />
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
