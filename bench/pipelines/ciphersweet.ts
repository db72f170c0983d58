/**
 * The CipherSweet pipeline: the same validation, de-duplication, batches and table shape as the
 * encrypted path, with the field encryption and blind indexes done by ciphersweet-js 2.0.6 as its
 * documentation shows it: a CipherSweet engine over a StringProvider key and the ModernCrypto
 * backend (XChaCha20-Poly1305 through sodium-plus, which uses sodium-native when installed),
 * one EncryptedRow per table, and `await row.prepareRowForStorage(...)` per row. Every identity
 * field (name, document number, phone, address, birth date, sex) and each case detail (onset
 * date, outcome) is its own ciphertext, with the row id as associated data (CipherSweet's AAD
 * source field); FAST blind indexes (keyed BLAKE2b) of document number (128 bits), phone
 * (128 bits) and name (lower-cased, 16 bits: the same widths as Epivault's). Tables are prefixed
 * cs_; subject and case ids are time-ordered as Epivault's; the audit events go through the
 * application's audit log (AuditRepository), with the same keyed subject reference.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import cs from 'ciphersweet-js';
import { generateKey, subjectReference, timeOrderedId } from '../../src/crypto/index.ts';
import { addDays } from '../../src/domain/dates.ts';
import { validateLineListRow } from '../../src/domain/line-list.ts';
import type { LineListRow } from '../../src/domain/line-list.ts';
import { DEFAULT_RETENTION_DAYS } from '../../src/domain/model.ts';
import type { CaseInput, PersonInput } from '../../src/domain/model.ts';
import { cliActor } from '../../src/services/app-context.ts';
import { generatedCaseNumber } from '../../src/services/subject-cipher.ts';
import { asRecords } from '../lib/dataset.ts';
import { appendAudit, countRows, createCipherSweetSchema, insertMany, openBenchDatabase, setProgress } from '../lib/bench-db.ts';
import type { BenchDatabase, CipherSweetDb } from '../lib/bench-db.ts';
import { BenchCheckError, documentKeys, expectEqual, PURPOSE } from './common.ts';
import type { Pipeline, PipelineInput } from './common.ts';

const { BlindIndex, CipherSweet, EncryptedRow, Lowercase, ModernCrypto, StringProvider } = cs;

interface Valid { person: PersonInput; case: CaseInput | null }

const LOOKUP_CHUNK = 5000;

/** The CipherSweet set-up: one engine, one EncryptedRow per table. */
function cipherSweetRows() {
  const engine = new CipherSweet(new StringProvider(randomBytes(32).toString('hex')), new ModernCrypto());
  const identity = new EncryptedRow(engine, 'identities')
    .addTextField('name', 'subject_id')
    .addTextField('id_number', 'subject_id')
    .addTextField('phone', 'subject_id')
    .addTextField('address', 'subject_id')
    .addTextField('birth_date', 'subject_id')
    .addTextField('sex', 'subject_id');
  identity.addBlindIndex('id_number', new BlindIndex('doc_bidx', [], 128, true));
  identity.addBlindIndex('phone', new BlindIndex('phone_bidx', [], 128, true));
  identity.addBlindIndex('name', new BlindIndex('name_bidx', [new Lowercase()], 16, true));
  const kase = new EncryptedRow(engine, 'cases')
    .addTextField('onset_date', 'id')
    .addTextField('outcome', 'id');
  return { identity, kase };
}
type Rows = ReturnType<typeof cipherSweetRows>;

interface Prepared {
  subject: CipherSweetDb['cs_subjects'];
  identity: CipherSweetDb['cs_identities'];
  docBidx: string;
  case: CipherSweetDb['cs_cases'] | null;
}

/** Encrypts one batch, row by row, as the CipherSweet documentation does. */
async function encryptBatch(rows: Rows, batch: readonly Valid[]): Promise<Prepared[]> {
  const now = new Date().toISOString();
  const retention = addDays(now.slice(0, 10), DEFAULT_RETENTION_DAYS);
  const out: Prepared[] = [];
  for (const v of batch) {
    const id = timeOrderedId('s', now);
    const idn = v.person.identity;
    const doc = idn.documents[0]!;
    const [identity, indexes] = await rows.identity.prepareRowForStorage({
      subject_id: id, name: idn.name, id_number: doc.number, phone: idn.phone ?? '', address: idn.address ?? '',
      birth_date: idn.birthDate, sex: idn.sex,
    });
    let caseRow: CipherSweetDb['cs_cases'] | null = null;
    if (v.case) {
      const k = v.case;
      const caseId = timeOrderedId('c', now);
      const [sealed] = await rows.kase.prepareRowForStorage({ id: caseId, onset_date: k.onsetDate ?? '', outcome: k.outcome ?? '' });
      caseRow = {
        id: caseId, subject_id: id,
        case_number: k.caseNumber || generatedCaseNumber(v.person.jurisdictionCode, k.reportDate, caseId),
        classification: k.classification, jurisdiction_code: v.person.jurisdictionCode, report_date: k.reportDate,
        confirmation_date: k.confirmationDate ?? null, onset_date: sealed.onset_date as string, outcome: sealed.outcome as string, created_at: now,
      };
    }
    out.push({
      subject: { id, jurisdiction_code: v.person.jurisdictionCode, street_code: v.person.streetCode ?? null, retention_until: v.person.retentionUntil ?? retention, created_at: now },
      identity: {
        subject_id: id, name: identity.name, id_number: identity.id_number, phone: identity.phone, address: identity.address,
        birth_date: identity.birth_date, sex: identity.sex, name_bidx: indexes.name_bidx as string, phone_bidx: indexes.phone_bidx as string, updated_at: now,
      },
      docBidx: indexes.doc_bidx as string,
      case: caseRow,
    });
  }
  return out;
}

