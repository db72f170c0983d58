/**
 * A case: its facts, the person (masked, each field revealable with a reason), close contacts,
 * travel, notes and (for supervisors) assignments. What the viewer may do comes from the server's
 * `abilities`; the console shows controls accordingly and never decides access itself. Break-glass
 * is offered where the server says it is possible (`abilities.breakGlass`: a case of the
 * investigator's jurisdiction not assigned to them) and on a case that answers 404 (which looks the
 * same whether it does not exist or may not be seen) when the user is an investigator or the case
 * list or a search led there.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, purpose, seg, session } from '../api.ts';
import { FormError, errorMessage } from '../form.tsx';
import { districtName, label, t } from '../i18n.ts';
import { dateTime } from '../format.ts';
import { MaskedField } from '../reveal.tsx';
import { Link, route } from '../router.tsx';
import { useStore } from '../store.ts';
import type { FieldView, IdentityView, MaskableField } from '../../../src/domain/masking.ts';
import type { CaseDetailView as CaseDetail } from '../../../src/domain/views/cases.ts';
import { BreakGlassForm, NoAccess } from './break-glass.tsx';
import { ClassBadge } from './case-list.tsx';
import { Assignments, Contacts, Notes, Travel } from './case-sections.tsx';
import { SubjectRiskStatus } from './risk-status.tsx';

function Fact({ name, value }: { name: string; value: string | null | undefined }) {
  return (
    <div class="kv">
      <dt>{name}</dt>
      <dd>{value ?? t('common.none')}</dd>
    </div>
  );
}

/** The documents as one revealable field (a reveal of `document` returns every number). */
function documentsView(identity: IdentityView): FieldView {
  if (identity.documents.length === 0) return { value: null, masked: false };
  return { value: identity.documents.map((d) => d.value ?? '').join(', '), masked: identity.documents.some((d) => d.masked) };
}

export function IdentityPanel({ subjectId, identity, reveal }: { subjectId: string; identity: IdentityView; reveal: readonly string[] | null }) {
  const fields: Array<[MaskableField, string, FieldView]> = [
    ['name', t('field.name'), identity.name],
    ['document', identity.documents.length ? identity.documents.map((d) => label('doc', d.type)).join(', ') : t('field.document'), documentsView(identity)],
    ['phone', t('field.phone'), identity.phone],
    ['address', t('field.address'), identity.address],
    ['birth_date', t('field.birthDate'), identity.birthDate],
    ['occupation', t('field.occupation'), identity.occupation],
    ['employer', t('field.employer'), identity.employer],
  ];
  return (
    <dl class="facts">
      {fields.map(([field, name, view]) => (
        <MaskedField key={field} label={name} field={field} resourceType="subject" resourceId={subjectId} view={view}
          canReveal={reveal === null || reveal.includes(field)} />
      ))}
      <Fact name={t('field.sex')} value={label('sex', identity.sex)} />
    </dl>
  );
}

export function CaseDetailPage({ id }: { id: string }) {
  const { state } = useStore(route);
  const role = useStore(session)?.account.role;
  const statedPurpose = useStore(purpose);
  const [c, setCase] = useState<CaseDetail | null>(null);
  const [granted, setGranted] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [serial, setSerial] = useState(0);

  useEffect(() => {
    let live = true;
    get<CaseDetail>(`/api/cases/${seg(id)}`).then(
      (r) => { if (live) { setCase(r); setMissing(false); } },
      (err: unknown) => {
        if (!live) return;
        if (err instanceof ApiError && err.status === 404) setMissing(true);
        else setError(errorMessage(err));
      },
    );
    return () => {
      live = false;
    };
  }, [id, serial]);

  const reload = () => setSerial(serial + 1);
  const onGranted = (expiresAt: string) => {
    setGranted(expiresAt);
    reload();
  };
  // Only investigators may break glass; the list or a search leading here says the case is in scope.
  if (missing) return <NoAccess id={id} offer={role === 'investigator' || state?.via === 'list' || state?.via === 'search'} onGranted={onGranted} />;
  if (error) return <FormError message={error} />;
  if (!c) return <p>{t('app.loading')}</p>;

  // In the jurisdiction but not assigned: the case's facts only, until the glass is broken.
  const notAssigned = c.abilities.breakGlass && !c.viaBreakGlass && !granted;
  const showRisk = (role === 'investigator' || role === 'supervisor') && statedPurpose === 'case_investigation' && !notAssigned && !c.viaBreakGlass && !granted;
  return (
    <div class="case" data-testid="case-detail">
      <div class="page-head">
        <h1>{t('case.title', { number: c.caseNumber })} <ClassBadge value={c.classification} /></h1>
        {c.abilities.update ? <Link class="button" href={`/cases/${seg(c.id)}/edit`}>{t('case.edit')}</Link> : null}
        {/* Contact tracing (pages/tracing.tsx) for the roles that may do it; the server decides each request. */}
        {role === 'tracer' || role === 'investigator' || role === 'supervisor' ? <Link class="button" data-testid="tracing-link" href={`/cases/${seg(c.id)}/tracing`}>{t('case.tracing')}</Link> : null}
      </div>
      {c.viaBreakGlass || granted ? (
        <p class="notice notice-warn" data-testid="via-break-glass">
          {t('case.viaBreakGlass')}{granted ? ` ${t('breakGlass.until', { time: dateTime(granted) })}` : ''}
        </p>
      ) : null}
      {notAssigned ? (
        <section class="card" data-testid="break-glass-offer">
          <h2>{t('breakGlass.notAssigned')}</h2>
          <BreakGlassForm id={c.id} onGranted={onGranted} />
        </section>
      ) : null}
      <div class="columns">
        <section class="card" aria-labelledby="facts-title">
          <h2 id="facts-title">{t('case.facts')}</h2>
          <dl class="facts">
            <Fact name={t('cases.caseNumber')} value={c.caseNumber} />
            <Fact name={t('cases.classification')} value={label('class', c.classification)} />
            <Fact name={t('cases.jurisdiction')} value={districtName(c.jurisdictionCode)} />
            <Fact name={t('cases.reportDate')} value={c.reportDate} />
            <Fact name={t('case.onsetDate')} value={c.onsetDate} />
            <Fact name={t('case.confirmationDate')} value={c.confirmationDate} />
            <Fact name={t('case.outcome')} value={label('outcome', c.outcome)} />
            <Fact name={t('case.source')} value={c.source} />
          </dl>
        </section>
        <section class="card" aria-labelledby="person-title" data-testid="identity">
          <div class="card-head">
            <h2 id="person-title">{t('case.person')}</h2>
            {c.abilities.editSubject ? <Link class="button" href={`/cases/${seg(c.id)}/subject/${seg(c.subject.id)}/edit`}>{t('case.editIdentity')}</Link> : null}
          </div>
          <IdentityPanel subjectId={c.subject.id} identity={c.subject.identity} reveal={c.abilities.reveal} />
          {/* The person's risk status (docs/TRACING.md): asked only where the policy lets the role read it under case investigation. */}
          {showRisk ? <dl class="facts"><SubjectRiskStatus subjectId={c.subject.id} /></dl> : null}
        </section>
      </div>
      {notAssigned ? null : <Contacts c={c} />}
      {notAssigned ? null : <Travel c={c} />}
      {notAssigned ? null : <Notes c={c} />}
      {c.abilities.assign || c.assignedStaff.length ? <Assignments c={c} onChanged={reload} /> : null}
    </div>
  );
}
