/**
 * `/supervisor/risk-areas` (docs/TRACING.md "Risk areas"): the risk areas of the supervisor's
 * jurisdiction, newest first, and the form to declare one — a district (GB/T 2260) or a venue of
 * the registry, high or medium, a time window (at most 31 days, not starting in the future) and a
 * validity (at most 90 days). Declaring answers how many people the token search found with a
 * stay there in the window (their risk status is recomputed; nobody is named). Active areas can be
 * revoked. Every request states the purpose `contact_tracing`, whatever the header's selector
 * says; the page says so. Publishing an area goes through a disclosure release (/releases).
 */
import { useEffect, useState } from 'preact/hooks';
import { get, post, seg, session } from '../api.ts';
import { Field, FormError, Notice, SelectField, errorMessage, useForm } from '../form.tsx';
import type { Values } from '../form.tsx';
import { DISTRICTS, districtName, label, lang, t } from '../i18n.ts';
import type { MessageKey } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { useStore } from '../store.ts';
import { localToIso } from './audit-shared.tsx';
import { TRACING } from './tracing-shared.ts';
import type { DeclaredRiskArea, RiskAreaView as RiskArea } from '../../../src/domain/views/tracing.ts';

type F = 'level' | 'kind' | 'districtCode' | 'placeId' | 'windowStart' | 'windowEnd' | 'validFrom' | 'validUntil';

const DAY = 86_400_000;

/** A Date as the value of a `datetime-local` input (local time, minutes). */
function localDateTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The server's rules, checked before anything is sent (it checks them again). */
function areaProblems(v: Values<F>): Partial<Record<F, MessageKey>> {
  const e: Partial<Record<F, MessageKey>> = {};
  const ms = (k: F) => {
    const iso = v[k] ? localToIso(v[k]) : null;
    return iso ? Date.parse(iso) : null;
  };
  for (const k of ['windowStart', 'windowEnd', 'validUntil'] as const) if (ms(k) === null) e[k] = v[k] ? 'v.datetime' : 'v.required';
  if (v.validFrom && ms('validFrom') === null) e.validFrom = 'v.datetime';
  const [ws, we, vf, vu] = [ms('windowStart'), ms('windowEnd'), ms('validFrom') ?? Date.now(), ms('validUntil')];
  if (ws !== null && ws > Date.now()) e.windowStart = 'v.futureTime';
  if (ws !== null && we !== null && !e.windowEnd) {
    if (we <= ws) e.windowEnd = 'v.timeOrder';
    else if (we - ws > 31 * DAY) e.windowEnd = 'riskAreas.v.window';
  }
  if (vu !== null && !e.validUntil) {
    if (vu <= vf) e.validUntil = 'riskAreas.v.validOrder';
    else if (vu - vf > 90 * DAY) e.validUntil = 'riskAreas.v.validity';
  }
  if (v.kind === 'district' && !/^\d{6}$/.test(v.districtCode)) e.districtCode = 'v.district';
  if (v.kind === 'venue' && !v.placeId.trim()) e.placeId = 'v.required';
  return e;
}

function DeclareForm({ onDeclared }: { onDeclared(r: DeclaredRiskArea): void }) {
  const own = useStore(session)?.account.jurisdiction ?? '';
  const now = new Date();
  const form = useForm<F>({
    level: 'high', kind: 'district', districtCode: DISTRICTS.some((d) => d.code === own) ? own : DISTRICTS[0]!.code, placeId: '',
    windowStart: localDateTime(new Date(now.getTime() - 7 * DAY)), windowEnd: localDateTime(now), validFrom: '', validUntil: localDateTime(new Date(now.getTime() + 14 * DAY)),
  }, { level: { required: true }, kind: { required: true } });
  const v = form.values;
  const submit = () => form.submit(async () => {
    const body = {
      level: v.level, kind: v.kind, ...(v.kind === 'district' ? { districtCode: v.districtCode } : { placeId: v.placeId.trim() }),
      windowStart: localToIso(v.windowStart), windowEnd: localToIso(v.windowEnd), ...(v.validFrom ? { validFrom: localToIso(v.validFrom) } : {}), validUntil: localToIso(v.validUntil),
    };
    onDeclared(await post<DeclaredRiskArea>('/api/risk-areas', body, TRACING));
  }, areaProblems);
  return (
    <form class="card" noValidate data-testid="risk-area-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h2>{t('riskAreas.declareTitle')}</h2>
      <div class="grid">
        <SelectField form={form} name="level" label={t('releases.level')} required options={['high', 'medium'].map((x) => ({ value: x, label: label('riskLevel', x) }))} />
        <SelectField form={form} name="kind" label={t('releases.kind')} required options={['district', 'venue'].map((x) => ({ value: x, label: label('areaKind', x) }))} />
        {v.kind === 'district' ? (
          <SelectField form={form} name="districtCode" label={t('releases.district')} required
            options={DISTRICTS.map((d) => ({ value: d.code, label: `${lang.get() === 'zh' ? d.zh : d.en} (${d.code})` }))} />
        ) : (
          <Field form={form} name="placeId" label={t('releases.venueId')} hint={t('riskAreas.venueHint')} maxLength={128} required />
        )}
      </div>
      <fieldset class="subject">
        <legend>{t('riskAreas.window')}</legend>
        <div class="grid">
          <Field form={form} name="windowStart" label={t('releases.windowStart')} type="datetime-local" required />
          <Field form={form} name="windowEnd" label={t('releases.windowEnd')} type="datetime-local" hint={t('riskAreas.windowHint')} required />
        </div>
      </fieldset>
      <fieldset class="subject">
        <legend>{t('riskAreas.validity')}</legend>
        <div class="grid">
          <Field form={form} name="validFrom" label={`${t('riskAreas.validFrom')} (${t('common.optional')})`} type="datetime-local" hint={t('riskAreas.validFromHint')} />
          <Field form={form} name="validUntil" label={t('releases.validUntil')} type="datetime-local" hint={t('riskAreas.validityHint')} required />
        </div>
      </fieldset>
      <FormError message={form.formError} />
      <div class="actions">
        <button type="submit" class="primary" disabled={form.busy} data-testid="declare-risk-area">{t('riskAreas.declare')}</button>
      </div>
    </form>
  );
}

