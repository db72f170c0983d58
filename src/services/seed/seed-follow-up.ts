/**
 * The follow-up state of the synthetic city's close contacts, written with their links in the
 * seed's batch transaction: the quarantine record of each link (as `startQuarantine` writes it,
 * src/services/tracing/follow-up.service.ts) and the risk status of each contact (as
 * `recomputeRiskStatus` would compute it, but for the whole batch in one pass over the outbreak
 * plan instead of reading and opening each person's records). Cases without a link as a contact
 * get no stored status, as before: reading one computes it.
 */
import { randomId } from '../../crypto/index.ts';
import type { DataKey } from '../../crypto/index.ts';
import type { Classification, ContactExposure } from '../../domain/model.ts';
import { ACTIVE_RISK_RULES, evaluateRisk } from '../../tracing/risk-rules.ts';
import type { RiskFacts, RiskLevel, RiskRules } from '../../tracing/risk-rules.ts';
import type { QuarantineRow, RiskStatusRow } from '../../storage/tracing.repository.ts';
import type { Repositories } from '../../storage/store.ts';
import type { AppContext } from '../app-context.ts';
import { sealSubjectJson } from '../subject-cipher.ts';
import { recomputeRiskStatus } from '../tracing/risk-status.service.ts';
import type { QuarantineState } from '../tracing/tracing-records.ts';
import type { City } from './city-generator.ts';
import type { PlannedLink } from './city.types.ts';
import type { SealedResident } from './seal-city.ts';

/** A contact link the batch writes, with what its quarantine and the contact's status need. */
export interface SeededLink {
  readonly id: string;
  /** The contact's person index in the city. */
  readonly contactIndex: number;
  readonly contactSubjectId: string;
  readonly dek: DataKey;
  readonly exposure: ContactExposure;
  /** The jurisdiction of the link's case: the one responsible for the quarantine (as on the case page). */
  readonly caseJurisdiction: string;
}

/**
 * The quarantine of each link: the state `startQuarantine` seals (a `start` event with the end
 * date), for the case's jurisdiction, assigned to no one (the case's staff follow it up). The
 * planned dates are in the link's exposure already. A quarantine whose end date is before today
 * is `ended` (an `end` event with the reason `completed`); one still running is `active`.
 */
export function quarantineRows(actorId: string, links: readonly SeededLink[], now: string, today: string): QuarantineRow[] {
  return links.map((l) => {
    const end = l.exposure.quarantineEnd ?? l.exposure.exposureDate;
    const ended = end < today;
    const state: QuarantineState = { events: [{ at: now, by: actorId, action: 'start', end }, ...(ended ? [{ at: now, by: actorId, action: 'end' as const, reason: 'completed', end }] : [])] };
    const id = randomId('q');
    return {
      id, contact_link_id: l.id, subject_id: l.contactSubjectId, status: ended ? 'ended' : 'active', jurisdiction_code: l.caseJurisdiction, assigned_to: null,
      sealed: sealSubjectJson(l.dek, l.contactSubjectId, 'quarantines', id, state), created_at: now, updated_at: now,
    };
  });
}

/** The plan's links by contact (person index), computed once per city. */
const linksByContact = new WeakMap<City, Map<number, PlannedLink[]>>();

function plannedLinksOf(city: City, contactIndex: number): readonly PlannedLink[] {
  let byContact = linksByContact.get(city);
  if (!byContact) {
    byContact = new Map();
    for (const l of city.plan.links) (byContact.get(l.contactIndex) ?? byContact.set(l.contactIndex, []).get(l.contactIndex)!).push(l);
    linksByContact.set(city, byContact);
  }
  return byContact.get(contactIndex) ?? [];
}

/**
 * The facts of a person of the city as the database holds them once the people before `writtenTo`
 * are written: their case's classification, the planned links written so far (each link is written
 * with the later of its two people), no secondary contact, no risk-area stay. A link's quarantine
 * covers today exactly when it is active by `quarantineRows` and its dates cover today.
 */
function plannedFacts(city: City, index: number, classification: string | undefined, writtenTo: number, today: string): RiskFacts {
  const links = plannedLinksOf(city, index).filter((l) => Math.max(l.caseIndex, l.contactIndex) < writtenTo);
  return {
    caseClassifications: async () => (classification ? [classification as Classification] : []),
    closeContact: async () => ({
      any: links.length > 0,
      inQuarantine: links.some((l) => l.exposure.quarantineStart !== undefined && l.exposure.quarantineStart <= today && (l.exposure.quarantineEnd === undefined || today <= l.exposure.quarantineEnd)),
    }),
    secondaryContact: async () => false,
    riskAreaStays: async () => new Set<RiskLevel>(),
  };
}

/**
 * Stores the risk status of each contact of the batch's links (`fresh`: the batch's people, whose
 * case rows say their classification; a contact written earlier has the case the plan gives).
 * Computed from the plan, since the seed wrote every record the rules look at; a person the plan
 * cannot speak for (a secondary contact staff recorded, or any risk area in force, between the
 * runs of an interrupted seed) is recomputed from the database instead. Returns how many statuses
 * were stored.
 */
export async function storeRiskStatuses(ctx: Pick<AppContext, 'keys' | 'settings'>, repos: Repositories, city: City, fresh: readonly SealedResident[], links: readonly SeededLink[], writtenTo: number, now: Date, today: string, rules: RiskRules = ACTIVE_RISK_RULES): Promise<number> {
  const people = new Map(links.map((l) => [l.contactIndex, l.contactSubjectId]));
  if (people.size === 0) return 0;
  const classifications = new Map(fresh.flatMap((r) => (r.sealed.case ? [[r.index, r.sealed.case.classification] as const] : [])));
  const ids = [...people.values()];
  const areas = await repos.tracing.activeRiskAreas(now.toISOString());
  const recorded = new Set((await repos.tracing.secondariesOfSubjects(ids)).map((r) => r.subject_id));
  const fromDatabase: string[] = [];
  const computedAt = now.toISOString();
  for (const [index, subjectId] of people) {
    if (areas.length > 0 || recorded.has(subjectId)) {
      fromDatabase.push(subjectId);
      continue;
    }
    const classification = classifications.get(index) ?? city.plan.cases.get(index)?.classification;
    const result = await evaluateRisk(rules, plannedFacts(city, index, classification, writtenTo, today));
    const row: RiskStatusRow = { subject_id: subjectId, status: result.status, reason: result.reason, computed_at: computedAt };
    await repos.tracing.putRiskStatus(row);
  }
  if (fromDatabase.length > 0) await recomputeRiskStatus(ctx, repos, fromDatabase, now, { rules });
  return people.size;
}
