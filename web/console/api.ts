/**
 * The console's only door to the server (docs/STAFF-API.md). Every call states the purpose
 * (`x-epivault-purpose`), every state-changing call carries the CSRF token, and the answers that
 * end a session or require enrolment send the user to the right page.
 */
import { PURPOSES } from '../../src/domain/roles.ts';
import type { Purpose } from '../../src/domain/roles.ts';
import { createStore, readSetting, writeSetting } from './store.ts';

export type { Purpose };
export { PURPOSES };

/** A staff account as `/api/auth/*` describe it. */
export interface Account {
  id: string;
  username: string;
  role: string;
  jurisdiction: string;
  jurisdictionName: string | null;
  /** `password_change`: only the password change, the session probe and sign-out answer. */
  stage: 'active' | 'password_change';
  termsAccepted: boolean;
  demo: boolean;
  sessionExpiresAt: string;
}

export interface Session {
  account: Account;
  csrfToken: string;
}

/** An error answer `{ code, message, field? }`; status 0 means the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const session = createStore<Session | null>(null);

const PURPOSE_KEY = 'epivault.purpose';
const storedPurpose = readSetting(PURPOSE_KEY);
export const purpose = createStore<Purpose>(PURPOSES.includes(storedPurpose as Purpose) ? (storedPurpose as Purpose) : 'case_investigation');
purpose.subscribe((p) => writeSetting(PURPOSE_KEY, p));

/** What the app does when the server says the session is gone or enrolment is incomplete. */
export interface ApiHooks {
  onSignedOut(): void;
  onPasswordChangeRequired(): void;
  onTermsRequired(): void;
}

let hooks: ApiHooks = { onSignedOut() {}, onPasswordChangeRequired() {}, onTermsRequired() {} };
export function setApiHooks(h: ApiHooks): void {
  hooks = h;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CallOptions {
  /** A 401 is the expected answer (sign-in, session probe): do not redirect. */
  quiet401?: boolean;
  /** The purpose this call states instead of the selected one (pages that serve one purpose only, such as reviews under `audit`). */
  purpose?: Purpose;
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: { code?: unknown; message?: unknown; field?: unknown } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON: fall back on the status
  }
  const code = typeof body.code === 'string' ? body.code : `HTTP_${res.status}`;
  const message = typeof body.message === 'string' ? body.message : res.statusText;
  return new ApiError(res.status, code, message, typeof body.field === 'string' ? body.field : undefined);
}

/** Calls the staff API and returns its JSON answer (undefined for 204). */
export async function call<T>(method: Method, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-epivault-purpose': options.purpose ?? purpose.get() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = session.get()?.csrfToken;
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'ERR_NETWORK', 'network error');
  }
  if (!res.ok) {
    const err = await errorOf(res);
    if (res.status === 401 && !options.quiet401) {
      session.set(null);
      hooks.onSignedOut();
    } else if (err.code === 'ERR_PASSWORD_CHANGE_REQUIRED') hooks.onPasswordChangeRequired();
    else if (err.code === 'ERR_TERMS_REQUIRED') hooks.onTermsRequired();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, options?: CallOptions) => call<T>('GET', path, undefined, options);
export const post = <T>(path: string, body?: unknown, options?: CallOptions) => call<T>('POST', path, body ?? {}, options);
export const patch = <T>(path: string, body: unknown, options?: CallOptions) => call<T>('PATCH', path, body, options);
export const del = <T>(path: string) => call<T>('DELETE', path);

/** Builds a query string from the set values only (never personal values: filters and cursors). */
export function query(params: Record<string, string | number | undefined | null | false>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Path segment for an id (ids are pseudonymous, but never trust them to be URL-safe). */
export const seg = (id: string) => encodeURIComponent(id);
