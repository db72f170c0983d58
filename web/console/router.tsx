/**
 * Client-side routes. Paths carry only pseudonymous ids, never a personal value (search values go
 * in POST bodies); `state` says how the user got to a page (for example from the case list, which
 * makes the break-glass offer on a case the user cannot open).
 * src/http/console.plugin.ts must list every top-level prefix used here.
 */
import type { ComponentChildren } from 'preact';
import { createStore } from './store.ts';

export type NavState = { via?: 'list' | 'search' | 'assignments' | 'review' } | null;

export interface Location {
  path: string;
  state: NavState;
}

/** The console is served under this prefix; the public site (web/public) owns `/`. */
export const CONSOLE_BASE = '/console';

/** The browser path of a console path (`/cases` → `/console/cases`). */
export const consoleUrl = (path: string): string => (path === '/' ? `${CONSOLE_BASE}/` : `${CONSOLE_BASE}${path}`);

const here = (): Location => {
  const p = location.pathname;
  const path = p === CONSOLE_BASE || p === `${CONSOLE_BASE}/` ? '/' : p.startsWith(`${CONSOLE_BASE}/`) ? p.slice(CONSOLE_BASE.length) : p;
  return { path, state: (history.state as NavState) ?? null };
};

export const route = createStore<Location>(here());
window.addEventListener('popstate', () => route.set(here()));

export function navigate(path: string, state: NavState = null, replace = false): void {
  if (replace) history.replaceState(state, '', consoleUrl(path));
  else history.pushState(state, '', consoleUrl(path));
  route.set(here());
  window.scrollTo(0, 0);
}

/** Matches `/cases/:id` against a path; returns the parameters or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.replace(/\/+$/, '').split('/');
  if (path === '/' && pattern === '/') return {};
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      if (!s[i]) return null;
      params[p[i].slice(1)] = decodeURIComponent(s[i]);
    } else if (p[i] !== s[i]) return null;
  }
  return params;
}

interface LinkProps {
  href: string;
  state?: NavState;
  class?: string;
  'data-testid'?: string;
  children?: ComponentChildren;
}

/** An anchor that navigates inside the console (plain clicks only; modified clicks behave as usual). */
export function Link({ href, state = null, children, ...rest }: LinkProps) {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href, state);
  };
  return (
    <a {...rest} href={consoleUrl(href)} onClick={onClick}>
      {children}
    </a>
  );
}
