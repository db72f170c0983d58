/**
 * Co-location discovery without decrypting anyone else's trail (docs/TRACING.md "Discovery"):
 *
 * 1. the case's own venue stays in its infectious window are opened (the case's trail only);
 * 2. each stay, widened by the buffer and clipped to the window, gives the co-location tokens of
 *    the venue-hours it covers (docs/CRYPTO.md), computed with the token key;
 * 3. ONE query fetches the token rows equal to any of them (one per 5,000 tokens in a batch);
 * 4. each row's sealed reference opens (system token-ref key) to a travel record id;
 * 5. only those travel records are fetched and opened, each under its own subject's key, to
 *    confirm the exact overlap; every other record of every other person stays sealed.
 *
 * No authorization or audit here: the services call this after authorizing and audit what they
 * return; the co-location bench calls it directly. `probe` counts what is opened (tests prove with
 * it that nothing but the case's trail and the matching records is).
 */
import { colocationToken, DecryptionError, DEFAULT_SLOT_MS, slotsCovering } from '../../crypto/index.ts';
import type { DataKey } from '../../crypto/index.ts';
import { exposureInterval } from '../../tracing/interval.ts';
import type { Interval } from '../../tracing/interval.ts';
import { confirmOverlaps, rankCandidates } from '../../tracing/ranking.ts';
import type { CaseStay, MatchedStay, RankedCandidate } from '../../tracing/ranking.ts';
import type { TracingSettings } from '../../tracing/settings.ts';
import type { Repositories } from '../../storage/store.ts';
import type { TravelWithKey } from '../../storage/tracing.repository.ts';
import type { KeySet } from '../keys.service.ts';
import { openTokenRef, openTravel, unwrapDataKey } from '../subject-cipher.ts';

/** Hooks that see every decryption discovery makes (tests and benchmarks). */
export interface DiscoveryProbe {
  /** A travel record is opened: the case's own (`own`) or a candidate's matching record. */
  onOpenTravel?(travelId: string, subjectId: string, own: boolean): void;
  /** A subject's data key is unwrapped. */
  onUnwrapKey?(subjectId: string): void;
}

/** The case's side of a discovery: whose trail, which window, the venue stays inside it. */
export interface CaseTrail {
  readonly subjectId: string;
  readonly window: Interval;
  readonly stays: readonly CaseStay[];
}

export type EngineKeys = Pick<KeySet, 'keyring' | 'colocation' | 'tokenRef'>;

/** What one discovery found and what it cost (the bench reports these). */
export interface DiscoveryStats {
  tokens: number;
  tokenRows: number;
  recordsOpened: number;
}

/**
 * The case trails of these subjects within these windows: each subject's travel records are read
 * in one query for all of them and opened under that subject's own key; venue visits that touch
 * the window are kept.
 */
export async function loadCaseTrails(keys: EngineKeys, repos: Repositories, cases: readonly { subjectId: string; window: Interval }[], probe: DiscoveryProbe = {}): Promise<CaseTrail[]> {
  const rows = await repos.tracing.travelWithKeysOfSubjects(cases.map((c) => c.subjectId));
  const deks = unwrapKeys(keys, rows, probe);
  const bySubject = new Map<string, { travelId: string; placeId: string; stay: Interval }[]>();
  for (const row of rows) {
    const dek = deks.get(row.subject_id)!;
    probe.onOpenTravel?.(row.id, row.subject_id, true);
    const t = openTravel(dek, row.subject_id, row.id, row.sealed);
    if (t.mode !== 'venue_visit' || !t.placeId) continue;
    const stay = { travelId: row.id, placeId: t.placeId, stay: { start: t.arrival, end: t.departure } };
    const list = bySubject.get(row.subject_id);
    if (list) list.push(stay);
    else bySubject.set(row.subject_id, [stay]);
  }
  return cases.map((c) => ({
    subjectId: c.subjectId,
    window: c.window,
    stays: (bySubject.get(c.subjectId) ?? []).filter((s) => s.stay.end > c.window.start && s.stay.start < c.window.end),
  }));
}

