import { randomId } from '../../crypto/index.ts';
import type { NewObservation, NewToken, NewTravelRecord } from '../../storage/schema.ts';
import type { WorkerKeys } from '../seal-tasks.ts';
import { newSubjectKey, sealPerson, sealSubjectJson, sealTravel } from '../subject-cipher.ts';
import type { SealedPerson } from '../subject-cipher.ts';
import type { CityPerson } from './city.types.ts';
import { districtDayTokenRows } from '../tracing/district-tokens.ts';
import type { NewDistrictDayToken } from '../../storage/tracing.repository.ts';

/**
 * The `seal-city` task (src/services/seal-tasks.ts): a chunk of generated residents in plaintext
 * becomes sealed rows, on a worker thread beside the database writer. Each resident gets a fresh
 * subject id and data key; identity, case, travel and observations are sealed under it, and each
 * venue visit gives one co-location token per hour slot.
 */
export interface SealCityInput {
  now: string;
  people: CityPerson[];
  /** Venue id → district code (tracing's district-day tokens). */
  districts: Record<string, string>;
}

export interface SealedResident {
  index: number;
  sealed: SealedPerson;
  travel: NewTravelRecord[];
  /** In visit order here; the writer shuffles a batch's tokens before inserting them. */
  tokens: NewToken[];
  districtTokens: NewDistrictDayToken[];
  observations: NewObservation[];
}

export function sealCityChunk(keys: WorkerKeys, input: SealCityInput): SealedResident[] {
  return compact(input.people.map((p) => {
    const subjectKey = newSubjectKey(keys.root, input.now);
    const { subjectId, dek } = subjectKey;
    const sealed = sealPerson(keys, p.person, p.case, input.now, subjectKey);
    const travel: NewTravelRecord[] = [];
    const tokens: NewToken[] = [];
    const districtTokens: NewDistrictDayToken[] = [];
    for (const t of p.travel) {
      const s = sealTravel(keys, dek, subjectId, t);
      travel.push(s.record);
      for (const token of s.tokens) tokens.push(token);
      for (const token of districtDayTokenRows(keys, s.record.id, t, t.placeId ? input.districts[t.placeId] : undefined)) districtTokens.push(token);
    }
    const caseId = sealed.case?.id ?? null;
    const observations = p.observations.map((o): NewObservation => {
      const id = randomId('o');
      return { id, subject_id: subjectId, case_id: caseId, sealed: sealSubjectJson(dek, subjectId, 'observations', id, o), created_at: input.now };
    });
    return { index: p.index, sealed, travel, tokens, districtTokens, observations };
  }));
}

/**
 * Copies every byte string of the batch into one buffer and points the rows at slices of it. The
 * sealing code allocates its small outputs from Node's shared 8 KiB pools, and a worker's answer
 * copies each pool slab a row points into, garbage and all: compacted, a batch crosses the thread
 * as one exact-size buffer (several times less memory and copying on both sides).
 */
function compact(residents: SealedResident[]): SealedResident[] {
  const fields: [Record<string, unknown>, string][] = [];
  let total = 0;
  const visit = (row: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(row)) {
      if (v instanceof Uint8Array) {
        fields.push([row, k]);
        total += v.length;
      }
    }
  };
  for (const r of residents) {
    const { person } = r.sealed;
    for (const row of [person.key, person.identity, ...person.documents, ...(r.sealed.case ? [r.sealed.case] : []), ...r.travel, ...r.tokens, ...r.districtTokens, ...r.observations]) visit(row as Record<string, unknown>);
  }
  const arena = Buffer.allocUnsafeSlow(total);
  let at = 0;
  for (const [row, k] of fields) {
    const v = row[k] as Uint8Array;
    arena.set(v, at);
    row[k] = arena.subarray(at, at + v.length);
    at += v.length;
  }
  return residents;
}
