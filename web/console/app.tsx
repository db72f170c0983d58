/**
 * The console's shell: the session probe at load, the enrolment gate (forced password change, then
 * the confidentiality terms), the header (navigation, purpose, language, sign-out), the watermark
 * and the page for the current route.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, PURPOSES, get, purpose, session } from './api.ts';
import { ENROL_PATHS, continueSignedIn, rememberReturn, signOut } from './auth-flow.ts';
import type { Purpose, Session } from './api.ts';
import { label, lang, t } from './i18n.ts';
import { CaseDetailPage } from './pages/case-detail.tsx';
import { CaseFormPage } from './pages/case-form.tsx';
import { CaseListPage } from './pages/case-list.tsx';
import { ClustersPage } from './pages/clusters.tsx';
import { ContactFormPage } from './pages/contact-form.tsx';
import { ActivityPage } from './pages/activity.tsx';
import { AlertDetailPage } from './pages/alerts-detail.tsx';
import { AlertsPage } from './pages/alerts.tsx';
import { AuditLogPage } from './pages/audit-log.tsx';
import { EnrolPasswordPage, TermsPage } from './pages/enrol.tsx';
import { MyAssignmentsPage } from './pages/assignments.tsx';
import { SearchPage } from './pages/search.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { SubjectFormPage } from './pages/subject-form.tsx';
import { BreakGlassReviewPage, SupervisorAssignPage } from './pages/supervisor.tsx';
import { TravelFormPage } from './pages/travel-form.tsx';
import { TracingPage } from './pages/tracing.tsx';
import { HandoversPage } from './pages/handovers.tsx';
import { FollowUpListPage, QuarantinePage } from './pages/follow-up-list.tsx';
import { RiskAreasPage } from './pages/risk-areas.tsx';
import { PrepareReleasePage, ReleaseDetailPage, ReleasesPage } from './pages/releases.tsx';
import { PATHS, navFor } from './nav.ts';
import { Link, match, navigate, route } from './router.tsx';
import { useStore } from './store.ts';
import { mountWatermark } from './watermark.ts';

function LangSwitch() {
  const l = useStore(lang);
  return (
    <button type="button" class="lang" data-testid="lang-switch" title={t('lang.switchTitle')} onClick={() => lang.set(l === 'zh' ? 'en' : 'zh')}>
      {t('lang.switch')}
    </button>
  );
}

function PurposeSelect() {
  const p = useStore(purpose);
  return (
    <label class="purpose">
      <span>{t('nav.purpose')}</span>
      <select data-testid="purpose" value={p} onChange={(e) => purpose.set((e.currentTarget as HTMLSelectElement).value as Purpose)}>
        {PURPOSES.map((x) => <option key={x} value={x}>{label('purpose', x)}</option>)}
      </select>
    </label>
  );
}

function Watermark({ username }: { username: string }) {
  useEffect(() => mountWatermark(username), [username]);
  return null;
}

function Header({ s, enrolling }: { s: Session; enrolling: boolean }) {
  const { path } = useStore(route);
  const nav = (href: string, key: Parameters<typeof t>[0]) => (
    <Link key={href} href={href} class={path === href || (path.startsWith(`${href}/`) && path !== '/cases/new') ? 'active' : ''}>{t(key)}</Link>
  );
  return (
    <header class="top">
      <div class="bar">
        <div class="brand">
          <strong>{t('app.name')}</strong> <span>{t('app.console')}</span>
        </div>
        <div class="tools">
          {enrolling ? null : <PurposeSelect />}
          <span class="who" data-testid="who">{t('nav.signedInAs', { user: s.account.username, role: label('role', s.account.role) })}</span>
          <LangSwitch />
          <button type="button" data-testid="sign-out" onClick={() => void signOut()}>{t('nav.signOut')}</button>
        </div>
      </div>
      {enrolling ? null : (
        <nav class="main">
          {/* Only the pages this role can use (web/console/nav.ts); the server decides every request again. */}
          {navFor(s.account.role).map((e) => nav(e.href, e.label))}
        </nav>
      )}
    </header>
  );
}

