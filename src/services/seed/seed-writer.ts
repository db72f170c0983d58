import { documentIndex, randomId, shuffleSecure } from '../../crypto/index.ts';
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

export const SEED_PURPOSE = 'system_seed';

export interface BatchCounts {
  personsWritten: number;
  travelRecords: number;
  tokens: number;
  observations: number;
  contacts: number;
  cases: Partial<Record<Classification, number>>;
  rows: number;
}

const NOTHING: BatchCounts = { personsWritten: 0, travelRecords: 0, tokens: 0, observations: 0, contacts: 0, cases: {}, rows: 0 };

/**
 * Writes one batch in one transaction: people (minus any whose document is already registered),
 * cases, travel, shuffled tokens, observations, the batch's contact links, one audit event per
 * created subject, and the progress marker. A batch that the marker shows as written is skipped.
 */
export async function writeBatch(ctx: AppContext, city: City, job: string, range: { from: number; to: number }, residents: readonly SealedResident[], links: readonly PlannedLink[], sealedWith: RootKey): Promise<BatchCounts> {
  const now = new Date().toISOString();
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
    const contacts = await contactRows(ctx, repos, city, fresh, links, now);
    await repos.cases.insertContactLinks(contacts);
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
      personsWritten: fresh.length, travelRecords: travel.length, tokens: tokens.length, observations: observations.length, contacts: contacts.length, cases: byClass,
      rows: fresh.length * 5 + cases.length + travel.length + tokens.length + observations.length + contacts.length,
    };
  });
}

interface Contact { subjectId: string; dek: DataKey; fromDatabase: boolean }

/**
 * The batch's contact links, sealed under each contact's data key. A person of this batch is
 * taken from the batch; an earlier one is found by the blind index of their identity number
 * (their case by its number), since ids are random and an earlier run may have written them.
 */
async function contactRows(ctx: AppContext, repos: Repositories, city: City, fresh: readonly SealedResident[], links: readonly PlannedLink[], now: string): Promise<NewContactLink[]> {
  if (links.length === 0) return [];
  const caseIds = new Map<string, string>();
  for (const r of fresh) if (r.sealed.case) caseIds.set(r.sealed.case.case_number, r.sealed.case.id);
  const inBatch = new Map(fresh.map((r) => [r.index, r]));
  const contacts = new Map<number, Contact>();
  for (const q of new Set(links.map((l) => l.contactIndex))) {
    const key = inBatch.get(q)?.sealed.person.key;
    if (key) contacts.set(q, { subjectId: key.subject_id, dek: unwrapDataKey(ctx.keys.keyring.get(key.root_version), key.subject_id, key.wrapped), fromDatabase: false });
  }
  const numberOf = (l: PlannedLink) => city.plan.cases.get(l.caseIndex)!.caseNumber;
  const missingCases = [...new Set(links.map(numberOf).filter((n) => !caseIds.has(n)))];
  for (const [n, id] of await repos.cases.caseIdsByNumber(missingCases)) caseIds.set(n, id);

  const earlier = [...new Set(links.map((l) => l.contactIndex).filter((q) => !contacts.has(q)))];
  const bidx = earlier.map((q) => documentIndex(ctx.keys.documentIndex, 'resident_id', normalizeDocumentNumber('resident_id', city.idNumber(q))));
  const found = await repos.subjects.findByDocuments(bidx);
  for (let k = 0; k < earlier.length; k++) {
    const subjectId = found.get(bidx[k]!.toString('hex'));
    const key = subjectId === undefined ? undefined : await repos.subjects.getKey(subjectId);
    if (subjectId && key) contacts.set(earlier[k]!, { subjectId, dek: unwrapDataKey(ctx.keys.keyring.get(key.root_version), subjectId, key.wrapped), fromDatabase: true });
  }

  const rows: NewContactLink[] = [];
  for (const l of links) {
    const caseId = caseIds.get(numberOf(l));
    const contact = contacts.get(l.contactIndex);
    if (caseId === undefined || contact === undefined) continue;
    if (contact.fromDatabase && (await repos.cases.contactsOfCase(caseId)).some((c) => c.contact_subject_id === contact.subjectId)) continue;
    const id = randomId('k');
    rows.push({ id, case_id: caseId, contact_subject_id: contact.subjectId, sealed: sealSubjectJson(contact.dek, contact.subjectId, 'contact_links', id, l.exposure), created_at: now });
  }
  return rows;
}
