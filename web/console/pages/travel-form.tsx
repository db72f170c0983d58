/**
 * Add or edit a travel record of a person: a venue visit (venue id) or a trip (free text), from and
 * until (local date and time, sent as ISO 8601 with the time zone offset).
 */
import { useEffect, useState } from 'preact/hooks';
import { TRAVEL_MODES } from '../../../src/domain/model.ts';
import { get, patch, post, seg } from '../api.ts';
import { Field, FormError, SelectField, errorMessage, useForm } from '../form.tsx';
import { label, t } from '../i18n.ts';
import type { MessageKey } from '../i18n.ts';
import { navigate } from '../router.tsx';
import type { TravelView } from '../../../src/domain/views/cases.ts';
import type { Page } from '../../../src/domain/views/page.ts';
import { itemsOf } from '../format.ts';

const FIELDS = { mode: 'venue_visit', placeId: '', placeText: '', arrival: '', departure: '' };
type Key = keyof typeof FIELDS;

const pad = (n: number) => String(Math.trunc(Math.abs(n))).padStart(2, '0');

/** `2026-12-01T14:30` (a datetime-local value, the viewer's time zone) → ISO 8601 with offset. */
export function localToIso(local: string): string | null {
  const d = new Date(local);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(local) || Number.isNaN(d.getTime())) return null;
  const off = -d.getTimezoneOffset();
  return `${local.length === 16 ? `${local}:00` : local}${off >= 0 ? '+' : '-'}${pad(off / 60)}:${pad(off % 60)}`;
}

/** ISO 8601 → a datetime-local value in the viewer's time zone. */
export function isoToLocal(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The longest stay one record may cover (the server's rule too). */
const MAX_STAY_MS = 7 * 24 * 3600 * 1000;

const datetime = (v: string): MessageKey | null => (localToIso(v) ? null : 'v.datetime');

function TravelForm({ caseId, subjectId, record }: { caseId: string; subjectId: string; record: TravelView | null }) {
  const initial = record
    ? { mode: record.mode, placeId: record.placeId ?? '', placeText: record.placeText ?? '', arrival: isoToLocal(record.arrival), departure: isoToLocal(record.departure) }
    : FIELDS;
  const form = useForm<Key>(initial, { mode: { required: true }, arrival: { required: true, checks: [datetime] }, departure: { required: true, checks: [datetime] } });

  const extra = (v: typeof FIELDS): Partial<Record<Key, MessageKey>> => {
    const found: Partial<Record<Key, MessageKey>> = {};
    if (v.mode === 'venue_visit' && !v.placeId.trim()) found.placeId = 'v.required';
    if (v.mode !== 'venue_visit' && v.placeId.trim()) found.placeId = 'v.placeIdVenueOnly';
    const from = Date.parse(localToIso(v.arrival) ?? '');
    const until = Date.parse(localToIso(v.departure) ?? '');
    const now = Date.now() + 60_000;
    if (from > now) found.arrival = 'v.futureTime';
    if (until > now) found.departure = 'v.futureTime';
    else if (until < from) found.departure = 'v.dateOrder';
    else if (until - from > MAX_STAY_MS) found.departure = 'v.stayTooLong';
    return found;
  };

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async () => {
      const v = form.values;
      if (record) {
        const body: Record<string, string | null> = {};
        if (v.mode !== initial.mode) body.mode = v.mode;
        if (v.placeId.trim() !== initial.placeId) body.placeId = v.placeId.trim() || null;
        if (v.placeText.trim() !== initial.placeText) body.placeText = v.placeText.trim() || null;
        if (v.arrival !== initial.arrival) body.arrival = localToIso(v.arrival);
        if (v.departure !== initial.departure) body.departure = localToIso(v.departure);
        if (Object.keys(body).length > 0) await patch(`/api/travel/${seg(record.id)}`, body);
      } else {
        const body: Record<string, string | null> = { mode: v.mode, arrival: localToIso(v.arrival), departure: localToIso(v.departure) };
        if (v.placeId.trim()) body.placeId = v.placeId.trim();
        if (v.placeText.trim()) body.placeText = v.placeText.trim();
        await post(`/api/subjects/${seg(subjectId)}/travel`, body);
      }
      navigate(`/cases/${seg(caseId)}`, null, true);
    }, extra);
  };

  return (
    <section aria-labelledby="travel-form-title">
      <h1 id="travel-form-title">{record ? t('travelForm.editTitle') : t('travelForm.newTitle')}</h1>
      <form onSubmit={onSubmit} noValidate class="card" data-testid="travel-form">
        <div class="grid">
          <SelectField form={form} name="mode" label={t('field.mode')} required options={TRAVEL_MODES.map((m) => ({ value: m, label: label('mode', m) }))} />
          <Field form={form} name="placeId" label={t('field.placeId')} maxLength={128} />
          <Field form={form} name="placeText" label={t('field.placeText')} maxLength={200} />
          <Field form={form} name="arrival" type="datetime-local" label={t('field.arrival')} required />
          <Field form={form} name="departure" type="datetime-local" label={t('field.departure')} required />
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

export function TravelFormPage({ caseId, subjectId, travelId }: { caseId: string; subjectId: string; travelId?: string }) {
  const [record, setRecord] = useState<TravelView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!travelId) return;
    get<Page<TravelView>>(`/api/subjects/${seg(subjectId)}/travel?limit=100`).then((r) => {
      const found = itemsOf(r).find((x) => x.id === travelId);
      if (found) setRecord(found);
      else setError(t('e.notFound'));
    }, (err: unknown) => setError(errorMessage(err)));
  }, [subjectId, travelId]);
  if (!travelId) return <TravelForm caseId={caseId} subjectId={subjectId} record={null} />;
  if (error) return <FormError message={error} />;
  return record ? <TravelForm caseId={caseId} subjectId={subjectId} record={record} /> : <p>{t('app.loading')}</p>;
}
