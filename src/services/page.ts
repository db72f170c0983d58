import { ServiceError } from './errors.ts';

/** A page request as callers give it: an opaque cursor from the previous page, and a size. */
export interface PageInput {
  readonly cursor?: string | null;
  readonly limit?: number | string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Validates a page request (ERR_VALIDATION naming `cursor` or `limit`). Cursors are `<sortable time>|<id>`. */
export function parsePage(page: PageInput): { after: string | null; limit: number } {
  const limit = page.limit === undefined || page.limit === null || page.limit === '' ? DEFAULT_PAGE_SIZE : Number(page.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw new ServiceError('ERR_VALIDATION', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, 'limit');
  const cursor = page.cursor ?? null;
  if (cursor !== null && (typeof cursor !== 'string' || !/^[0-9TZ:.+-]{10,40}\|[A-Za-z0-9_-]{1,100}$/.test(cursor))) {
    throw new ServiceError('ERR_VALIDATION', 'cursor is not one this API returned', 'cursor');
  }
  return { after: cursor, limit };
}
