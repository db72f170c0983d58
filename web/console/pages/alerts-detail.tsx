/**
 * One alert (purpose `audit`): what fired, about whom, the audit events behind it, and — for a
 * supervisor of the jurisdiction, on an alert not about themselves — the close form: a decision
 * (justified or escalated) and a note of at least 10 characters, checked here and again by the
 * server, whose 400 `field` answers are shown next to the field.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, post, seg, session } from '../api.ts';
import { Field, FormError, errorMessage, useForm } from '../form.tsx';
import { districtName, label, t } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { PATHS } from '../nav.ts';
import { Link } from '../router.tsx';
import { useStore } from '../store.ts';
import { AUDIT, AccountRef, AuditPurposeNotice, EventsTable, noteProblem } from './audit-shared.tsx';
import type { AlertView as Alert, AuditEventView as AuditEvent } from '../../../src/domain/views/audit.ts';
import { KindBadge, alertDetails, splitDecision } from './alerts.tsx';

function Fact({ name, children }: { name: string; children: ComponentChildren }) {
  return (
    <div class="kv">
      <dt>{name}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function CloseForm({ alert, onClosed }: { alert: Alert; onClosed(a: Alert): void }) {
  const form = useForm({ decision: '', note: '' }, { decision: { required: true }, note: { required: true, checks: [noteProblem] } });
  const decisionError = form.errors.decision;
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(async () => {
      const closed = await post<Alert>(`/api/alerts/${seg(alert.id)}/close`, { decision: form.values.decision, note: form.values.note.trim() }, AUDIT);
      onClosed(closed);
    });
  };
  return (
    <form class="card close-alert" onSubmit={onSubmit} noValidate data-testid="close-alert-form">
      <h2>{t('alert.close')}</h2>
      <fieldset class={`field choice${decisionError ? ' has-error' : ''}`} aria-describedby={decisionError ? 'f-decision-error' : undefined}>
        <legend>{t('alert.decisionLabel')}<span class="req" aria-hidden="true"> *</span></legend>
        {(['justified', 'escalated'] as const).map((d) => (
          <label key={d} class="check">
            <input type="radio" name="decision" value={d} checked={form.values.decision === d} data-testid={`decision-${d}`}
              onChange={() => form.set('decision', d)} />
            {t(d === 'justified' ? 'alert.justified' : 'alert.escalated')}
          </label>
        ))}
        {decisionError ? <div class="field-error" id="f-decision-error" role="alert">{decisionError}</div> : null}
      </fieldset>
      <Field form={form} name="note" label={t('alert.note')} hint={t('alert.noteHint')} multiline maxLength={500} required />
      <FormError message={form.formError} />
      <button type="submit" class="primary" disabled={form.busy}>{t('alert.submit')}</button>
    </form>
  );
}

export function AlertDetailPage({ id }: { id: string }) {
  const s = useStore(session);
  const [alert, setAlert] = useState<Alert | null>(null);
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [justClosed, setJustClosed] = useState(false);
  useEffect(() => {
    get<{ alert: Alert; events: AuditEvent[] }>(`/api/alerts/${seg(id)}`, AUDIT).then((r) => {
      setAlert(r.alert);
      setEvents(r.events);
    }, (err: unknown) => setError(errorMessage(err)));
  }, [id]);

  const back = <p><Link href={PATHS.alerts}>{t('alert.back')}</Link></p>;
  if (!alert) {
    return (
      <section class="card narrow" data-testid={error ? 'no-access' : undefined}>
        <h1>{t('alert.title')}</h1>
        {error ? <FormError message={error} /> : <p>{t('app.loading')}</p>}
        {back}
      </section>
    );
  }
  const role = s?.account.role;
  const decided = splitDecision(alert.decision);
  const closeable = alert.status === 'open' && role === 'supervisor' && alert.accountId !== s?.account.id;
  return (
    <section aria-labelledby="alert-title" data-testid="alert-detail">
      {back}
      <h1 id="alert-title">{t('alert.title')} <KindBadge kind={alert.kind} /></h1>
      <AuditPurposeNotice />
      {justClosed ? <p class="notice notice-ok" role="status" data-testid="alert-closed">{t('alert.closedNotice')}</p> : null}
      <div class="card">
        <dl class="facts">
          <Fact name={t('alerts.account')}><AccountRef id={alert.accountId} /></Fact>
          <Fact name={t('alert.jurisdiction')}>{districtName(alert.jurisdiction)}</Fact>
          <Fact name={t('alerts.when')}>{dateTime(alert.createdAt)}</Fact>
          <Fact name={t('alerts.details')}>{alertDetails(alert)}</Fact>
          <Fact name={t('alert.status')}><span class={`badge status-${alert.status}`} data-testid="alert-status">{label('alertStatus', alert.status)}</span></Fact>
          {decided ? <Fact name={t('alerts.decision')}><strong>{label('decision', decided.decision)}</strong> {decided.note}</Fact> : null}
          {alert.decidedBy ? <Fact name={t('alert.decidedBy')}><AccountRef id={alert.decidedBy} /></Fact> : null}
          {alert.decidedAt ? <Fact name={t('alert.decidedAt')}>{dateTime(alert.decidedAt)}</Fact> : null}
        </dl>
      </div>
      <h2>{t('alert.events')}</h2>
      {events.length ? <EventsTable events={events} testId="alert-events" /> : <p class="empty">{t('alert.noEvents')}</p>}
      {closeable ? (
        <CloseForm alert={alert} onClosed={(a) => { setAlert(a); setJustClosed(true); }} />
      ) : alert.status === 'open' ? (
        <p class="muted">{role === 'supervisor' ? t('alert.notYours') : t('alert.readOnly')}</p>
      ) : null}
    </section>
  );
}
