/**
 * The plaintext pipeline: what the import would do without encryption. Same validation
 * (validateLineListRow), same in-file de-duplication, same batches, each batch in one
 * transaction that looks up the batch's documents, inserts people (identity in clear), cases
 * (details in clear) with the same multi-row statements and one audit event per created person,
 * and stores the progress marker. Subject and case ids are the same time-ordered ids as Epivault's;
 * the audit events go through the application's audit log (AuditRepository, Merkle tree included),
 * naming the subject by its id (a system without encryption has no key for a pseudonymous reference).
 */
import { timeOrderedId } from '../../src/crypto/random.ts';
import { addDays } from '../../src/domain/dates.ts';
import { validateLineListRow } from '../../src/domain/line-list.ts';
import type { LineListRow } from '../../src/domain/line-list.ts';
import { DEFAULT_RETENTION_DAYS } from '../../src/domain/model.ts';
import type { CaseInput, PersonInput } from '../../src/domain/model.ts';
import { cliActor } from '../../src/services/app-context.ts';
import { generatedCaseNumber } from '../../src/services/subject-cipher.ts';
import { asRecords } from '../lib/dataset.ts';
import { appendAudit, countRows, createPlainSchema, insertMany, openBenchDatabase, setProgress } from '../lib/bench-db.ts';
import type { BenchDatabase, PlainDb } from '../lib/bench-db.ts';
import type { NewAuditEvent } from '../../src/storage/audit.repository.ts';
import { documentKeys, expectEqual, PURPOSE } from './common.ts';
import type { Pipeline, PipelineInput } from './common.ts';

interface Valid { person: PersonInput; case: CaseInput | null; docs: { type: string; number: string; country: string | null }[] }

const LOOKUP_CHUNK = 5000;

async function writeBatch(bdb: BenchDatabase<PlainDb>, batch: readonly Valid[], job: string | undefined, cursor: number): Promise<number> {
  const now = new Date().toISOString();
  const actor = cliActor();
  const retention = addDays(now.slice(0, 10), DEFAULT_RETENTION_DAYS);
  return bdb.db.transaction().execute(async (trx) => {
    // De-duplication against the table, one indexed look-up per document type (as registerPeople does by blind index).
    const byType = new Map<string, string[]>();
    for (const v of batch) for (const d of v.docs) (byType.get(d.type) ?? byType.set(d.type, []).get(d.type)!).push(d.number);
    const seen = new Set<string>();
    for (const [type, numbers] of byType) {
      for (let i = 0; i < numbers.length; i += LOOKUP_CHUNK) {
        const rows = await trx.selectFrom('people').select('document_number')
          .where('document_type', '=', type).where('document_number', 'in', numbers.slice(i, i + LOOKUP_CHUNK)).execute();
        for (const r of rows) seen.add(`${type}|${r.document_number}`);
      }
    }
    const people: PlainDb['people'][] = [];
    const cases: PlainDb['clear_cases'][] = [];
    const audit: NewAuditEvent[] = [];
    for (const v of batch) {
      const keys = v.docs.map((d) => `${d.type}|${d.number}`);
      if (keys.some((k) => seen.has(k))) continue;
      keys.forEach((k) => seen.add(k));
      const id = timeOrderedId('s', now);
      const idn = v.person.identity;
      const doc = v.docs[0]!;
      people.push({
        id, document_type: doc.type, document_number: doc.number, document_country: doc.country,
        name: idn.name, phone: idn.phone ?? null, address: idn.address ?? null, birth_date: idn.birthDate, sex: idn.sex,
        occupation: idn.occupation ?? null, employer: idn.employer ?? null,
        jurisdiction_code: v.person.jurisdictionCode, street_code: v.person.streetCode ?? null,
        retention_until: v.person.retentionUntil ?? retention, created_at: now, updated_at: now,
      });
      let caseId: string | null = null;
      if (v.case) {
        const k = v.case;
        caseId = timeOrderedId('c', now);
        cases.push({
          id: caseId, subject_id: id,
          case_number: k.caseNumber || generatedCaseNumber(v.person.jurisdictionCode, k.reportDate, caseId),
          classification: k.classification, jurisdiction_code: v.person.jurisdictionCode, report_date: k.reportDate,
          confirmation_date: k.confirmationDate ?? null, onset_date: k.onsetDate ?? null, outcome: k.outcome ?? null, source: k.source ?? null,
          created_at: now,
        });
      }
      audit.push({
        at: now, actor: actor.id, actor_role: actor.role, action: 'create', resource_type: caseId ? 'case' : 'subject',
        resource_id: caseId, subject_ref: id, purpose: PURPOSE, reason: null, outcome: 'success', request_id: null,
      });
    }
    await insertMany(trx, 'people', people);
    await insertMany(trx, 'clear_cases', cases);
    await appendAudit(trx, bdb.engine, audit);
    if (job) await setProgress(trx, job, String(cursor), now);
    return people.length;
  });
}

/** Validates and writes rows in batches; returns the number of people created. */
async function ingestPlain(bdb: BenchDatabase<PlainDb>, rows: readonly LineListRow[], input: PipelineInput, job?: string, onBatch?: (created: number) => void): Promise<{ created: number; rejected: number }> {
  const seenDocuments = new Set<string>();
  const seenCaseNumbers = new Set<string>();
  let batch: Valid[] = [];
  let created = 0;
  let rejected = 0;
  let last = 0;
  for await (const { record, row } of asRecords(rows)) {
    last = record;
    const v = validateLineListRow(row, input.today);
    if (!v.ok) {
      rejected++;
      continue;
    }
    const keys = documentKeys(v.person);
    const caseNumber = v.case?.caseNumber ?? '';
    if (keys.some((k) => seenDocuments.has(k)) || (caseNumber !== '' && seenCaseNumbers.has(caseNumber))) {
      rejected++;
      continue;
    }
    keys.forEach((k) => seenDocuments.add(k));
    if (caseNumber !== '') seenCaseNumbers.add(caseNumber);
    // The number as stored and indexed: the same normalization as the blind index input.
    const docs = v.person.identity.documents.map((d, i) => ({ type: d.type, number: keys[i]!.slice(d.type.length + 1), country: d.country ?? null }));
    batch.push({ person: v.person, case: v.case, docs });
    if (batch.length >= input.batchSize) {
      created += await writeBatch(bdb, batch, job, record);
      batch = [];
      onBatch?.(created);
    }
  }
  if (batch.length > 0) created += await writeBatch(bdb, batch, job, last);
  return { created, rejected };
}

export const openPlaintext: Pipeline = async (input) => {
  const scratch = await input.place.fresh('plaintext');
  let bdb: BenchDatabase<PlainDb> | null = null;
  const close = async () => {
    await bdb?.close();
    await scratch.cleanup();
  };
  try {
    const db = await openBenchDatabase<PlainDb>(scratch.target);
    bdb = db;
    await createPlainSchema(db);
    const warm = await ingestPlain(db, input.warmup, input);
    expectEqual('plaintext warm-up rows imported', warm.created, input.warmup.length);
    return {
      ingest: (rows, job, onProgress) => ingestPlain(db, rows, input, job, onProgress),
      verify: async (total) => {
        for (const t of ['people', 'clear_cases', 'audit_events'] as const) expectEqual(`plaintext ${t}`, await countRows(db.db, t), total);
      },
      bytes: () => scratch.size(),
      extra: () => ({}),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
};
