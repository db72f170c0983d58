/**
 * Service errors with stable codes, mapped to HTTP and CLI exit codes in one place each. Messages
 * name the field or the problem, never a personal value.
 */
export type ServiceErrorCode = 'ERR_VALIDATION' | 'ERR_NOT_FOUND' | 'ERR_CONFLICT' | 'ERR_AUDIT_FAILED' | 'ERR_CONFIG' | 'ERR_INTERNAL';

export class ServiceError extends Error {
  constructor(readonly code: ServiceErrorCode, message: string, readonly field?: string) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** Not found and forbidden look the same to the caller (DESIGN.md). */
export const notFound = () => new ServiceError('ERR_NOT_FOUND', 'not found or no access');
