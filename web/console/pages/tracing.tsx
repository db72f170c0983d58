/**
 * Contact tracing of one case (docs/TRACING.md; issue #5), for the tracers, investigators and
 * supervisors the server lets in: **Find contacts** runs discovery and lists the ranked, masked
 * candidates (overlap minutes, venue, time) with **Confirm** (exposure type and setting prefilled;
 * the exposure date is the last shared day, which the server sets) and **Dismiss** (a reason); the
 * case's contacts with their quarantine dates and, per contact, the follow-up: the daily entries
 * (symptoms, temperature), the risk status with its reason, what happened, and the actions of
 * tracing-quarantine.tsx (call, extend, end, convert to a case, secondary contacts); and the
 * transmission chain (tracing-chain.tsx) with the cluster export. Discovery, the chain and
 * secondary contacts are requested under `contact_tracing`, quarantines and follow-up entries under
 * `quarantine_followup`, converting and the export under `case_investigation`, whatever the
 * header's selector says; the page says so. It never reads the case itself.
 */
import { useEffect, useState } from 'preact/hooks';
import { DISMISS_REASONS } from '../../../src/domain/views/tracing.ts';
import type { CandidateView as Candidate, ChainView as Chain, ClusterExportView as ClusterExport, Confirmed, DiscoveryResult, QuarantineSummary, QuarantineView as QuarantineDetail } from '../../../src/domain/views/tracing.ts';
import { ApiError, get, post, seg, session } from '../api.ts';
import { Field, FormError, Notice, SelectField, errorMessage, useForm } from '../form.tsx';
import { districtName, label, t } from '../i18n.ts';
import type { MessageKey } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { Link } from '../router.tsx';
import { useStore } from '../store.ts';
import { saveFile } from './audit-shared.tsx';
import { dateProblem } from '../validate.ts';
import { MaskedName } from './case-list.tsx';
import { RiskBadge } from './risk-status.tsx';
import { ChainGraph, ChainTables } from './tracing-chain.tsx';
import { QuarantineActions, SecondaryContacts } from './tracing-quarantine.tsx';
import { FOLLOW_UP, INVESTIGATION, SYMPTOMS, TRACING, chinaDate, clock } from './tracing-shared.ts';

const EXPOSURE_TYPES = ['shared_venue', 'household', 'workplace', 'transport', 'healthcare', 'other'] as const;

/** "Not found or no access" is a plain statement in a section; anything else is an error. */
function loadError(err: unknown): string {
  return err instanceof ApiError && err.status === 404 ? t('tracing.noAccess') : errorMessage(err);
}

// ---- candidates --------------------------------------------------------------------------------

function venues(c: Candidate): string {
  return [...new Set(c.overlaps.map((o) => o.placeName ?? o.placeId))].join('、');
}

