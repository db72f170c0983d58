/**
 * `/supervisor/handovers` (docs/TRACING.md "Hand-over"): close contacts confirmed by another
 * district's tracers who live in the supervisor's jurisdiction, pending their decision. Names come
 * masked. **Accept** (optionally assigning one of the jurisdiction's tracers or investigators, who
 * then follows the quarantine up) or **Decline** (it stays with the case's district). Every request
 * states the purpose `contact_tracing`, whatever the header's selector says; the page says so.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, post, seg } from '../api.ts';
import { FormError, Notice, errorMessage } from '../form.tsx';
import { districtName, label, t } from '../i18n.ts';
import type { MessageKey } from '../i18n.ts';
import { dateTime, itemsOf } from '../format.ts';
import type { Page } from '../../../src/domain/views/page.ts';
import type { StaffMember } from '../../../src/domain/views/staff.ts';
import type { HandoverView as Handover } from '../../../src/domain/views/tracing.ts';
import { MaskedName } from './case-list.tsx';
import { TRACING } from './tracing-shared.ts';

type Staff = StaffMember & { jurisdiction: string };

/** The code prefix of a division's subtree (`110000` → `11`, `110100` → `1101`, a district itself). */
const subtree = (code: string) => (code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code);

function HandoverRow({ h, staff, onDecided }: { h: Handover; staff: Staff[]; onDecided(h: Handover, done: MessageKey): void }) {
  const [assignTo, setAssignTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Only staff who can follow the contact up there: tracers and investigators of the receiving district.
  const eligible = staff.filter((s) => (s.role === 'tracer' || s.role === 'investigator') && s.jurisdiction.startsWith(subtree(h.toJurisdiction)));
  const decide = async (decision: 'accept' | 'decline') => {
    setBusy(true);
    try {
      const body = decision === 'accept' && assignTo ? { decision, assignTo } : { decision };
      onDecided(await post<Handover>(`/api/handovers/${seg(h.id)}/decision`, body, TRACING), decision === 'accept' ? 'handovers.accepted' : 'handovers.declined');
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const selectId = `assign-${h.id}`.replace(/\W/g, '-');
  return (
    <tr data-handover={h.id} data-status={h.status}>
      <td><MaskedName view={h.subject.name} /></td>
      <td>{districtName(h.fromJurisdiction)}</td>
      <td>{districtName(h.toJurisdiction)}</td>
      <td class="nowrap">{dateTime(h.createdAt)}</td>
      <td><span class={`badge handover-${h.status}`}>{label('trHandover', h.status)}</span>{h.decidedAt ? <div class="small muted">{dateTime(h.decidedAt)}</div> : null}</td>
      <td>
        {h.status === 'pending' ? (
          <div class="review">
            <label for={selectId} class="small">{t('handovers.assignTo')}</label>{' '}
            <select id={selectId} data-testid="handover-assign" value={assignTo} onChange={(e) => setAssignTo((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">{t('handovers.nobody')}</option>
              {eligible.map((s) => <option key={s.id} value={s.id}>{s.username} ({label('role', s.role)})</option>)}
            </select>{' '}
            <button type="button" class="small primary" data-testid="handover-accept" disabled={busy} onClick={() => void decide('accept')}>{t('handovers.accept')}</button>{' '}
            <button type="button" class="small danger" data-testid="handover-decline" disabled={busy} onClick={() => void decide('decline')}>{t('handovers.decline')}</button>
            {error ? <div class="field-error" role="alert">{error}</div> : null}
          </div>
        ) : null}
      </td>
    </tr>
  );
}

export function HandoversPage() {
  const [items, setItems] = useState<Handover[] | null>(null);
  const [staff, setStaff] = useState<Staff[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<MessageKey | null>(null);
  useEffect(() => {
    get<{ items: Handover[] }>('/api/handovers?limit=100', TRACING).then((r) => setItems(r.items), (err: unknown) => setError(errorMessage(err)));
    get<Page<Staff>>('/api/staff?limit=100', TRACING).then((r) => setStaff(itemsOf(r)), () => setStaff([]));
  }, []);
  return (
    <section aria-labelledby="handovers-title" data-testid="handovers-page">
      <h1 id="handovers-title">{t('handovers.title')}</h1>
      <p class="muted">{t('handovers.intro')}</p>
      <p class="notice notice-info" data-testid="handovers-purpose">{t('handovers.purpose')}</p>
      {done ? <Notice kind="ok">{t(done)}</Notice> : null}
      <FormError message={error} />
      {items === null ? (error ? null : <p>{t('app.loading')}</p>) : items.length === 0 ? <p class="empty" data-testid="no-handovers">{t('handovers.none')}</p> : (
        <table class="list" data-testid="handovers">
          <thead>
            <tr>
              <th scope="col">{t('cases.person')}</th><th scope="col">{t('handovers.from')}</th><th scope="col">{t('handovers.to')}</th>
              <th scope="col">{t('handovers.when')}</th><th scope="col">{t('tracing.status')}</th><th scope="col">{t('handovers.decision')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((h) => <HandoverRow key={h.id} h={h} staff={staff} onDecided={(r, key) => { setItems((old) => (old ?? []).map((x) => (x.id === r.id ? r : x))); setDone(key); }} />)}
          </tbody>
        </table>
      )}
    </section>
  );
}
