/**
 * The parts of a case page loaded on their own: close contacts, travel, notes and assignments.
 * Each shows "no access" plainly when the server refuses it (a break-glass grant opens the case and
 * its subject only).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, get, post, seg, session } from '../api.ts';
import { dateTime, itemsOf } from '../format.ts';
import { FormError, errorMessage } from '../form.tsx';
import { label, t } from '../i18n.ts';
import { Link } from '../router.tsx';
import { useStore } from '../store.ts';
import type { CaseDetailView as CaseDetail, ContactView, NoteView, TravelView } from '../../../src/domain/views/cases.ts';
import type { Page } from '../../../src/domain/views/page.ts';
import type { StaffMember } from '../../../src/domain/views/staff.ts';
import { MaskedName } from './case-list.tsx';

const NO_ACCESS = 'no-access';

/** A section's load error: "no access" is a plain statement there (break-glass opens the case and its subject only). */
function sectionError(err: unknown): string {
  return err instanceof ApiError && err.status === 404 ? NO_ACCESS : errorMessage(err);
}

function SectionError({ message }: { message: string | null }) {
  return message === NO_ACCESS ? <p class="empty" data-testid="section-no-access">{t('case.sectionNoAccess')}</p> : <FormError message={message} />;
}

export function Contacts({ c }: { c: CaseDetail }) {
  const [items, setItems] = useState<ContactView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<Page<ContactView>>(`/api/cases/${seg(c.id)}/contacts?limit=100`).then((r) => setItems(itemsOf(r)), (err: unknown) => setError(sectionError(err)));
  }, [c.id]);
  return (
    <section class="card" aria-labelledby="contacts-title">
      <div class="card-head">
        <h2 id="contacts-title">{t('case.contacts')}</h2>
        {c.abilities.addContact ? <Link class="button" href={`/cases/${seg(c.id)}/contacts/new`}>{t('case.addContact')}</Link> : null}
      </div>
      <SectionError message={error} />
      {items && items.length === 0 ? <p class="empty">{t('case.noContacts')}</p> : null}
      {items && items.length > 0 ? (
        <table class="list" data-testid="contacts">
          <thead>
            <tr>
              <th>{t('cases.person')}</th><th>{t('field.exposureType')}</th><th>{t('field.exposureDate')}</th>
              <th>{t('field.quarantineStart')}</th><th>{t('field.quarantineEnd')}</th><th />
            </tr>
          </thead>
          <tbody>
            {items.map((x) => (
              <tr key={x.id}>
                <td><MaskedName view={x.subject.identity.name} /></td>
                <td>{label('exposure', x.exposure.exposureType)}</td>
                <td>{x.exposure.exposureDate}</td>
                <td>{x.exposure.quarantineStart ?? t('common.none')}</td>
                <td>{x.exposure.quarantineEnd ?? t('common.none')}</td>
                <td>{c.abilities.addContact ? <Link href={`/cases/${seg(c.id)}/contacts/${seg(x.id)}/edit`}>{t('case.edit.short')}</Link> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export function Travel({ c }: { c: CaseDetail }) {
  const [items, setItems] = useState<TravelView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sid = c.subject.id;
  useEffect(() => {
    get<Page<TravelView>>(`/api/subjects/${seg(sid)}/travel?limit=100`).then((r) => setItems(itemsOf(r)), (err: unknown) => setError(sectionError(err)));
  }, [sid]);
  const base = `/cases/${seg(c.id)}/subject/${seg(sid)}/travel`;
  return (
    <section class="card" aria-labelledby="travel-title">
      <div class="card-head">
        <h2 id="travel-title">{t('case.travel')}</h2>
        {c.abilities.addTravel ? <Link class="button" href={`${base}/new`}>{t('case.addTravel')}</Link> : null}
      </div>
      <SectionError message={error} />
      {items && items.length === 0 ? <p class="empty">{t('case.noTravel')}</p> : null}
      {items && items.length > 0 ? (
        <table class="list" data-testid="travel">
          <thead>
            <tr><th>{t('field.mode')}</th><th>{t('field.placeText')}</th><th>{t('field.arrival')}</th><th>{t('field.departure')}</th><th /></tr>
          </thead>
          <tbody>
            {items.map((x) => (
              <tr key={x.id}>
                <td>{label('mode', x.mode)}</td>
                <td>{x.placeName ?? x.placeText ?? t('common.none')}</td>
                <td>{dateTime(x.arrival)}</td>
                <td>{dateTime(x.departure)}</td>
                <td>{c.abilities.addTravel ? <Link href={`${base}/${seg(x.id)}/edit`}>{t('case.edit.short')}</Link> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export function Notes({ c }: { c: CaseDetail }) {
  const [items, setItems] = useState<NoteView[] | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () => get<Page<NoteView>>(`/api/cases/${seg(c.id)}/notes?limit=100`).then((r) => setItems(itemsOf(r)), (err: unknown) => setError(sectionError(err)));
  useEffect(() => {
    void load();
  }, [c.id]);
  const add = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) return setError(t('v.required'));
    setBusy(true);
    try {
      await post(`/api/cases/${seg(c.id)}/notes`, { text: text.trim() });
      setText('');
      setError(null);
      await load();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="notes-title">
      <h2 id="notes-title">{t('case.notes')}</h2>
      {items && items.length === 0 ? <p class="empty">{t('case.noNotes')}</p> : null}
      {items && items.length > 0 ? (
        <ul class="notes">
          {items.map((n) => <li key={n.id}><span class="muted">{dateTime(n.createdAt)}</span><p>{n.text}</p></li>)}
        </ul>
      ) : null}
      {c.abilities.addNote ? (
        <form onSubmit={add} class="note-form">
          <label for="note-text">{t('case.note')}</label>
          <textarea id="note-text" rows={3} maxLength={4000} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
          <button type="submit" disabled={busy}>{t('case.addNote')}</button>
        </form>
      ) : null}
      <SectionError message={error} />
    </section>
  );
}

export function Assignments({ c, onChanged }: { c: CaseDetail; onChanged(): void }) {
  const me = useStore(session)?.account;
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (c.abilities.assign) get<{ items: StaffMember[] } | StaffMember[]>('/api/staff').then((r) => setStaff(itemsOf(r)), (err: unknown) => setError(errorMessage(err)));
  }, [c.id, c.abilities.assign]);
  const name = (id: string) => (id === me?.id ? me.username : staff.find((s) => s.id === id)?.username ?? id);
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setError(null);
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const candidates = staff.filter((s) => !c.assignedStaff.includes(s.id) && (s.role === 'investigator' || s.role === 'tracer'));
  return (
    <section class="card" aria-labelledby="assign-title">
      <h2 id="assign-title">{t('case.assignments')}</h2>
      {c.assignedStaff.length === 0 ? <p class="empty">{t('case.noAssignees')}</p> : (
        <ul class="assignees" data-testid="assignees">
          {c.assignedStaff.map((id) => (
            <li key={id}>
              {name(id)}
              {c.abilities.assign ? <button type="button" class="small" onClick={() => void act(() => del(`/api/cases/${seg(c.id)}/assignments/${seg(id)}`))}>{t('case.unassign')}</button> : null}
            </li>
          ))}
        </ul>
      )}
      {c.abilities.assign ? (
        <form class="inline" onSubmit={(e) => { e.preventDefault(); if (choice) void act(() => post(`/api/cases/${seg(c.id)}/assignments`, { staffId: choice })); }}>
          <label for="assign-to">{t('case.assignTo')}</label>
          <select id="assign-to" value={choice} onChange={(e) => setChoice((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">—</option>
            {candidates.map((s) => <option key={s.id} value={s.id}>{s.username} ({label('role', s.role)})</option>)}
          </select>
          <button type="submit" disabled={!choice}>{t('case.assign')}</button>
        </form>
      ) : null}
      <FormError message={error} />
    </section>
  );
}

