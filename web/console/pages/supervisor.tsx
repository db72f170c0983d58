/**
 * Supervisor pages: assign cases of the jurisdiction to staff, and review break-glass accesses
 * (accept or flag, with a note). The server decides who may do this; other roles get its refusal.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, post, seg } from '../api.ts';
import { FormError, errorMessage } from '../form.tsx';
import { districtName, label, t } from '../i18n.ts';
import { Link } from '../router.tsx';
import type { CaseSummaryView as CaseSummary } from '../../../src/domain/views/cases.ts';
import type { BreakGlassGrant, StaffMember } from '../../../src/domain/views/staff.ts';
import { dateTime, itemsOf } from '../format.ts';
import { CaseResults, FilterForm } from './case-list.tsx';
import type { CaseFilters } from './case-list.tsx';

function AssignCell({ c, staff }: { c: CaseSummary; staff: StaffMember[] }) {
  const [choice, setChoice] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const assign = async (e: Event) => {
    e.preventDefault();
    if (!choice) return;
    try {
      await post(`/api/cases/${seg(c.id)}/assignments`, { staffId: choice });
      setDone(staff.find((s) => s.id === choice)?.username ?? choice);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <form class="inline" onSubmit={assign}>
      <select aria-label={t('case.assignTo')} value={choice} onChange={(e) => setChoice((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">—</option>
        {staff.map((s) => <option key={s.id} value={s.id}>{s.username} ({label('role', s.role)})</option>)}
      </select>
      <button type="submit" class="small" disabled={!choice}>{t('case.assign')}</button>
      {done ? <span class="ok"> ✓ {done}</span> : null}
      {error ? <span class="field-error">{error}</span> : null}
    </form>
  );
}

export function SupervisorAssignPage() {
  const [filters, setFilters] = useState<{ f: CaseFilters; n: number } | null>(null);
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<{ items: StaffMember[] } | StaffMember[]>('/api/staff').then(
      (r) => setStaff(itemsOf(r).filter((s) => s.role === 'investigator' || s.role === 'tracer')),
      (err: unknown) => setError(errorMessage(err)),
    );
  }, []);
  const f = filters ?? { f: { classification: '', jurisdiction: '', assignedToMe: false, reportFrom: '', reportTo: '' }, n: 0 };
  return (
    <section aria-labelledby="sv-assign-title">
      <h1 id="sv-assign-title">{t('supervisor.assignTitle')}</h1>
      <p class="muted">{t('supervisor.assignIntro')}</p>
      <FormError message={error} />
      <FilterForm onApply={(next) => setFilters({ f: next, n: f.n + 1 })} />
      <CaseResults key={f.n} filters={f.f} via="list" extra={{ header: t('case.assignTo'), cell: (c) => <AssignCell c={c} staff={staff} /> }} />
    </section>
  );
}

function ReviewRow({ g, staff, onDone }: { g: BreakGlassGrant; staff: StaffMember[]; onDone(): void }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const review = async (decision: 'accept' | 'flag') => {
    try {
      await post(`/api/break-glass/${seg(g.id)}/review`, { decision, note: note.trim() }, { purpose: 'audit' });
      onDone();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <tr>
      <td>{staff.find((s) => s.id === g.accountId)?.username ?? g.accountId}</td>
      <td><Link href={`/cases/${seg(g.caseId)}`} state={{ via: 'review' }}>{g.caseId}</Link></td>
      <td>{districtName(g.jurisdiction)}</td>
      <td class="nowrap">{dateTime(g.createdAt)}</td>
      <td class="reason">{g.reason}</td>
      <td><span class={`badge status-${g.reviewStatus}`}>{label('status', g.reviewStatus)}</span></td>
      <td>
        {g.reviewStatus === 'pending' ? (
          <div class="review">
            <input aria-label={t('supervisor.note')} placeholder={t('supervisor.note')} value={note} maxLength={500} onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)} />
            <button type="button" class="small" onClick={() => void review('accept')}>{t('supervisor.accept')}</button>
            <button type="button" class="small danger" onClick={() => void review('flag')}>{t('supervisor.flag')}</button>
            {error ? <div class="field-error">{error}</div> : null}
          </div>
        ) : g.reviewNote ?? null}
      </td>
    </tr>
  );
}

export function BreakGlassReviewPage() {
  const [items, setItems] = useState<BreakGlassGrant[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const load = () => get<{ items: BreakGlassGrant[] } | BreakGlassGrant[]>('/api/break-glass?limit=100', { purpose: 'audit' }).then((r) => setItems(itemsOf(r)), (err: unknown) => setError(errorMessage(err)));
  useEffect(() => {
    void load();
    // Names for the account ids, where the staff directory answers under this purpose; ids otherwise.
    get<{ items: StaffMember[] } | StaffMember[]>('/api/staff?limit=100', { purpose: 'audit' }).then((r) => setStaff(itemsOf(r)), () => setStaff([]));
  }, []);
  return (
    <section aria-labelledby="sv-bg-title">
      <h1 id="sv-bg-title">{t('supervisor.reviewsTitle')}</h1>
      <p class="muted">{t('supervisor.reviewsIntro')}</p>
      <p class="notice notice-info">{t('supervisor.auditPurpose')}</p>
      <FormError message={error} />
      {items === null ? (error ? null : <p>{t('app.loading')}</p>) : items.length === 0 ? <p class="empty">{t('supervisor.noReviews')}</p> : (
        <table class="list" data-testid="break-glass-reviews">
          <thead>
            <tr><th>{t('supervisor.who')}</th><th>{t('supervisor.case')}</th><th>{t('cases.jurisdiction')}</th><th>{t('supervisor.when')}</th><th>{t('supervisor.reason')}</th><th>{t('supervisor.status')}</th><th /></tr>
          </thead>
          <tbody>{items.map((g) => <ReviewRow key={g.id} g={g} staff={staff} onDone={() => void load()} />)}</tbody>
        </table>
      )}
    </section>
  );
}
