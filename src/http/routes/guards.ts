import type { onRequestAsyncHookHandler } from 'fastify';
import { requireStaff } from '../plugins/session.plugin.ts';

/**
 * Route guards, run as `onRequest` hooks: sign-in, CSRF, forced password change and (for personal
 * data) the confidentiality terms are checked before the body is even parsed, so a request that
 * may not be made learns nothing from validation and changes nothing.
 */
export const personalData = { onRequest: requireStaff({ personalData: true }) as unknown as onRequestAsyncHookHandler };
export const signedIn = { onRequest: requireStaff() as unknown as onRequestAsyncHookHandler };

/** OpenAPI: every staff route needs the session cookie, and state-changing ones the CSRF token. */
export const readSecurity = [{ session: [] }];
export const writeSecurity = [{ session: [], csrf: [] }];
