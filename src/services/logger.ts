import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/**
 * Structured logs on stderr, or appended to `file` (tests scan such files for canary values).
 * Callers log ids, counts and codes, never personal values; the redaction list is a second line
 * of defence for fields that must never appear.
 */
export function createLogger(level: string = process.env.EPIVAULT_LOG_LEVEL ?? 'info', file?: string): Logger {
  return pino({
    level,
    base: { app: 'epivault' },
    redact: { paths: ['name', 'phone', 'address', 'idNumber', 'documents', 'identity', '*.identity', 'req.headers.cookie', 'req.headers.authorization', 'passphrase'], censor: '[REDACTED]' },
  }, file ? pino.destination({ dest: file, sync: true, append: true }) : pino.destination(2));
}
