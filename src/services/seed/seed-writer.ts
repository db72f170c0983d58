import { documentIndex, randomId, shuffleSecure } from '../../crypto/index.ts';
import { todayIsoDate } from '../../domain/dates.ts';
import type { DataKey, RootKey } from '../../crypto/index.ts';
import { normalizeDocumentNumber } from '../../domain/documents.ts';
import type { Classification } from '../../domain/model.ts';
import type { NewContactLink } from '../../storage/schema.ts';
import type { Repositories } from '../../storage/store.ts';
import type { AppContext } from '../app-context.ts';
import { toAuditRow } from '../audit.service.ts';
import { sealSubjectJson, unwrapDataKey } from '../subject-cipher.ts';
import { rewrapOvertaken, underCurrentRoot } from '../key-currency.ts';
import type { City } from './city-generator.ts';
import type { SealedResident } from './seal-city.ts';
import type { PlannedLink } from './city.types.ts';
import { quarantineRows, storeRiskStatuses } from './seed-follow-up.ts';
import type { SeededLink } from './seed-follow-up.ts';

export const SEED_PURPOSE = 'system_seed';

export interface BatchCounts {
  personsWritten: number;
  travelRecords: number;
  tokens: number;
  observations: number;
  contacts: number;
  /** Quarantine records of the contact links (one each). */
  quarantines: number;
  /** Risk statuses stored: one per contact of the batch's links. */
  riskStatuses: number;
  cases: Partial<Record<Classification, number>>;
  rows: number;
}

const NOTHING: BatchCounts = { personsWritten: 0, travelRecords: 0, tokens: 0, observations: 0, contacts: 0, quarantines: 0, riskStatuses: 0, cases: {}, rows: 0 };

/**
 * Writes one batch in one transaction: people (minus any whose document is already registered),
 * cases, travel, shuffled tokens, observations, the batch's contact links with their quarantines
 * and their contacts' risk statuses (seed-follow-up.ts), one audit event per created subject, and
 * the progress marker. A batch that the marker shows as written is skipped.
 */
export async function writeBatch(ctx: AppContext, city: City, job: string, range: { from: number; to: number }, residents: readonly SealedResident[], links: readonly PlannedLink[], sealedWith: RootKey): Promise<BatchCounts> {
  const clock = new Date();
  const now = clock.toISOString();
  const today = todayIsoDate(undefined, clock.getTime());
  return ctx.store.transaction(async (repos) => {
    if (Number((await repos.system.getProgress(job)) ?? 0) >= range.to) return NOTHING;
    const existing = await repos.subjects.findByDocuments(residents.flatMap((r) => r.sealed.person.documents.map((d) => d.doc_bidx)));
    const seen = new Set(existing.keys());
    const unseen = residents.filter((r) => {
      if (r.sealed.documentKeys.some((k) => seen.has(k))) return false;
      r.sealed.documentKeys.forEach((k) => seen.add(k));
      return true;
    });
    // Sealed with the pool's root key: caught up with a rotation made meanwhile (key-currency.ts).
    const current = underCurrentRoot(ctx.keys.keyring, sealedWith, unseen.map((r) => r.sealed));
    const fresh = unseen.map((r, i) => ({ ...r, sealed: current.rows[i]! }));
    const cases = fresh.flatMap((r) => (r.sealed.case ? [r.sealed.case] : []));
    const travel = fresh.flatMap((r) => r.travel);
    const tokens = shuffleSecure(fresh.flatMap((r) => r.tokens));
    const observations = fresh.flatMap((r) => r.observations);
    await repos.subjects.insertPeople(fresh.map((r) => r.sealed.person));
    await repos.cases.insertCases(cases);
    await repos.travel.insertTravel(travel);
    await repos.travel.insertTokens(tokens);
    await repos.tracing.insertDistrictTokens(shuffleSecure(fresh.flatMap((r) => r.districtTokens)));
    await repos.cases.insertObservations(observations);
    const seeded = await contactRows(ctx, repos, city, fresh, links, now);
    const contacts = seeded.map((s) => s.row);
    await repos.cases.insertContactLinks(contacts);
    const quarantines = quarantineRows(ctx.actor.id, seeded, now, today);
    for (const q of quarantines) await repos.tracing.insertQuarantine(q);
    const riskStatuses = await storeRiskStatuses(ctx, repos, city, fresh, seeded, range.to, clock, today);
    await repos.audit.appendMany(fresh.map((r) => toAuditRow(ctx.keys, ctx.actor, {
      action: 'create',
      resourceType: r.sealed.case ? 'case' : 'subject',
      resourceId: r.sealed.case?.id ?? null,
      subjectRef: r.sealed.subjectRef,
      purpose: SEED_PURPOSE,
      outcome: 'success',
    }, now)));
    await repos.system.setProgress(job, String(range.to), now);
    await rewrapOvertaken(repos, ctx.keys.keyring, current.root, fresh.map((r) => r.sealed.person.key));
    const byClass: Partial<Record<Classification, number>> = {};
    for (const c of cases) byClass[c.classification as Classification] = (byClass[c.classification as Classification] ?? 0) + 1;
    return {
      personsWritten: fresh.length, travelRecords: travel.length, tokens: tokens.length, observations: observations.length, contacts: contacts.length,
      quarantines: quarantines.length, riskStatuses, cases: byClass,
      rows: fresh.length * 5 + cases.length + travel.length + tokens.length + observations.length + contacts.length + quarantines.length + riskStatuses,
    };
  });
}