/**
 * The audit log's pseudonymous subject reference (a keyed HMAC of the subject id, issue item 10)
 * is Epivault's audit design, not field encryption: this pipeline computes it with Epivault's own
 * function, as the encrypted pipeline does, so that both write the same audit rows and index.
 */
const auditSubjectKey = generateKey('token');

async function writeBatch(bdb: BenchDatabase<CipherSweetDb>, prepared: readonly Prepared[], job: string | undefined, cursor: number): Promise<number> {
  const now = new Date().toISOString();
  const actor = cliActor();
  return bdb.db.transaction().execute(async (trx) => {
    const seen = new Set<string>();
    const all = prepared.map((p) => p.docBidx);
    for (let i = 0; i < all.length; i += LOOKUP_CHUNK) {
      const rows = await trx.selectFrom('cs_identity_documents').select('doc_bidx').where('doc_bidx', 'in', all.slice(i, i + LOOKUP_CHUNK)).execute();
      for (const r of rows) seen.add(r.doc_bidx);
    }
    const fresh = prepared.filter((p) => {
      if (seen.has(p.docBidx)) return false;
      seen.add(p.docBidx);
      return true;
    });
    await insertMany(trx, 'cs_subjects', fresh.map((p) => p.subject));
    await insertMany(trx, 'cs_identities', fresh.map((p) => p.identity));
    await insertMany(trx, 'cs_identity_documents', fresh.map((p) => ({ doc_bidx: p.docBidx, subject_id: p.subject.id })));
    await insertMany(trx, 'cs_cases', fresh.flatMap((p) => (p.case ? [p.case] : [])));
    await appendAudit(trx, bdb.engine, fresh.map((p) => ({
      at: now, actor: actor.id, actor_role: actor.role, action: 'create', resource_type: p.case ? 'case' : 'subject',
      resource_id: p.case?.id ?? null, subject_ref: subjectReference(auditSubjectKey, p.subject.id), purpose: PURPOSE, reason: null, outcome: 'success', request_id: null,
    })));
    if (job) await setProgress(trx, job, String(cursor), now);
    return fresh.length;
  });
}

async function ingestCipherSweet(bdb: BenchDatabase<CipherSweetDb>, rows: Rows, lines: readonly LineListRow[], input: PipelineInput, job?: string, onBatch?: (created: number) => void) {
  const seenDocuments = new Set<string>();
  const seenCaseNumbers = new Set<string>();
  let batch: Valid[] = [];
  let created = 0;
  let rejected = 0;
  let last = 0;
  let cryptoMs = 0;
  const flush = async (cursor: number) => {
    const t = performance.now();
    const prepared = await encryptBatch(rows, batch);
    cryptoMs += performance.now() - t;
    created += await writeBatch(bdb, prepared, job, cursor);
    batch = [];
    onBatch?.(created);
  };
  for await (const { record, row } of asRecords(lines)) {
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
    batch.push({ person: v.person, case: v.case });
    if (batch.length >= input.batchSize) await flush(record);
  }
  if (batch.length > 0) await flush(last);
  return { created, rejected, cryptoMs };
}

/** One stored identity decrypts, and its document index recomputes to the stored one. */
async function checkRoundTrip(bdb: BenchDatabase<CipherSweetDb>, rows: Rows): Promise<void> {
  const stored = await bdb.db.selectFrom('cs_identities').selectAll().limit(1).executeTakeFirstOrThrow();
  const doc = await bdb.db.selectFrom('cs_identity_documents').select('doc_bidx').where('subject_id', '=', stored.subject_id).executeTakeFirstOrThrow();
  const clear = await rows.identity.decryptRow(stored as never) as unknown as Record<string, string>;
  const [, indexes] = await rows.identity.prepareRowForStorage(clear);
  if (!/^\d{17}[\dX]$/.test(clear.id_number ?? '') || indexes.doc_bidx !== doc.doc_bidx) throw new BenchCheckError('ciphersweet round trip failed');
}

export const openCipherSweet: Pipeline = async (input) => {
  const scratch = await input.place.fresh('ciphersweet');
  let bdb: BenchDatabase<CipherSweetDb> | null = null;
  const close = async () => {
    await bdb?.close();
    await scratch.cleanup();
  };
  try {
    const db = await openBenchDatabase<CipherSweetDb>(scratch.target);
    bdb = db;
    await createCipherSweetSchema(db);
    const rows = cipherSweetRows();
    const warm = await ingestCipherSweet(db, rows, input.warmup, input);
    expectEqual('ciphersweet warm-up rows imported', warm.created, input.warmup.length);
    let cryptoMs = 0;
    let timedMs = 0;
    return {
      ingest: async (slice, job, onProgress) => {
        const started = performance.now();
        const r = await ingestCipherSweet(db, rows, slice, input, job, onProgress);
        timedMs += performance.now() - started;
        cryptoMs += r.cryptoMs;
        return r;
      },
      verify: async (total) => {
        for (const t of ['cs_subjects', 'cs_identities', 'cs_identity_documents', 'cs_cases', 'audit_events'] as const) expectEqual(`ciphersweet ${t}`, await countRows(db.db, t), total);
        await checkRoundTrip(db, rows);
      },
      bytes: () => scratch.size(),
      // Share of the wall time spent in CipherSweet's encryption and blind indexes.
      extra: () => ({ crypto_share: timedMs > 0 ? Math.round((cryptoMs / timedMs) * 1000) / 1000 : 0 }),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
};
