/**
 * A subject's travel records for staff: list, add and change them. A venue visit also writes one
 * co-location token per hour it covers (as the seed and the import do, subject-cipher.ts
 * `sealTravel`); changing a visit removes its old tokens and writes the new ones in the same
 * transaction, so contact discovery never sees a stale place or time.
 */
import { colocationToken, DEFAULT_SLOT_MS, slotsCovering } from '../crypto/index.ts';
import type { TravelMode, TravelRecord } from '../domain/model.ts';
import type { TravelView } from '../domain/views/cases.ts';
import type { Page } from '../domain/views/page.ts';
import type { TravelRecordRow } from '../storage/travel.repository.ts';
import type { Repositories } from '../storage/store.ts';
import type { AppContext } from './app-context.ts';
import { accessAudit, authorize } from './access.service.ts';
import { appendAudit } from './audit.service.ts';
import { notFound } from './errors.ts';
import { checkOnlyFields, invalid, subjectKey } from './staff-records.ts';
import type { StaffRequest } from './staff-context.ts';
import { decodeCursor, encodeCursor, validateTravel } from './staff-input.ts';
import type { TravelFields } from './staff-input.ts';
import { openTokenRef, openTravel, sealTravel } from './subject-cipher.ts';
import { removeDistrictDayTokens, writeDistrictDayTokens } from './tracing/district-tokens.ts';
import { recomputeRiskStatus } from './tracing/risk-status.service.ts';

/** A page of a subject's travel records (one audit event for the page). */
export async function listTravel(ctx: AppContext, req: StaffRequest, subjectId: string, q: { cursor?: string; limit: number }): Promise<Page<TravelView>> {
  const after = decodeCursor(q.cursor, 1);
  const authorized = await authorize(ctx, req, 'list', { type: 'travel', parent: { type: 'subject', id: subjectId } });
  return ctx.store.transaction(async (repos) => {
    const rows = await repos.travel.pageOfSubject(subjectId, after?.[0], q.limit + 1);
    const page = rows.slice(0, q.limit);
    const dek = await subjectKey(ctx, repos, subjectId);
    const items: TravelView[] = [];
    for (const row of page) items.push(await travelView(repos, row.id, subjectId, openTravel(dek, subjectId, row.id, row.sealed)));
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'list', authorized, { resourceType: 'travel' }));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null };
  });
}

/** Adds a travel record to a subject; a venue visit must name a place of the public registry. */
export async function addTravel(ctx: AppContext, req: StaffRequest, subjectId: string, input: TravelFields): Promise<TravelView> {
  const travel = validateTravel(input, req.now);
  const authorized = await authorize(ctx, req, 'create', { type: 'travel', parent: { type: 'subject', id: subjectId } });
  return ctx.store.transaction(async (repos) => {
    await checkPlace(repos, travel);
    const dek = await subjectKey(ctx, repos, subjectId);
    const { record, tokens } = sealTravel(ctx.keys, dek, subjectId, travel);
    await repos.travel.insertTravel([record]);
    await repos.travel.insertTokens(tokens);
    await writeDistrictDayTokens(ctx.keys, repos, [{ travelId: record.id, travel }]);
    await recomputeRiskStatus(ctx, repos, [subjectId], req.now);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'create', authorized, { resourceType: 'travel', resourceId: record.id }));
    return travelView(repos, record.id, subjectId, travel);
  });
}

export interface TravelChange {
  mode?: TravelMode;
  placeId?: string | null;
  placeText?: string | null;
  arrival?: string;
  departure?: string;
}

/** Changes a travel record: sealed again under the same id, its co-location tokens replaced. */
export async function updateTravel(ctx: AppContext, req: StaffRequest, id: string, change: TravelChange): Promise<TravelView> {
  const authorized = await authorize(ctx, req, 'update', { type: 'travel', id });
  checkOnlyFields(authorized.obligations.onlyFields, change);
  return ctx.store.transaction(async (repos) => {
    const row = await repos.travel.getTravel(id);
    if (!row) throw notFound();
    const dek = await subjectKey(ctx, repos, row.subject_id);
    const old = openTravel(dek, row.subject_id, id, row.sealed);
    const mode = change.mode ?? old.mode;
    const travel = validateTravel({
      mode,
      placeId: change.placeId !== undefined ? change.placeId : mode === 'venue_visit' ? old.placeId ?? null : null,
      placeText: change.placeText !== undefined ? change.placeText : old.placeText ?? null,
      arrival: change.arrival ?? new Date(old.arrival).toISOString(),
      departure: change.departure ?? new Date(old.departure).toISOString(),
    }, req.now);
    await checkPlace(repos, travel);
    await removeTokens(ctx, repos, row, old);
    await removeDistrictDayTokens(ctx.keys, repos, id, old);
    const { record, tokens } = sealTravel(ctx.keys, dek, row.subject_id, travel, DEFAULT_SLOT_MS, id);
    await repos.travel.updateTravel(id, record.sealed);
    await repos.travel.insertTokens(tokens);
    await writeDistrictDayTokens(ctx.keys, repos, [{ travelId: id, travel }]);
    await recomputeRiskStatus(ctx, repos, [row.subject_id], req.now);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'update', authorized, { resourceType: 'travel', resourceId: id }));
    return travelView(repos, id, row.subject_id, travel);
  });
}

async function checkPlace(repos: Repositories, travel: TravelRecord): Promise<void> {
  if (travel.placeId !== undefined && !(await repos.travel.getPlace(travel.placeId))) throw invalid('placeId', 'is not a place of the venue registry');
}

/** Deletes the token rows of a venue visit: its tokens are recomputed, and a row is this record's if its sealed reference opens to this id. */
async function removeTokens(ctx: AppContext, repos: Repositories, row: TravelRecordRow, old: TravelRecord): Promise<void> {
  if (old.mode !== 'venue_visit' || !old.placeId) return;
  const tokens = slotsCovering(old.arrival, old.departure, DEFAULT_SLOT_MS).map((slot) => colocationToken(ctx.keys.colocation, old.placeId!, slot, DEFAULT_SLOT_MS));
  const mine = (await repos.travel.tokensMatching(tokens)).filter((t) => {
    try {
      return openTokenRef(ctx.keys.tokenRef, t.token, t.ref) === row.id;
    } catch {
      return false;
    }
  });
  await repos.travel.deleteTokens(mine);
}

async function travelView(repos: Repositories, id: string, subjectId: string, t: TravelRecord): Promise<TravelView> {
  const place = t.placeId ? await repos.travel.getPlace(t.placeId) : undefined;
  return {
    id, subjectId, mode: t.mode, placeId: t.placeId ?? null, placeName: place?.name ?? null, placeText: t.placeText ?? null,
    arrival: new Date(t.arrival).toISOString(), departure: new Date(t.departure).toISOString(),
  };
}