/** The co-location tokens (hex) of a trail: the venue-hours its exposure intervals cover. */
export function trailTokens(keys: EngineKeys, trail: CaseTrail, bufferMs: number): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const s of trail.stays) {
    const e = exposureInterval(s.stay, trail.window, bufferMs);
    if (!e) continue;
    // [start, end) is half-open: its last instant is end − 1 ms.
    for (const slot of slotsCovering(e.start, e.end - 1, DEFAULT_SLOT_MS)) {
      const token = colocationToken(keys.colocation, s.placeId, slot, DEFAULT_SLOT_MS);
      out.set(token.toString('hex'), token);
    }
  }
  return out;
}

/**
 * Discovery for several cases at once: one token query for all their tokens, each matching
 * record opened once. Returns the ranked candidates of each trail (same order) and the costs.
 */
export async function discoverForTrails(keys: EngineKeys, repos: Repositories, trails: readonly CaseTrail[], settings: TracingSettings['discovery'], probe: DiscoveryProbe = {}): Promise<{ candidates: RankedCandidate[][]; stats: DiscoveryStats }> {
  const bufferMs = settings.bufferMinutes * 60_000;
  const tokensOf = trails.map((t) => trailTokens(keys, t, bufferMs));
  const all = new Map<string, Buffer>();
  for (const m of tokensOf) for (const [h, b] of m) all.set(h, b);
  const rows = await repos.tracing.colocationTokensMatching([...all.values()]);
  const tokensOfRecord = new Map<string, Set<string>>();
  for (const row of rows) {
    let id: string;
    try {
      id = openTokenRef(keys.tokenRef, row.token, row.ref);
    } catch (e) {
      if (e instanceof DecryptionError) continue; // a damaged row finds no one; it cannot name anyone else
      throw e;
    }
    const set = tokensOfRecord.get(id) ?? new Set<string>();
    set.add(Buffer.from(row.token).toString('hex'));
    tokensOfRecord.set(id, set);
  }
  // The cases' own stays are open already (a case of the batch may have been with another).
  const own = new Map(trails.flatMap((t) => t.stays.map((s) => [s.travelId, { ...s, subjectId: t.subjectId }] as const)));
  const matched: (MatchedStay & { tokens: Set<string> })[] = [];
  for (const [id, tokens] of tokensOfRecord) {
    const s = own.get(id);
    if (s) matched.push({ ...s, tokens });
  }
  const records = await repos.tracing.travelWithKeysByIds([...tokensOfRecord.keys()].filter((id) => !own.has(id)));
  const deks = unwrapKeys(keys, records, probe);
  for (const r of records) {
    const dek = deks.get(r.subject_id)!;
    probe.onOpenTravel?.(r.id, r.subject_id, false);
    const t = openTravel(dek, r.subject_id, r.id, r.sealed);
    if (t.mode !== 'venue_visit' || !t.placeId) continue;
    matched.push({ subjectId: r.subject_id, travelId: r.id, placeId: t.placeId, stay: { start: t.arrival, end: t.departure }, tokens: tokensOfRecord.get(r.id)! });
  }
  const minOverlapMs = settings.minOverlapMinutes * 60_000;
  const byToken = new Map<string, MatchedStay[]>();
  for (const m of matched) {
    for (const h of m.tokens) {
      const list = byToken.get(h);
      if (list) list.push(m);
      else byToken.set(h, [m]);
    }
  }
  const candidates = trails.map((trail, i) => {
    const relevant = trails.length === 1 ? matched : [...new Set([...tokensOf[i]!.keys()].flatMap((h) => byToken.get(h) ?? []))];
    return rankCandidates(confirmOverlaps(trail.stays, relevant, { window: trail.window, bufferMs, minOverlapMs }, trail.subjectId));
  });
  return { candidates, stats: { tokens: all.size, tokenRows: rows.length, recordsOpened: records.length } };
}

/** Unwraps the data key of each subject of these rows, once per subject. */
function unwrapKeys(keys: EngineKeys, rows: readonly TravelWithKey[], probe: DiscoveryProbe): Map<string, DataKey> {
  const out = new Map<string, DataKey>();
  for (const k of rows) {
    if (out.has(k.subject_id)) continue;
    probe.onUnwrapKey?.(k.subject_id);
    out.set(k.subject_id, unwrapDataKey(keys.keyring.get(k.root_version), k.subject_id, k.wrapped));
  }
  return out;
}
