import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { isPurpose } from '../../domain/roles.ts';
import type { AppContext } from '../../services/app-context.ts';
import { ServiceError } from '../../services/errors.ts';
import { csrfValid, DEFAULT_SESSION_POLICY, resumeSession } from '../../services/session.service.ts';
import type { SessionPolicy, StaffSession } from '../../services/session.service.ts';
import type { StaffActor, StaffRequest } from '../../services/staff-context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member, or null (no cookie, ended, expired, disabled). */
    staff: StaffActor | null;
    staffSession: StaffSession | null;
  }
  interface FastifyInstance {
    /** The clock sessions are judged by (tests inject one). */
    staffClock: () => Date;
    staffSessionPolicy: SessionPolicy;
  }
}

/** The session cookie (docs/STAFF-API.md). */
export const SESSION_COOKIE = 'ev_session';
export const CSRF_HEADER = 'x-csrf-token';
export const PURPOSE_HEADER = 'x-epivault-purpose';
export const HSTS = 'max-age=31536000; includeSubDomains';

export interface SessionPluginOptions {
  readonly ctx: AppContext;
  /** Idle and absolute timeouts (config EPIVAULT_SESSION_IDLE_MINUTES / EPIVAULT_SESSION_MAX_HOURS). */
  readonly policy?: SessionPolicy;
  readonly clock?: () => Date;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether a matched route pattern belongs to the staff scope — the staff API (`/api`, `/api/…`)
 * and the console (`/console/…`) — the only routes whose requests resume a session. Judged on the
 * route the router matched (not the raw URL), so an unmatched or public route is never staff.
 */
export function isStaffRoute(routeUrl: string | undefined): boolean {
  if (routeUrl === undefined) return false;
  return routeUrl === '/api' || routeUrl.startsWith('/api/') || routeUrl === '/console' || routeUrl.startsWith('/console/');
}

/**
 * Reads the `ev_session` cookie on requests to staff routes (./isStaffRoute) and decorates
 * `request.staff` and `request.staffSession` (null when there is no valid session, and always on
 * the public scope's routes: the public site never touches staff data). Over TLS every response
 * carries HSTS. Registered at the root (not encapsulated), so every route sees the decorations.
 */
async function sessionPluginImpl(app: FastifyInstance, opts: SessionPluginOptions): Promise<void> {
  const clock = opts.clock ?? (() => new Date());
  const policy = opts.policy ?? DEFAULT_SESSION_POLICY;
  if (!app.hasRequestDecorator('cookies')) await app.register(cookie);
  app.decorate('staffClock', clock);
  app.decorate('staffSessionPolicy', policy);
  app.decorateRequest('staff', null);
  app.decorateRequest('staffSession', null);

  app.addHook('onRequest', async (request) => {
    // Only the staff scope's routes look at sessions: the public site and API, /healthz and unknown
    // URLs neither read the staff tables nor move a session's last_seen_at (request.staff stays null).
    if (!isStaffRoute(request.routeOptions.url)) return;
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await resumeSession(opts.ctx, token, clock(), policy);
    request.staffSession = session;
    request.staff = session?.actor ?? null;
  });

  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
  });
}

// Same effect as fastify-plugin: the hooks and decorations apply outside this plugin's scope too.
(sessionPluginImpl as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
(sessionPluginImpl as unknown as Record<symbol, string>)[Symbol.for('fastify.display-name')] = 'epivault-session';
export const sessionPlugin = sessionPluginImpl;

export interface RequireStaffOptions {
  /** The route serves personal data: the current confidentiality terms must be accepted. */
  readonly personalData?: boolean;
  /** The route is one of the three a session that must change its password may call. */
  readonly allowPasswordChange?: boolean;
}

/**
 * preHandler for staff routes: 401 ERR_AUTH without a session; 403 ERR_CSRF on POST, PUT, PATCH
 * or DELETE without the session's `x-csrf-token`; 403 ERR_PASSWORD_CHANGE_REQUIRED while the
 * password must be changed; 403 ERR_TERMS_REQUIRED on personal-data routes until the current
 * terms are accepted. Checked in that order, before the route's handler runs (so nothing changes).
 */
export function requireStaff(options: RequireStaffOptions = {}): preHandlerAsyncHookHandler {
  return async (request: FastifyRequest) => {
    const session = request.staffSession;
    if (!session) throw new ServiceError('ERR_AUTH', 'not signed in');
    if (STATE_CHANGING.has(request.method) && !csrfValid(session, request.headers[CSRF_HEADER])) {
      throw new ServiceError('ERR_CSRF', 'missing or wrong x-csrf-token', CSRF_HEADER);
    }
    if (session.stage === 'password_change' && !options.allowPasswordChange) {
      throw new ServiceError('ERR_PASSWORD_CHANGE_REQUIRED', 'change the one-time password first');
    }
    if (options.personalData && !session.actor.termsAccepted) {
      throw new ServiceError('ERR_TERMS_REQUIRED', 'accept the current confidentiality terms first');
    }
  };
}

/**
 * The StaffRequest a service needs, from a request that passed `requireStaff`: the actor, the
 * purpose stated in `x-epivault-purpose` (missing or unknown → 400 ERR_VALIDATION naming the
 * header), the request id and the time.
 */
export function staffRequest(request: FastifyRequest): StaffRequest {
  const session = request.staffSession;
  if (!session) throw new ServiceError('ERR_AUTH', 'not signed in');
  const purpose = request.headers[PURPOSE_HEADER];
  if (!isPurpose(purpose)) throw new ServiceError('ERR_VALIDATION', `${PURPOSE_HEADER}: missing or unknown purpose`, PURPOSE_HEADER);
  return { actor: session.actor, purpose, requestId: request.id, now: request.server.staffClock() };
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Path=/, Secure over TLS, expiring with the session. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, session: StaffSession): void {
  reply.setCookie(SESSION_COOKIE, session.token, {
    httpOnly: true, sameSite: 'strict', path: '/', secure: request.protocol === 'https', expires: new Date(session.expiresAt),
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure: request.protocol === 'https' });
}