function state(a: RiskArea): 'active' | 'revoked' | 'expired' | 'pending' {
  if (a.revokedAt) return 'revoked';
  if (a.active) return 'active';
  return Date.parse(a.validUntil) <= Date.now() ? 'expired' : 'pending';
}

function AreaRow({ a, onRevoked }: { a: RiskArea; onRevoked(a: RiskArea): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const revoke = async () => {
    setBusy(true);
    try {
      onRevoked(await post<RiskArea>(`/api/risk-areas/${seg(a.id)}/revoke`, {}, TRACING));
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const s = state(a);
  return (
    <tr data-area={a.id} data-state={s}>
      <td><span class={`badge level-${a.level}`}>{label('riskLevel', a.level)}</span></td>
      <td>{label('areaKind', a.kind)}</td>
      <td>{a.kind === 'venue' ? <>{a.placeName ?? a.placeId} <span class="muted small">({districtName(a.districtCode)})</span></> : `${districtName(a.districtCode)} (${a.districtCode})`}</td>
      <td class="nowrap">{dateTime(a.windowStart)} – {dateTime(a.windowEnd)}</td>
      <td class="nowrap">{dateTime(a.validFrom)} – {dateTime(a.validUntil)}</td>
      <td><span class={`badge area-${s}`}>{label('areaState', s)}</span>{a.revokedAt ? <div class="small muted">{dateTime(a.revokedAt)}</div> : null}</td>
      <td>
        {a.revokedAt === null && s !== 'expired' ? (
          <button type="button" class="small danger" data-testid="revoke-risk-area" disabled={busy} onClick={() => void revoke()}>{t('riskAreas.revoke')}</button>
        ) : null}
        {error ? <div class="field-error" role="alert">{error}</div> : null}
      </td>
    </tr>
  );
}

export function RiskAreasPage() {
  useStore(lang);
  const [items, setItems] = useState<RiskArea[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [declared, setDeclared] = useState<DeclaredRiskArea | null>(null);
  const [revoked, setRevoked] = useState(false);
  const [formKey, setFormKey] = useState(0);
  useEffect(() => {
    get<{ items: RiskArea[] }>('/api/risk-areas?limit=100', TRACING).then((r) => setItems(r.items), (err: unknown) => setError(errorMessage(err)));
  }, []);
  return (
    <section aria-labelledby="risk-areas-title" data-testid="risk-areas-page">
      <h1 id="risk-areas-title">{t('riskAreas.title')}</h1>
      <p class="muted">{t('riskAreas.intro')}</p>
      <p class="notice notice-info" data-testid="risk-areas-purpose">{t('riskAreas.purpose')}</p>
      <DeclareForm key={formKey} onDeclared={(r) => {
        setDeclared(r);
        setRevoked(false);
        setItems((old) => [r.area, ...(old ?? [])]);
        setFormKey((n) => n + 1);
      }} />
      {declared ? <Notice kind="ok"><span data-testid="people-found" data-count={declared.peopleFound}>{t('riskAreas.declared', { n: declared.peopleFound })}</span></Notice> : null}
      {revoked ? <Notice kind="ok">{t('riskAreas.revoked')}</Notice> : null}
      <h2>{t('riskAreas.listTitle')}</h2>
      <FormError message={error} />
      {items === null ? (error ? null : <p>{t('app.loading')}</p>) : items.length === 0 ? <p class="empty">{t('riskAreas.none')}</p> : (
        <div class="table-scroll">
          <table class="list" data-testid="risk-areas">
            <thead>
              <tr>
                <th scope="col">{t('releases.level')}</th><th scope="col">{t('releases.kind')}</th><th scope="col">{t('riskAreas.place')}</th>
                <th scope="col">{t('riskAreas.window')}</th><th scope="col">{t('riskAreas.validity')}</th><th scope="col">{t('tracing.status')}</th><th scope="col" />
              </tr>
            </thead>
            <tbody>
              {items.map((a) => <AreaRow key={a.id} a={a} onRevoked={(r) => { setItems((old) => (old ?? []).map((x) => (x.id === r.id ? r : x))); setRevoked(true); setDeclared(null); }} />)}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
