/**
 * District-day tokens (docs/TRACING.md "Risk areas", docs/CRYPTO.md): beside the venue-hour
 * co-location tokens, each venue visit gets one token per China day it touches in the district of
 * its venue, `HMAC-SHA256(token/colocation key, "epivault/district-day/v1" 0x00 district 0x00 day)`
 * truncated to 16 bytes (a label of its own, so it can never equal a venue-hour token), stored as
 * (token, ref) in `district_day_tokens` with ref = the travel record id sealed under the
 * system/token-ref key, bound to the token and the table. Finding who stayed in a district during
 * a window is then an equality query over a handful of tokens.
 *
 * Every path that writes or changes a venue visit writes these too: `districtDayTokenRows` for
 * the seed's worker (which knows each venue's district), `writeDistrictDayTokens` and
 * `removeDistrictDayTokens` for the services (which look the district up in the registry).
 */
import { labelledMac, open, seal, shuffleSecure, TOKEN_BYTES } from '../../crypto/index.ts';
import type { Binding, SystemKey, TokenKey } from '../../crypto/index.ts';
import type { TravelRecord } from '../../domain/model.ts';
import { daysCovering } from '../../tracing/interval.ts';
import type { NewDistrictDayToken } from '../../storage/tracing.repository.ts';
import type { Repositories } from '../../storage/store.ts';

export const DISTRICT_DAY_LABEL = 'epivault/district-day/v1';

export interface DistrictTokenKeys {
  readonly colocation: TokenKey;
  readonly tokenRef: SystemKey;
}

/** The token of one (district, China day number). */
export function districtDayToken(key: TokenKey, districtCode: string, day: number): Buffer {
  return labelledMac(key, DISTRICT_DAY_LABEL, `${districtCode}\u0000${day}`, TOKEN_BYTES);
}

export const districtRefBinding = (token: Uint8Array): Binding => ({ keyId: 'system/token-ref', table: 'district_day_tokens', column: 'ref', rowId: Buffer.from(token).toString('hex') });

/** The travel record id behind a district-day token row. */
export function openDistrictRef(key: SystemKey, token: Uint8Array, ref: Uint8Array): string {
  return open(key, ref, districtRefBinding(token)).toString('utf8');
}

/** The district-day token rows of one venue visit in a venue of `districtCode` (none for a trip or an unknown venue). */
export function districtDayTokenRows(keys: DistrictTokenKeys, travelId: string, travel: TravelRecord, districtCode: string | undefined): NewDistrictDayToken[] {
  if (travel.mode !== 'venue_visit' || !travel.placeId || !districtCode) return [];
  return daysCovering({ start: travel.arrival, end: travel.departure }).map((day) => {
    const token = districtDayToken(keys.colocation, districtCode, day);
    return { token, ref: seal(keys.tokenRef, Buffer.from(travelId, 'utf8'), districtRefBinding(token)) };
  });
}

/** Writes the district-day tokens of these visits (districts from the venue registry), shuffled; in the caller's transaction. */
export async function writeDistrictDayTokens(keys: DistrictTokenKeys, repos: Repositories, visits: readonly { travelId: string; travel: TravelRecord }[]): Promise<number> {
  const districts = new Map((await repos.tracing.placesByIds(visits.flatMap((v) => (v.travel.placeId ? [v.travel.placeId] : [])))).map((p) => [p.id, p.district_code]));
  const rows = shuffleSecure(visits.flatMap((v) => districtDayTokenRows(keys, v.travelId, v.travel, v.travel.placeId ? districts.get(v.travel.placeId) : undefined)));
  await repos.tracing.insertDistrictTokens(rows);
  return rows.length;
}

/** Deletes the district-day tokens of a visit about to change (recomputed from its old content; a row is its if its ref opens to its id). */
export async function removeDistrictDayTokens(keys: DistrictTokenKeys, repos: Repositories, travelId: string, old: TravelRecord): Promise<void> {
  if (old.mode !== 'venue_visit' || !old.placeId) return;
  const place = (await repos.tracing.placesByIds([old.placeId]))[0];
  if (!place) return;
  const tokens = daysCovering({ start: old.arrival, end: old.departure }).map((d) => districtDayToken(keys.colocation, place.district_code, d));
  const mine = (await repos.tracing.districtTokensMatching(tokens)).filter((r) => {
    try {
      return openDistrictRef(keys.tokenRef, r.token, r.ref) === travelId;
    } catch {
      return false;
    }
  });
  await repos.tracing.deleteDistrictTokens(mine);
}

/** place id → district code, for the seed's worker (`districtDayTokenRows`). */
export function districtsOfPlaces(places: readonly { id: string; districtCode: string }[]): Record<string, string> {
  return Object.fromEntries(places.map((p) => [p.id, p.districtCode]));
}