function ConfirmForm({ c, onDone, onCancel }: { c: Candidate; onDone(r: Confirmed): void; onCancel(): void }) {
  const form = useForm<'exposureType' | 'setting'>({ exposureType: 'shared_venue', setting: venues(c).slice(0, 200) }, { exposureType: { required: true } }, { 'exposure.setting': 'setting', 'exposure.exposureType': 'exposureType' });
  const exposureDate = chinaDate(c.lastExposure);
  const submit = () => form.submit(async () => {
    const r = await post<Confirmed>(`/api/candidates/${seg(c.id)}/confirm`, { exposureType: form.values.exposureType, setting: form.values.setting.trim() || null }, TRACING);
    onDone(r);
  });
  return (
    <form class="tracing-form" noValidate data-testid="confirm-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h3>{t('tracing.confirm.title')}</h3>
      <div class="grid">
        <SelectField form={form} name="exposureType" label={t('field.exposureType')} required
          options={EXPOSURE_TYPES.map((x) => ({ value: x, label: label('exposure', x) }))} />
        <Field form={form} name="setting" label={t('tracing.confirm.setting')} maxLength={200} />
        <div class="field">
          <span class="label">{t('field.exposureDate')}</span>
          <output data-testid="confirm-exposure-date">{exposureDate}</output>
          <div class="hint">{t('tracing.confirm.dateHint')}</div>
        </div>
      </div>
      <FormError message={form.formError} />
      <div class="actions">
        <button type="submit" class="primary" disabled={form.busy}>{t('tracing.confirm.submit')}</button>
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

function DismissForm({ c, onDone, onCancel }: { c: Candidate; onDone(r: Candidate): void; onCancel(): void }) {
  // Field names unique on the page (ids derive from them); the server's `reason` / `note` map back through the aliases.
  type F = 'dismissReason' | 'dismissNote';
  const form = useForm<F>({ dismissReason: 'separate_space', dismissNote: '' }, { dismissReason: { required: true } }, { reason: 'dismissReason', note: 'dismissNote' });
  const noteNeeded = (v: Record<F, string>): Partial<Record<F, MessageKey>> => (v.dismissReason === 'other' && !v.dismissNote.trim() ? { dismissNote: 'tracing.v.noteForOther' } : {});
  const submit = () => form.submit(async () => {
    const note = form.values.dismissNote.trim();
    onDone(await post<Candidate>(`/api/candidates/${seg(c.id)}/dismiss`, { reason: form.values.dismissReason, note: note || null }, TRACING));
  }, noteNeeded);
  return (
    <form class="tracing-form" noValidate data-testid="dismiss-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h3>{t('tracing.dismiss.title')}</h3>
      <div class="grid">
        <SelectField form={form} name="dismissReason" label={t('tracing.dismiss.reason')} required
          options={DISMISS_REASONS.map((x) => ({ value: x, label: label('trDismiss', x) }))} />
        <Field form={form} name="dismissNote" label={t('tracing.dismiss.note')} hint={t('tracing.dismiss.noteHint')} maxLength={500} />
      </div>
      <FormError message={form.formError} />
      <div class="actions">
        <button type="submit" class="danger" disabled={form.busy}>{t('tracing.dismiss.submit')}</button>
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

function OverlapList({ c }: { c: Candidate }) {
  return (
    <ul class="overlaps">
      {c.overlaps.map((o, i) => (
        <li key={`${o.placeId}/${o.from}/${i}`}>
          <strong>{o.placeName ?? o.placeId}</strong>{' '}
          <span class="nowrap">{dateTime(o.from)}–{clock(o.to)}</span>{' '}
          <span class="muted">({t('tracing.minutes', { n: o.minutes })})</span>
        </li>
      ))}
    </ul>
  );
}

function Candidates({ caseId, onConfirmed }: { caseId: string; onConfirmed(): void }) {
  const [items, setItems] = useState<Candidate[] | null>(null);
  const [run, setRun] = useState<DiscoveryResult | null>(null);
  const [open, setOpen] = useState<{ id: string; action: 'confirm' | 'dismiss' } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<MessageKey | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<{ items: Candidate[] }>(`/api/cases/${seg(caseId)}/candidates`, TRACING).then((r) => setItems(r.items), (err: unknown) => setError(loadError(err)));
  }, [caseId]);

  const find = async () => {
    setBusy(true);
    setDone(null);
    try {
      const r = await post<DiscoveryResult>(`/api/cases/${seg(caseId)}/discovery`, {}, TRACING);
      setRun(r);
      setItems(r.candidates);
      setError(null);
    } catch (err) {
      setError(loadError(err));
    } finally {
      setBusy(false);
    }
  };
  const replace = (c: Candidate) => setItems((old) => (old ?? []).map((x) => (x.id === c.id ? c : x)));

  return (
    <section class="card" aria-labelledby="candidates-title" data-testid="candidates-section">
      <div class="card-head">
        <h2 id="candidates-title">{t('tracing.candidates')}</h2>
        <button type="button" class="primary" data-testid="find-contacts" disabled={busy} onClick={() => void find()}>{busy ? t('tracing.finding') : t('tracing.find')}</button>
      </div>
      <p class="muted small">{t('tracing.candidatesIntro')}</p>
      {run ? (
        <p class="small" data-testid="discovery-window">
          {t('tracing.window', { from: dateTime(run.window.start), to: dateTime(run.window.end), buffer: run.bufferMinutes, n: run.candidates.length })}
        </p>
      ) : null}
      {done ? <Notice kind="ok">{t(done)}</Notice> : null}
      <FormError message={error} />
      {items && items.length === 0 ? <p class="empty" data-testid="no-candidates">{t('tracing.noCandidates')}</p> : null}
      {items && items.length > 0 ? (
        <div class="table-scroll">
          <table class="list" data-testid="candidates">
            <thead>
              <tr>
                <th scope="col" class="num">{t('tracing.rank')}</th><th scope="col">{t('cases.person')}</th><th scope="col" class="num">{t('tracing.overlap')}</th>
                <th scope="col">{t('tracing.venuesTimes')}</th><th scope="col">{t('tracing.status')}</th><th scope="col" />
              </tr>
            </thead>
            <tbody>
              {items.map((c, i) => [
                <tr key={c.id} data-candidate={c.id} data-status={c.status}>
                  {/* The server's order is the ranking (time together, then overlaps, then the latest exposure). */}
                  <td class="num">{i + 1}</td>
                  <td>
                    <MaskedName view={c.subject.identity.name} />
                    {c.subject.livesElsewhere ? <span class="tag">{t('tracing.livesElsewhere')}</span> : null}
                  </td>
                  <td class="num" data-testid="overlap-minutes">{t('tracing.minutes', { n: c.totalOverlapMinutes })}</td>
                  <td><OverlapList c={c} /></td>
                  <td>
                    <span class={`badge cand-${c.status}`}>{label('trCand', c.status)}</span>
                    {c.dismissal ? <div class="small muted">{label('trDismiss', c.dismissal.reason)}</div> : null}
                  </td>
                  <td class="nowrap">
                    {c.status === 'open' ? (
                      <>
                        <button type="button" class="small" data-testid="confirm-candidate" onClick={() => setOpen({ id: c.id, action: 'confirm' })}>{t('tracing.confirm')}</button>
                        <button type="button" class="small" data-testid="dismiss-candidate" onClick={() => setOpen({ id: c.id, action: 'dismiss' })}>{t('tracing.dismiss')}</button>
                      </>
                    ) : null}
                  </td>
                </tr>,
                open?.id === c.id ? (
                  <tr key={`${c.id}-form`} class="form-row">
                    <td colSpan={6}>
                      {open.action === 'confirm' ? (
                        <ConfirmForm c={c} onCancel={() => setOpen(null)} onDone={(r) => {
                          replace(r.candidate);
                          setOpen(null);
                          setDone(r.handoverId ? 'tracing.confirmedHandover' : 'tracing.confirmed');
                          onConfirmed();
                        }} />
                      ) : (
                        <DismissForm c={c} onCancel={() => setOpen(null)} onDone={(r) => {
                          replace(r);
                          setOpen(null);
                          setDone('tracing.dismissed');
                        }} />
                      )}
                    </td>
                  </tr>
                ) : null,
              ])}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

// ---- contacts and follow-up --------------------------------------------------------------------

type EntryField = 'date' | 'temperatureC' | 'entryNote';

const temperatureProblem = (v: string): MessageKey | null => {
  const n = Number(v.replace(',', '.'));
  return Number.isFinite(n) && n >= 34 && n <= 43 ? null : 'tracing.v.temperature';
};

function EntryForm({ q, onAdded }: { q: QuarantineDetail; onAdded(q: QuarantineDetail): void }) {
  const today = chinaDate(Date.now());
  const form = useForm<EntryField>({ date: today, temperatureC: '', entryNote: '' }, { date: { required: true, checks: [dateProblem] }, temperatureC: { checks: [temperatureProblem] } }, { note: 'entryNote' });
  const [symptoms, setSymptoms] = useState<string[]>([]);
  const inside = (v: Record<EntryField, string>): Partial<Record<EntryField, MessageKey>> => {
    if (v.date > today) return { date: 'tracing.v.future' };
    if ((q.quarantineStart && v.date < q.quarantineStart) || (q.quarantineEnd && v.date > q.quarantineEnd)) return { date: 'tracing.v.outside' };
    return {};
  };
  const toggle = (s: string) => setSymptoms((old) => (old.includes(s) ? old.filter((x) => x !== s) : [...old, s]));
  const submit = () => form.submit(async () => {
    const v = form.values;
    const temp = v.temperatureC.trim();
    const r = await post<QuarantineDetail>(`/api/quarantines/${seg(q.id)}/entries`, {
      date: v.date, symptoms, temperatureC: temp ? Number(temp.replace(',', '.')) : null, note: v.entryNote.trim() || null,
    }, FOLLOW_UP);
    setSymptoms([]);
    form.set('temperatureC', '');
    form.set('entryNote', '');
    onAdded(r);
  }, inside);
  return (
    <form class="tracing-form" noValidate data-testid="entry-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h4>{t('tracing.entry.title')}</h4>
      <div class="grid">
        <Field form={form} name="date" label={t('tracing.entry.date')} type="date" required />
        <Field form={form} name="temperatureC" label={t('tracing.entry.temperature')} type="number" hint={t('tracing.entry.temperatureHint')} />
      </div>
      <fieldset class="choice symptoms">
        <legend>{t('tracing.entry.symptoms')}</legend>
        {SYMPTOMS.map((s) => (
          <label key={s} class="check">
            <input type="checkbox" name="symptom" value={s} checked={symptoms.includes(s)} onChange={() => toggle(s)} /> {label('trSymptom', s)}
          </label>
        ))}
      </fieldset>
      <Field form={form} name="entryNote" label={t('tracing.entry.note')} maxLength={500} multiline />
      <FormError message={form.formError} />
      <button type="submit" class="primary" disabled={form.busy}>{t('tracing.entry.submit')}</button>
    </form>
  );
}

/** One quarantine: dates, status, risk, the contact's phone to call, the actions, the daily entries, what happened and the secondary contacts. */
export function FollowUp({ id, onChanged }: { id: string; onChanged?(): void }) {
  const [q, setQ] = useState<QuarantineDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [done, setDone] = useState<MessageKey | null>(null);
  useEffect(() => {
    get<QuarantineDetail>(`/api/quarantines/${seg(id)}`, FOLLOW_UP).then(setQ, (err: unknown) => setError(loadError(err)));
  }, [id]);
  if (error) return <FormError message={error} />;
  if (!q) return <p>{t('app.loading')}</p>;
  return (
    <div class="follow-up" data-testid="follow-up" data-status={q.status}>
      <dl class="facts">
        <div class="kv"><dt>{t('cases.person')}</dt><dd>
          <MaskedName view={q.subject.identity.name} /> · <span data-testid="q-phone"><MaskedName view={q.subject.identity.phone} /></span>
          {/* Clear only while a reveal grant of this viewer is running (the server's rule, as for any revealed field). */}
          {q.subject.identity.phone.masked ? null : <span class="tag">{t('tracing.call.granted')}</span>}
        </dd></div>
        <div class="kv"><dt>{t('field.exposureType')}</dt><dd>{label('exposure', q.exposure.exposureType)}{q.exposure.setting ? ` · ${q.exposure.setting}` : ''}</dd></div>
        <div class="kv"><dt>{t('field.exposureDate')}</dt><dd>{q.exposure.exposureDate}</dd></div>
        <div class="kv"><dt>{t('tracing.quarantine')}</dt><dd data-testid="quarantine-dates">{q.quarantineStart ?? t('common.none')} – {q.quarantineEnd ?? t('common.none')} ({label('trQ', q.status)}{q.status === 'active' ? `, ${t('tracing.daysLeft', { n: q.daysLeft })}` : ''})</dd></div>
        {q.riskStatus ? <div class="kv"><dt>{t('tracing.risk')}</dt><dd><RiskBadge risk={q.riskStatus} /></dd></div> : null}
        {q.handover ? <div class="kv"><dt>{t('tracing.handover')}</dt><dd>{t('tracing.handoverTo', { to: districtName(q.handover.toJurisdiction), status: label('trHandover', q.handover.status) })}</dd></div> : null}
      </dl>
      {done ? <Notice kind="ok">{t(done)}</Notice> : null}
      <QuarantineActions q={q} onChanged={(r, key) => { setQ(r); setDone(key); setSaved(false); onChanged?.(); }} />
      <h4>{t('tracing.entries')}</h4>
      {q.entries.length === 0 ? <p class="empty">{t('tracing.noEntries')}</p> : (
        <table class="list compact" data-testid="entries">
          <thead><tr><th scope="col">{t('tracing.entry.date')}</th><th scope="col" class="num">{t('tracing.entry.temperatureShort')}</th><th scope="col">{t('tracing.entry.symptoms')}</th><th scope="col">{t('tracing.entry.note')}</th></tr></thead>
          <tbody>
            {[...q.entries].sort((a, b) => b.date.localeCompare(a.date)).map((e) => (
              <tr key={e.id}>
                <td>{e.date}</td>
                <td class="num">{e.temperatureC === null ? t('common.none') : `${e.temperatureC.toFixed(1)} °C`}</td>
                <td>{e.symptoms.length ? e.symptoms.map((s) => label('trSymptom', s)).join(', ') : t('tracing.noSymptoms')}</td>
                <td>{e.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {saved ? <Notice kind="ok">{t('tracing.entry.saved')}</Notice> : null}
      {q.abilities.addEntry && q.status === 'active' ? <EntryForm q={q} onAdded={(r) => { setQ(r); setSaved(true); setDone(null); }} /> : null}
      <QuarantineHistory q={q} />
      {/* Secondary contacts belong to the case's staff; after an accepted hand-over the receiving district follows up the quarantine only. */}
      {q.handover?.status === 'accepted' ? <p class="hint">{t('tracing.secondary.staysWithCase')}</p> : <SecondaryContacts contactId={q.contactId} />}
    </div>
  );
}

/** What happened to the quarantine, oldest first (reasons as given; codes as labels). */
function QuarantineHistory({ q }: { q: QuarantineDetail }) {
  if (q.events.length === 0) return null;
  const reason = (e: QuarantineDetail['events'][number]) => {
    if (!e.reason) return '';
    if (e.action === 'end') return label('trEnd', e.reason);
    if (e.action === 'handover') return districtName(e.reason.replace(/^to:/, ''));
    return e.reason;
  };
  return (
    <>
      <h4>{t('tracing.history')}</h4>
      <ul class="history" data-testid="quarantine-history">
        {q.events.map((e, i) => (
          <li key={`${e.at}/${i}`} data-action={e.action}>
            <span class="nowrap">{dateTime(e.at)}</span> · {label('trEvent', e.action)}
            {e.days ? ` +${t('tracing.daysN', { n: e.days })}` : ''}
            {e.end ? ` → ${e.end}` : ''}
            {reason(e) ? <span class="muted"> ({reason(e)})</span> : null}
            {e.note ? <span class="muted" data-testid="end-note"> — {e.note}</span> : null}
            {e.caseId ? <> · <Link href={`/cases/${seg(e.caseId)}`}>{t('tracing.openNewCase')}</Link></> : null}
          </li>
        ))}
      </ul>
    </>
  );
}

function TracedContacts({ caseId, serial }: { caseId: string; serial: number }) {
  const [items, setItems] = useState<QuarantineSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [changed, setChanged] = useState(0);
  useEffect(() => {
    get<{ items: QuarantineSummary[] }>(`/api/cases/${seg(caseId)}/quarantines`, FOLLOW_UP).then((r) => { setItems(r.items); setError(null); }, (err: unknown) => setError(loadError(err)));
  }, [caseId, serial, changed]);
  return (
    <section class="card" aria-labelledby="traced-title" data-testid="traced-contacts-section">
      <h2 id="traced-title">{t('tracing.contacts')}</h2>
      <FormError message={error} />
      {items && items.length === 0 ? <p class="empty">{t('tracing.noContacts')}</p> : null}
      {items && items.length > 0 ? (
        <table class="list" data-testid="traced-contacts">
          <thead>
            <tr>
              <th scope="col">{t('cases.person')}</th><th scope="col">{t('field.quarantineStart')}</th><th scope="col">{t('field.quarantineEnd')}</th>
              <th scope="col">{t('tracing.status')}</th><th scope="col" />
            </tr>
          </thead>
          <tbody>
            {items.map((q) => [
              <tr key={q.id} data-quarantine={q.id}>
                <td><MaskedName view={q.subject.name} /></td>
                <td data-testid="q-start">{q.quarantineStart ?? t('common.none')}</td>
                <td data-testid="q-end">{q.quarantineEnd ?? t('common.none')}</td>
                <td><span class={`badge q-${q.status}`}>{label('trQ', q.status)}</span></td>
                <td>
                  <button type="button" class="small" data-testid="open-follow-up" aria-expanded={open === q.id} onClick={() => setOpen(open === q.id ? null : q.id)}>
                    {open === q.id ? t('tracing.closeFollowUp') : t('tracing.followUp')}
                  </button>
                </td>
              </tr>,
              open === q.id ? <tr key={`${q.id}-detail`} class="form-row"><td colSpan={5}><FollowUp id={q.id} onChanged={() => setChanged((n) => n + 1)} /></td></tr> : null,
            ])}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

// ---- chain -------------------------------------------------------------------------------------

/**
 * Downloads the cluster without identities (`GET /api/cases/:id/cluster-export`, purpose
 * `case_investigation`): people are `n1`, `n2`…; no names, ids, case numbers or places. The file
 * is made in the page (a Blob) and named by the day only.
 */
function ClusterExportButton({ caseId }: { caseId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    try {
      const x = await get<ClusterExport>(`/api/cases/${seg(caseId)}/cluster-export`, INVESTIGATION);
      saveFile(new Blob([`${JSON.stringify(x, null, 2)}\n`], { type: 'application/json' }), `cluster-${chinaDate(Date.now())}.json`);
      setError(null);
    } catch (err) {
      setError(loadError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="cluster-export">
      <button type="button" class="small" data-testid="cluster-export" disabled={busy} onClick={() => void download()}>{t('tracing.chain.export')}</button>
      <div class="hint">{t('tracing.chain.exportHint')}</div>
      <FormError message={error} />
    </div>
  );
}

function ChainSection({ caseId, serial, onLoaded }: { caseId: string; serial: number; onLoaded(c: Chain): void }) {
  const [chain, setChain] = useState<Chain | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asTable, setAsTable] = useState(false);
  // The export is for investigators (case investigation) and supervisors (docs/TRACING.md "Access"); the server decides.
  const role = useStore(session)?.account.role;
  const canExport = role === 'investigator' || role === 'supervisor';
  useEffect(() => {
    get<Chain>(`/api/cases/${seg(caseId)}/chain`, TRACING).then((c) => { setChain(c); setError(null); onLoaded(c); }, (err: unknown) => setError(loadError(err)));
  }, [caseId, serial]);
  return (
    <section class="card" aria-labelledby="chain-title" data-testid="chain-section">
      <div class="card-head">
        <h2 id="chain-title">{t('tracing.chain')}</h2>
        {chain ? (
          <button type="button" class="small" data-testid="chain-toggle" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
            {asTable ? t('tracing.chain.showGraph') : t('tracing.chain.showTable')}
          </button>
        ) : null}
      </div>
      <FormError message={error} />
      {chain && canExport ? <ClusterExportButton caseId={caseId} /> : null}
      {chain?.truncated ? <Notice kind="warn">{t('tracing.chain.truncated')}</Notice> : null}
      {chain ? (
        <>
          <p class="small muted">{t('tracing.chain.summary', { nodes: chain.nodes.length, edges: chain.edges.length })}</p>
          {/* The tables are always in the page for screen readers (visually hidden under the graph); sighted users switch between the two. */}
          <div hidden={asTable}><ChainGraph chain={chain} /></div>
          <div class={asTable ? '' : 'visually-hidden'}><ChainTables chain={chain} /></div>
        </>
      ) : null}
    </section>
  );
}

// ---- the page ----------------------------------------------------------------------------------

export function TracingPage({ id }: { id: string }) {
  const [serial, setSerial] = useState(0);
  const [caseNumber, setCaseNumber] = useState<string | null>(null);
  const onChain = (c: Chain) => {
    const root = c.nodes.find((n) => n.caseIds.includes(c.caseId));
    const i = root ? root.caseIds.indexOf(c.caseId) : -1;
    setCaseNumber(root && i >= 0 ? root.caseNumbers[i] ?? null : null);
  };
  return (
    <div class="tracing" data-testid="tracing-page">
      <div class="page-head">
        <h1>{caseNumber ? t('tracing.titleNumber', { number: caseNumber }) : t('tracing.title')}</h1>
        <Link href={`/cases/${seg(id)}`}>{t('tracing.backToCase')}</Link>
      </div>
      <p class="notice notice-info" data-testid="tracing-purpose">{t('tracing.purposeNotice')}</p>
      <Candidates caseId={id} onConfirmed={() => setSerial((n) => n + 1)} />
      <TracedContacts caseId={id} serial={serial} />
      <ChainSection caseId={id} serial={serial} onLoaded={onChain} />
    </div>
  );
}
