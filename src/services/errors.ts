/**
 * Service errors with stable codes, mapped to HTTP and CLI exit codes in one place each. Messages
 * name the field or the problem, never a personal value.
 */
export type ServiceErrorCode = 'ERR_VALIDATION' | 'ERR_NOT_FOUND' | 'ERR_CONFLICT' | 'ERR_AUDIT_FAILED' | 'ERR_CONFIG' | 'ERR_INTERNAL'
  | 'ERR_AUTH' | 'ERR_CSRF' | 'ERR_THROTTLED' | 'ERR_TERMS_REQUIRED' | 'ERR_PASSWORD_CHANGE_REQUIRED' | 'ERR_REASON_REQUIRED';

export class ServiceError extends Error {
  constructor(readonly code: ServiceErrorCode, message: string, readonly field?: string) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** Not found and forbidden look the same to the caller (DESIGN.md). */
export const notFound = () => new ServiceError('ERR_NOT_FOUND', 'not found or no access');

/** Too many failed sign-ins for this username or address: answer 429 with `retry-after`. */
export class ThrottledError extends ServiceError {
  constructor(readonly retryAfterSeconds: number) {
    super('ERR_THROTTLED', 'too many failed sign-ins; try again later');
  }
}
