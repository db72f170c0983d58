/**
 * Loads the public data with the page: the published releases (and, for the self-check, the venue
 * registry), verifies every release's signature (./verify.ts), and builds the pages' data from the
 * VERIFIED releases only. Every request goes to this origin, without credentials; nothing the
 * visitor enters is ever sent (the requests are the same for everyone).
 */
import type { DailyCounts, ExposurePoint, PublicVenue, ReleaseCheck, RiskArea } from './types.ts';
import { exposurePointsOf, riskAreasOf } from './listing.ts';
import type { Item } from './listing.ts';
import { verifySignature } from './verify.ts';

/** A release as the API sends it; nothing in it is trusted before its signature is checked. */
interface ServedRelease {
  readonly id?: unknown;
  readonly type?: unknown;
  readonly artifact?: { readonly format?: unknown; readonly id?: unknown; readonly type?: unknown; readonly publishedAt?: unknown; readonly content?: { readonly items?: unknown; readonly meta?: Record<string, unknown> } };
  readonly signature?: unknown;
}

export interface PublicData {
  readonly releases: readonly ReleaseCheck[];
  readonly points: readonly ExposurePoint[];
  readonly areas: readonly RiskArea[];
  readonly counts: DailyCounts | null;
  readonly venues: readonly PublicVenue[];
}

const ARTIFACT_FORMAT = 'epivault-release/v1';
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { credentials: 'omit', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

function itemsOf(r: ServedRelease): Item[] {
  const items = r.artifact?.content?.items;
  return Array.isArray(items) ? items.filter((i): i is Item => i !== null && typeof i === 'object') : [];
}

/** Merges the daily-counts releases, newest first: a (code, date) number comes from the newest release that has it. */
export function mergeCounts(newestFirst: readonly { items: readonly Item[]; meta: Record<string, unknown> }[]): DailyCounts | null {
  if (newestFirst.length === 0) return null;
  const series = new Map<string, Map<string, number>>();
  for (const r of newestFirst) {
    for (const i of r.items) {
      const code = str(i.district);
      const date = str(i.date);
      if (!/^\d{2,6}$/.test(code) || !/^\d{4}-\d{2}-\d{2}$/.test(date) || typeof i.count !== 'number') continue;
      const s = series.get(code) ?? new Map<string, number>();
      series.set(code, s);
      if (!s.has(date)) s.set(date, i.count);
    }
  }
  const codes = [...series.keys()].sort();
  const days = [...new Set(codes.flatMap((c) => [...series.get(c)!.keys()]))].sort();
  const meta = newestFirst[0]!.meta;
  return { epsilon: str(meta.epsilon), scale: str(meta.scale), days, totalCode: codes.find((c) => c.length < 6) ?? null, districts: codes.filter((c) => c.length === 6), series };
}

/** Fetches and verifies; `withVenues` also downloads the whole venue registry (the self-check's search). */
export async function loadPublicData(withVenues: boolean): Promise<PublicData> {
  const [list, venues] = await Promise.all([
    getJson('/public/releases') as Promise<{ items?: ServedRelease[] }>,
    withVenues ? getJson('/public/venues') as Promise<{ items?: PublicVenue[] }> : Promise.resolve({ items: [] as PublicVenue[] }),
  ]);
  const served = Array.isArray(list.items) ? list.items : [];
  const checked = await Promise.all(served.map(async (r) => {
    const a = r.artifact;
    const verified = a?.format === ARTIFACT_FORMAT && typeof a.id === 'string' && typeof a.type === 'string' && await verifySignature(a, r.signature);
    return { r, verified };
  }));
  const releases: ReleaseCheck[] = checked.map(({ r, verified }) => ({
    id: verified ? str(r.artifact!.id) : str(r.id), type: verified ? str(r.artifact!.type) : str(r.type), verified,
    publishedAt: verified ? str(r.artifact!.publishedAt) : '', entries: verified ? itemsOf(r).length : 0,
  }));
  const good = checked.filter((c) => c.verified).map((c) => c.r).sort((x, y) => str(y.artifact!.publishedAt).localeCompare(str(x.artifact!.publishedAt)));
  const ofType = (t: string) => good.filter((r) => r.artifact!.type === t);
  return {
    releases,
    points: ofType('exposure_points').flatMap((r) => exposurePointsOf(str(r.artifact!.id), itemsOf(r))),
    areas: ofType('risk_areas').flatMap((r) => riskAreasOf(str(r.artifact!.id), itemsOf(r))),
    counts: mergeCounts(ofType('daily_counts').map((r) => ({ items: itemsOf(r), meta: r.artifact!.content?.meta ?? {} }))),
    venues: Array.isArray(venues.items) ? venues.items : [],
  };
}
