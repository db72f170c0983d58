/**
 * Staff API tests' helpers: a server over a fresh database of one engine, signed-in staff of any
 * role and jurisdiction, valid people, and a small client that sends the cookie, CSRF token and
 * purpose header.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { addDays } from '../../src/domain/dates.ts';
import { makeResidentId } from '../../src/domain/id-number.ts';
import type { Purpose, Role } from '../../src/domain/roles.ts';
import { buildServer } from '../../src/http/app.ts';
import type { ServerOptions } from '../../src/http/app.ts';
import type { PersonFields } from '../../src/services/staff-input.ts';
import type { Engine } from '../../src/storage/engine.ts';
import { testApp } from './app.ts';
import type { TestApp } from './app.ts';
import { createStaff, signIn, staffHeaders } from './staff.ts';
import type { StaffCredentials, StaffSessionHandle } from './staff.ts';

export const CHAOYANG = '110105';
export const HAIDIAN = '110108';
export const PUDONG = '310115';

export interface StaffServer {
  readonly t: TestApp;
  readonly server: FastifyInstance;
  close(): Promise<void>;
}

export async function staffServer(engine: Engine, options: ServerOptions = {}): Promise<StaffServer> {
  const t = await testApp(engine);
  const server = buildServer(t.ctx, options);
  await server.ready();
  return { t, server, close: async () => { await server.close(); await t.cleanup(); } };
}

export interface Response<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

/** A signed-in staff member and a client for their requests. */
export interface Staff extends StaffCredentials {
  readonly session: StaffSessionHandle;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are checked field by field in the tests
  call<T = any>(method: string, url: string, payload?: unknown, purpose?: Purpose | null, extra?: Record<string, string>): Promise<Response<T>>;
}

export async function signedInStaff(s: StaffServer, role: Role, jurisdiction: string, options: { termsAccepted?: boolean; purpose?: Purpose } = {}): Promise<Staff> {
  const creds = await createStaff(s.t.ctx, { role, jurisdiction, termsAccepted: options.termsAccepted ?? true });
  const session = await signIn(s.server, creds);
  const defaultPurpose = options.purpose ?? 'case_investigation';
  return {
    ...creds,
    session,
    async call(method, url, payload, purpose = defaultPurpose, extra = {}) {
      const res = await s.server.inject({
        method: method as 'GET', url, headers: { ...staffHeaders(session, purpose ?? undefined), ...extra },
        ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
      });
      let body: unknown = res.body;
      try {
        body = res.json();
      } catch {
        // not JSON
      }
      return { status: res.statusCode, body: body as never, headers: res.headers };
    },
  };
}

let serial = randomInt(0, 20000);

/** A valid new person of a district (unique resident ID, Chinese mobile). */
export function person(districtCode = CHAOYANG, overrides: Partial<PersonFields> = {}): PersonFields {
  serial += 1;
  const birthDate = addDays('1950-01-01', serial % 20000);
  const sex = serial % 2 === 0 ? 'F' : 'M';
  return {
    name: `测试${randomBytes(3).toString('hex')}`,
    documentNumber: makeResidentId(districtCode, birthDate, randomInt(0, 1000), sex),
    phone: `139${String(randomInt(0, 1e8)).padStart(8, '0')}`,
    address: `某某路${randomInt(1, 999)}号`,
    birthDate,
    sex,
    districtCode,
    ...overrides,
  };
}

export const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
export const daysAgo = (n: number) => addDays(today(), -n);

/** Opens a case for a new person through the API and returns its id and subject id. */
export async function openCase(staff: Staff, districtCode = CHAOYANG, kase: Record<string, unknown> = {}): Promise<{ id: string; subjectId: string; caseNumber: string }> {
  const r = await staff.call<{ id: string; subjectId: string; caseNumber: string }>('POST', '/api/cases', {
    person: person(districtCode), case: { classification: 'confirmed', reportDate: daysAgo(2), onsetDate: daysAgo(4), ...kase },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

export const NOT_FOUND = { code: 'ERR_NOT_FOUND', message: 'not found or no access' };

const DATA_TABLES: Record<string, string> = {
  subjects: 'id, jurisdiction_code, street_code',
  subject_keys: 'subject_id, wrapped',
  identities: 'subject_id, sealed, name_bidx, phone_bidx',
  identity_documents: 'doc_bidx, subject_id',
  cases: 'id, classification, report_date, confirmation_date, sealed',
  case_assignments: 'case_id, staff_id',
  contact_links: 'id, sealed',
  travel_records: 'id, sealed',
  colocation_tokens: 'token, ref',
  notes: 'id, sealed',
  reveal_grants: 'id',
  break_glass_grants: 'id, review_status',
  alerts: 'id, status',
};

/**
 * A digest of every data table (not the audit log, which records denials too): equal digests
 * before and after a request mean the request changed nothing.
 */
export async function dataDigest(s: StaffServer): Promise<string> {
  const { createHash } = await import('node:crypto');
  const { rawSql } = await import('./raw-sql.ts');
  const raw = await rawSql(s.t.db);
  try {
    const h = createHash('sha256');
    for (const [table, columns] of Object.entries(DATA_TABLES)) {
      const rows = await raw.query<Record<string, unknown>>(`select ${columns} from ${table} order by ${columns.split(',')[0]}`);
      h.update(`${table}:${rows.length}\n`);
      for (const r of rows) h.update(JSON.stringify(Object.values(r).map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))));
    }
    return h.digest('hex');
  } finally {
    await raw.close();
  }
}