interface Contact { subjectId: string; dek: DataKey; fromDatabase: boolean }

/** A link row to insert, with what its quarantine and the contact's risk status need. */
interface Seeded extends SeededLink { row: NewContactLink }

/**
 * The batch's contact links, sealed under each contact's data key. A person of this batch is
 * taken from the batch; an earlier one is found by the blind index of their identity number
 * (their case by its number), since ids are random and an earlier run may have written them.
 */
async function contactRows(ctx: AppContext, repos: Repositories, city: City, fresh: readonly SealedResident[], links: readonly PlannedLink[], now: string): Promise<Seeded[]> {
  if (links.length === 0) return [];
  const caseIds = new Map<string, string>();
  /** Case id → the case's jurisdiction. */
  const jurisdictions = new Map<string, string>();
  for (const r of fresh) {
    if (!r.sealed.case) continue;
    caseIds.set(r.sealed.case.case_number, r.sealed.case.id);
    jurisdictions.set(r.sealed.case.id, r.sealed.case.jurisdiction_code);
  }
  const inBatch = new Map(fresh.map((r) => [r.index, r]));
  const contacts = new Map<number, Contact>();
  for (const q of new Set(links.map((l) => l.contactIndex))) {
    const key = inBatch.get(q)?.sealed.person.key;
    if (key) contacts.set(q, { subjectId: key.subject_id, dek: unwrapDataKey(ctx.keys.keyring.get(key.root_version), key.subject_id, key.wrapped), fromDatabase: false });
  }
  const numberOf = (l: PlannedLink) => city.plan.cases.get(l.caseIndex)!.caseNumber;
  const missingCases = [...new Set(links.map(numberOf).filter((n) => !caseIds.has(n)))];
  const earlierCases = await repos.cases.caseIdsByNumber(missingCases);
  for (const [n, id] of earlierCases) caseIds.set(n, id);
  for (const c of await repos.tracing.casesByIds([...earlierCases.values()])) jurisdictions.set(c.id, c.jurisdiction_code);

  const earlier = [...new Set(links.map((l) => l.contactIndex).filter((q) => !contacts.has(q)))];
  const bidx = earlier.map((q) => documentIndex(ctx.keys.documentIndex, 'resident_id', normalizeDocumentNumber('resident_id', city.idNumber(q))));
  const found = await repos.subjects.findByDocuments(bidx);
  for (let k = 0; k < earlier.length; k++) {
    const subjectId = found.get(bidx[k]!.toString('hex'));
    const key = subjectId === undefined ? undefined : await repos.subjects.getKey(subjectId);
    if (subjectId && key) contacts.set(earlier[k]!, { subjectId, dek: unwrapDataKey(ctx.keys.keyring.get(key.root_version), subjectId, key.wrapped), fromDatabase: true });
  }

  const rows: Seeded[] = [];
  for (const l of links) {
    const caseId = caseIds.get(numberOf(l));
    const contact = contacts.get(l.contactIndex);
    if (caseId === undefined || contact === undefined) continue;
    if (contact.fromDatabase && (await repos.cases.contactsOfCase(caseId)).some((c) => c.contact_subject_id === contact.subjectId)) continue;
    const id = randomId('k');
    rows.push({
      row: { id, case_id: caseId, contact_subject_id: contact.subjectId, sealed: sealSubjectJson(contact.dek, contact.subjectId, 'contact_links', id, l.exposure), created_at: now },
      id, contactIndex: l.contactIndex, contactSubjectId: contact.subjectId, dek: contact.dek, exposure: l.exposure, caseJurisdiction: jurisdictions.get(caseId)!,
    });
  }
  return rows;
}
