/**
 * What tracing seals under a person's data key (docs/TRACING.md "What is sealed"), and the small
 * helpers its services share.
 */
import type { DataKey } from '../../crypto/index.ts';
import type { Repositories } from '../../storage/store.ts';
import type { AppContext } from '../app-context.ts';
import { notFound } from '../errors.ts';
import { unwrapDataKey } from '../subject-cipher.ts';

/** discovery_candidates.sealed: how a candidate overlapped with the case (times epoch ms). */
export interface CandidateDetails {
  totalOverlapMs: number;
  firstExposure: number;
  lastExposure: number;
  overlaps: { placeId: string; from: number; to: number; overlapMs: number; travelId: string; caseTravelId: string }[];
}

/** discovery_dismissals.sealed: the tracer's note. */
export interface DismissalNote { note: string }

/**
 * quarantines.sealed: what happened to the quarantine (the dates themselves are in the contact's
 * exposure). `reason` is the stated reason of an extension or the code of an end; `note` the
 * staff's note on ending it (required for the end reason `other`).
 */
export interface QuarantineState {
  events: { at: string; by: string; action: 'start' | 'extend' | 'end' | 'convert' | 'handover'; end?: string; days?: number; reason?: string; note?: string; caseId?: string }[];
}

/** followup_entries.sealed: one day's follow-up. */
export interface FollowupEntry {
  date: string;
  symptoms: string[];
  temperatureC: number | null;
  note: string | null;
}

/** secondary_contacts.sealed: how a contact of a close contact was exposed. */
export interface SecondaryExposure {
  exposureType: string;
  exposureDate: string;
  setting: string | null;
}

/** A subject's data key (from the transaction's repositories). */
export async function dataKeyOf(ctx: Pick<AppContext, 'keys'>, repos: Repositories, subjectId: string): Promise<DataKey> {
  const row = await repos.subjects.getKey(subjectId);
  if (!row) throw notFound();
  return unwrapDataKey(ctx.keys.keyring.get(row.root_version), subjectId, row.wrapped);
}

export const iso = (ms: number) => new Date(ms).toISOString();
