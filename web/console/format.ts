/** Small formatting helpers shared by the pages. */
import type { Page } from '../../src/domain/views/page.ts';

/** Lists may come as a page `{ items }` or a bare array. */
export const itemsOf = <T,>(r: Page<T> | { items: T[] } | T[]): T[] => (Array.isArray(r) ? r : r.items);

/** `2026-12-02 14:05` in the viewer's time zone, from an ISO date-time. */
export function dateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

