/**
 * Signing in and out: where the user goes after sign-in (enrolment first), and what happens when
 * the server says the session ended or enrolment is incomplete.
 */
import { post, session, setApiHooks } from './api.ts';
import type { Session } from './api.ts';
import { homePath } from './nav.ts';
import { consoleUrl, navigate, route } from './router.tsx';

export const PUBLIC_PATHS = ['/sign-in'];
export const ENROL_PATHS = ['/enrol/password', '/enrol/terms'];

/** Where to go once signed in and enrolled (a path with ids only). */
let returnTo: string | null = null;

/** Remembers the current page (ids only) to come back to after signing in. */
export function rememberReturn(): void {
  const here = route.get().path;
  if (!PUBLIC_PATHS.includes(here) && !ENROL_PATHS.includes(here) && here !== '/') returnTo = here;
}

/** After sign-in or at load: enrolment first, then the page the user wanted. */
export function continueSignedIn(s: Session): void {
  session.set(s);
  if (s.account.stage === 'password_change') {
    navigate('/enrol/password', null, true);
    return;
  }
  if (!s.account.termsAccepted) {
    navigate('/enrol/terms', null, true);
    return;
  }
  const here = route.get().path;
  const target = returnTo ?? (PUBLIC_PATHS.includes(here) || ENROL_PATHS.includes(here) || here === '/' ? homePath(s.account.role) : here);
  returnTo = null;
  navigate(target, route.get().state, true);
}

setApiHooks({
  onSignedOut() {
    rememberReturn();
    navigate('/sign-in', null, true);
  },
  onPasswordChangeRequired() {
    rememberReturn();
    navigate('/enrol/password', null, true);
  },
  onTermsRequired() {
    rememberReturn();
    navigate('/enrol/terms', null, true);
  },
});

export async function signOut(): Promise<void> {
  try {
    await post('/api/auth/logout');
  } catch {
    // the session is being ended either way
  }
  session.set(null);
  // A full reload drops everything the pages held in memory.
  location.assign(consoleUrl('/sign-in'));
}