function page(path: string): ComponentChildren {
  let p: Record<string, string> | null;
  if (path === '/' || path === '/cases') return <CaseListPage />;
  if (path === '/cases/new') return <CaseFormPage />;
  if ((p = match('/cases/:id', path))) return <CaseDetailPage key={p.id} id={p.id} />;
  if ((p = match('/cases/:id/edit', path))) return <CaseFormPage key={p.id} id={p.id} />;
  if ((p = match('/cases/:id/contacts/new', path))) return <ContactFormPage caseId={p.id} />;
  if ((p = match('/cases/:id/contacts/:contactId/edit', path))) return <ContactFormPage caseId={p.id} contactId={p.contactId} />;
  if ((p = match('/cases/:id/subject/:subjectId/edit', path))) return <SubjectFormPage caseId={p.id} subjectId={p.subjectId} />;
  if ((p = match('/cases/:id/tracing', path))) return <TracingPage key={p.id} id={p.id} />;
  if ((p = match('/cases/:id/subject/:subjectId/travel/new', path))) return <TravelFormPage caseId={p.id} subjectId={p.subjectId} />;
  if ((p = match('/cases/:id/subject/:subjectId/travel/:travelId/edit', path))) return <TravelFormPage caseId={p.id} subjectId={p.subjectId} travelId={p.travelId} />;
  if (path === '/search') return <SearchPage />;
  if (path === '/assignments') return <MyAssignmentsPage />;
  if (path === '/supervisor/assignments') return <SupervisorAssignPage />;
  if (path === '/supervisor/break-glass') return <BreakGlassReviewPage />;
  if (path === PATHS.followUp) return <FollowUpListPage />;
  if ((p = match(`${PATHS.followUp}/:id`, path))) return <QuarantinePage key={p.id} id={p.id} />;
  if (path === PATHS.clusters) return <ClustersPage />;
  if (path === PATHS.handovers) return <HandoversPage />;
  if (path === PATHS.riskAreas) return <RiskAreasPage />;
  if (path === PATHS.alerts) return <AlertsPage />;
  if ((p = match(`${PATHS.alerts}/:id`, path))) return <AlertDetailPage key={p.id} id={p.id} />;
  if (path === PATHS.activity) return <ActivityPage />;
  if ((p = match(`${PATHS.activity}/:accountId`, path))) return <ActivityPage accountId={p.accountId} />;
  if (path === PATHS.auditLog) return <AuditLogPage />;
  if (path === PATHS.releases) return <ReleasesPage />;
  if (path === PATHS.newRelease) return <PrepareReleasePage />;
  if ((p = match(`${PATHS.releases}/:id`, path))) return <ReleaseDetailPage key={p.id} id={p.id} />;
  return <p class="empty">{t('app.notFound')}</p>;
}

export function App() {
  useStore(lang);
  const s = useStore(session);
  const { path } = useStore(route);
  // A new purpose reloads the page: what is shown was fetched under the purpose shown in the header.
  const statedPurpose = useStore(purpose);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    get<Session>('/api/auth/session', { quiet401: true })
      .then((found) => continueSignedIn(found))
      .catch((err: unknown) => {
        session.set(null);
        if (!(err instanceof ApiError) || err.status === 401) {
          rememberReturn();
          navigate('/sign-in', null, true);
        }
      })
      .finally(() => setReady(true));
  }, []);

  if (!ready) return <main class="loading">{t('app.loading')}</main>;
  if (!s || path === '/sign-in') {
    return (
      <div class="signed-out">
        <div class="corner"><LangSwitch /></div>
        <SignInPage />
      </div>
    );
  }
  const enrolling = ENROL_PATHS.includes(path);
  return (
    <div class="shell">
      <Watermark username={s.account.username} />
      <Header s={s} enrolling={enrolling} />
      <main key={statedPurpose}>
        {path === '/enrol/password' ? <EnrolPasswordPage /> : path === '/enrol/terms' ? <TermsPage /> : page(path)}
      </main>
    </div>
  );
}
