/**
 * Canonical JSON (docs/DISCLOSURE-STANDARD.md "Published artifacts"): object keys sorted by UTF-16
 * code units, no whitespace, strings and numbers as JSON.stringify writes them; `undefined` members
 * are dropped like JSON.stringify does. The one implementation: the server signs release artifacts
 * over it (src/disclosure/release/artifact.ts re-exports it) and the public site's pages verify the
 * signatures over it in the browser (web/public). Pure.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
