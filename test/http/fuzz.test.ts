import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
import { AssignBody, BreakGlassBody, RevealBody, ReviewBody } from '../../src/http/routes/access.schema.ts';
import { CreateCaseBody, PatchCaseBody } from '../../src/http/routes/case.schema.ts';
import { CreateContactBody, PatchContactBody } from '../../src/http/routes/contact.schema.ts';
import { NoteBody } from '../../src/http/routes/note.schema.ts';
import { SearchBody } from '../../src/http/routes/search.schema.ts';
import { PatchSubjectBody } from '../../src/http/routes/subject.schema.ts';
import { PatchTravelBody, TravelBody } from '../../src/http/routes/travel.schema.ts';
import { engines } from '../support/engines.ts';
import { CHAOYANG, dataDigest, daysAgo, openCase, person, signedInStaff, staffServer } from '../support/records.ts';
import type { Staff, StaffServer } from '../support/records.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface JsonSchema { type?: string; properties?: Record<string, JsonSchema>; required?: string[]; anyOf?: JsonSchema[]; enum?: string[]; const?: unknown; pattern?: string; minLength?: number; maxLength?: number; minimum?: number; maximum?: number }

/** One field of a request body, from its JSON Schema: where it is, what it must be, whether it may be null or left out. */
interface FieldSpec { path: string[]; schema: JsonSchema; nullable: boolean; required: boolean }

function fieldsOf(schema: JsonSchema, path: string[] = []): FieldSpec[] {
  const out: FieldSpec[] = [];
  for (const [key, raw] of Object.entries(schema.properties ?? {})) {
    const variants = raw.anyOf ?? [raw];
    const nullable = variants.some((v) => v.type === 'null');
    const s = variants.find((v) => v.type !== 'null') ?? raw;
    const spec = { path: [...path, key], schema: s, nullable, required: (schema.required ?? []).includes(key) };
    out.push(spec);
    if (s.type === 'object') out.push(...fieldsOf(s, spec.path));
  }
  return out;
}

const objectsOf = (schema: JsonSchema, path: string[] = []): { path: string[]; keys: string[] }[] =>
  [{ path, keys: Object.keys(schema.properties ?? {}) }, ...Object.entries(schema.properties ?? {}).filter(([, s]) => s.type === 'object').flatMap(([k, s]) => objectsOf(s, [...path, k]))];

function getAt(body: Json, path: string[]): Json | undefined {
  return path.reduce<Json | undefined>((o, k) => (o && typeof o === 'object' && !Array.isArray(o) ? o[k] : undefined), body);
}

function setAt(body: Json, path: string[], value: Json | undefined): Json {
  const copy = structuredClone(body) as Record<string, Json>;
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string, Json>;
  if (value === undefined) delete o[path[path.length - 1]!];
  else o[path[path.length - 1]!] = value;
  return copy;
}

/** Values that are certainly wrong for a field (zod rejects them whatever else the body holds). */
function wrongValues(f: FieldSpec): fc.Arbitrary<Json | undefined> {
  const s = f.schema;
  const options: fc.Arbitrary<Json | undefined>[] = [];
  const otherTypes: Json[] = s.type === 'object' ? [1, 'x', true, []] : s.type === 'integer' || s.type === 'number' ? ['7', true, [], {}] : [7, true, [], { a: 1 }];
  if (!f.nullable) otherTypes.push(null);
  options.push(fc.constantFrom(...otherTypes));
  if (f.required) options.push(fc.constant(undefined));
  if (s.type === 'string') {
    if (s.maxLength !== undefined) options.push(fc.string({ minLength: s.maxLength + 1, maxLength: s.maxLength + 30, unit: 'grapheme-ascii' }));
    if (s.minLength) options.push(fc.constant(''));
    if (s.pattern) {
      const re = new RegExp(s.pattern, 'u');
      options.push(fc.string({ maxLength: 30, unit: 'binary' }).filter((v) => !re.test(v)));
    }
    if (s.enum) options.push(fc.string({ maxLength: 20 }).filter((v) => !s.enum!.includes(v)));
    if (s.const !== undefined) options.push(fc.string({ maxLength: 20 }).filter((v) => v !== s.const));
  }
  if (s.type === 'integer') {
    options.push(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Number.isInteger(v)));
    if (s.maximum !== undefined) options.push(fc.integer({ min: s.maximum + 1, max: s.maximum + 1e6 }));
    if (s.minimum !== undefined) options.push(fc.integer({ min: s.minimum - 1e6, max: s.minimum - 1 }));
  }
  return fc.oneof(...options);
}

const fieldName = (path: string[]) => (path.length ? path.join('.') : 'body');

interface BodyRoute { method: 'POST' | 'PATCH'; url: string; schema: z.ZodType; valid: Json; purpose: string }

/**
 * Every request body, fuzzed: arbitrary JSON, and valid bodies with one field made wrong (wrong
 * type, too long, empty, off-pattern, out of range, missing, or an unknown key) derived from the
 * route's zod schema. Each answer must be a 4xx naming the field (exactly the mutated one for a
 * mutation), never a 500, and the data must stay as it was.
 */
for (const { engine, skip } of await engines()) {
  describe(`staff API: request bodies fuzzed on ${engine}`, { skip }, () => {
    const runs = engine === 'sqlite' ? 40 : 8;
    let s: StaffServer;
    let supervisor: Staff;
    let routes: BodyRoute[];

    before(async () => {
      s = await staffServer(engine);
      await s.t.ctx.store.travel.insertPlaces([{ id: 'p_fuzz', name: 'Fuzz Hall', address: 'x', district_code: CHAOYANG, category: 'hall', lat: 39.9, lon: 116.4 }]);
      supervisor = await signedInStaff(s, 'supervisor', '11');
      const investigator = await signedInStaff(s, 'investigator', CHAOYANG);
      const c = await openCase(supervisor, CHAOYANG);
      const contact = await supervisor.call('POST', `/api/cases/${c.id}/contacts`, { person: person(CHAOYANG), exposure: { exposureType: 'household', exposureDate: daysAgo(2) } });
      const travel = await supervisor.call('POST', `/api/subjects/${c.subjectId}/travel`, { mode: 'bus', arrival: `${daysAgo(2)}T08:00:00+08:00`, departure: `${daysAgo(2)}T08:30:00+08:00` });
      const reason = 'checking an exposure report again';
      const day = `${daysAgo(1)}T`;
      routes = [
        { method: 'POST', url: '/api/cases', schema: CreateCaseBody, purpose: 'case_investigation', valid: { person: person(CHAOYANG, { occupation: 'teacher', employer: 'School', documentType: 'resident_id', streetCode: '110105001' }), case: { classification: 'confirmed', reportDate: daysAgo(1), confirmationDate: daysAgo(1), onsetDate: daysAgo(3), outcome: 'under_treatment', source: 'clinic', caseNumber: 'FUZZ-1' } } as unknown as Json },
        { method: 'PATCH', url: `/api/cases/${c.id}`, schema: PatchCaseBody, purpose: 'case_investigation', valid: { classification: 'confirmed', reportDate: daysAgo(2), confirmationDate: null, onsetDate: daysAgo(3), outcome: 'recovered', source: 'clinic' } },
        { method: 'POST', url: `/api/cases/${c.id}/contacts`, schema: CreateContactBody, purpose: 'case_investigation', valid: { person: person(CHAOYANG) as unknown as Json, exposure: { exposureType: 'household', exposureDate: daysAgo(2), setting: 'home', quarantineStart: daysAgo(1), quarantineEnd: daysAgo(-10) } } },
        { method: 'PATCH', url: `/api/contacts/${contact.body.id}`, schema: PatchContactBody, purpose: 'contact_tracing', valid: { exposureType: 'workplace', exposureDate: daysAgo(2), setting: 'office', quarantineStart: daysAgo(1), quarantineEnd: daysAgo(-5) } },
        { method: 'PATCH', url: `/api/subjects/${c.subjectId}`, schema: PatchSubjectBody, purpose: 'case_investigation', valid: { name: '周五', phone: '13800001111', address: 'x', occupation: null, employer: 'y' } },
        { method: 'POST', url: `/api/subjects/${c.subjectId}/travel`, schema: TravelBody, purpose: 'case_investigation', valid: { mode: 'venue_visit', placeId: 'p_fuzz', placeText: 'hall', arrival: `${day}10:00:00+08:00`, departure: `${day}11:00:00+08:00` } },
        { method: 'PATCH', url: `/api/travel/${travel.body.id}`, schema: PatchTravelBody, purpose: 'case_investigation', valid: { mode: 'taxi', placeId: null, placeText: 'x', arrival: `${day}10:00:00+08:00`, departure: `${day}11:00:00+08:00` } },
        { method: 'POST', url: `/api/cases/${c.id}/notes`, schema: NoteBody, purpose: 'case_investigation', valid: { text: 'hello' } },
        { method: 'POST', url: '/api/search', schema: SearchBody, purpose: 'case_investigation', valid: { by: 'document', value: '110105199001011237', documentType: 'passport', documentCountry: 'CHN', limit: 5 } },
        { method: 'POST', url: '/api/reveal', schema: RevealBody, purpose: 'case_investigation', valid: { resourceType: 'subject', id: c.subjectId, field: 'name', reason } },
        { method: 'POST', url: `/api/cases/${c.id}/assignments`, schema: AssignBody, purpose: 'case_investigation', valid: { staffId: investigator.id } },
        { method: 'POST', url: `/api/cases/${c.id}/break-glass`, schema: BreakGlassBody, purpose: 'case_investigation', valid: { reason } },
        { method: 'POST', url: '/api/break-glass/bg_nothing/review', schema: ReviewBody, purpose: 'audit', valid: { decision: 'accept', note: reason } },
      ];
    });
    after(async () => { await s?.close(); });

    const send = (route: BodyRoute, body: string, contentType = 'application/json') =>
      s.server.inject({ method: route.method, url: route.url, payload: body, headers: { cookie: supervisor.session.cookie, 'x-csrf-token': supervisor.session.csrfToken, 'x-epivault-purpose': route.purpose, 'content-type': contentType } });

    it('the valid bodies pass the schemas (the mutations below start from them)', () => {
      for (const r of routes) assert.ok(r.schema.safeParse(r.valid).success, `${r.method} ${r.url}: ${JSON.stringify(r.schema.safeParse(r.valid).error?.issues)}`);
    });

    it('answers arbitrary JSON with 400 naming a field, never 500, changing nothing', async () => {
      const state = await dataDigest(s);
      for (const route of routes) {
        await fc.assert(fc.asyncProperty(fc.jsonValue(), async (value) => {
          const res = await send(route, JSON.stringify(value));
          assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${route.method} ${route.url} ${res.statusCode} ${res.body}`);
          const body = res.json();
          if (res.statusCode === 400) assert.ok(typeof body.field === 'string' && body.field.length > 0, res.body);
        }), { numRuns: runs });
      }
      assert.equal(await dataDigest(s), state);
    });

    it('answers schema-derived mutations with 400 naming exactly the mutated field, changing nothing', async () => {
      const state = await dataDigest(s);
      for (const route of routes) {
        const schema = z.toJSONSchema(route.schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
        const present = fieldsOf(schema).filter((f) => getAt(route.valid, f.path) !== undefined);
        const wrongField = fc.constantFrom(...present).chain((f) => wrongValues(f).map((v) => ({ body: setAt(route.valid, f.path, v), field: fieldName(f.path) })));
        const objects = objectsOf(schema).filter((o) => o.path.length === 0 || getAt(route.valid, o.path) !== undefined);
        const unknownKey = fc.tuple(fc.constantFrom(...objects), fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue())
          // A __proto__ or constructor key anywhere is refused by the JSON parser itself (400 on `body`, tested below).
          .filter(([o, k, v]) => !o.keys.includes(k) && !/__proto__|constructor/.test(k + JSON.stringify(v)))
          .map(([o, k, v]) => ({ body: setAt(route.valid, [...o.path, k], v as Json), field: fieldName([...o.path, k.slice(0, 64)]) }));
        await fc.assert(fc.asyncProperty(fc.oneof(wrongField, unknownKey), async ({ body, field }) => {
          const res = await send(route, JSON.stringify(body));
          assert.equal(res.statusCode, 400, `${route.method} ${route.url} ${JSON.stringify(body)} → ${res.body}`);
          assert.equal(res.json().code, 'ERR_VALIDATION');
          assert.equal(res.json().field, field, `${route.method} ${route.url} ${JSON.stringify(body)} → ${res.body}`);
        }), { numRuns: runs * 2 });
      }
      assert.equal(await dataDigest(s), state);
    });

    it('answers bodies that are not JSON, or not sent as JSON, with a 4xx naming the body', async () => {
      const state = await dataDigest(s);
      for (const route of routes) {
        await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }).filter((v) => { try { JSON.parse(v); return false; } catch { return true; } }), async (text) => {
          const res = await send(route, text);
          assert.equal(res.statusCode, 400, `${route.url} ${res.body}`);
          assert.equal(res.json().field, 'body');
        }), { numRuns: runs / 2 });
        const plain = await send(route, 'hello', 'text/plain');
        assert.equal(plain.statusCode, 415);
        assert.equal(plain.json().field, 'content-type');
        const poisoned = await send(route, '{"__proto__": {"x": 1}}');
        assert.equal(poisoned.statusCode, 400);
        const huge = await send(route, JSON.stringify({ text: 'x'.repeat(1_100_000) }));
        assert.equal(huge.statusCode, 413);
      }
      assert.equal(await dataDigest(s), state);
    });

    it('answers well-shaped bodies with arbitrary values (past the schema, into the services) with 2xx, 400 naming the field or 409, never 500', async () => {
      const text = (max: number) => fc.string({ minLength: 1, maxLength: max, unit: fc.constantFrom('binary', 'grapheme', 'grapheme-ascii') as never });
      const date = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
      const personArb = fc.record({
        name: text(200), documentNumber: text(40), phone: text(40), address: text(200), birthDate: date, sex: fc.constantFrom('M', 'F'),
        districtCode: fc.oneof(fc.constant(CHAOYANG), fc.integer({ min: 0, max: 999999 }).map((n) => String(n).padStart(6, '0'))),
      });
      const caseArb = fc.record({ classification: fc.constantFrom('confirmed', 'suspected'), reportDate: date, onsetDate: date }, { requiredKeys: ['classification', 'reportDate'] });
      const cases = routes[0]!;
      await fc.assert(fc.asyncProperty(personArb, caseArb, async (p, k) => {
        const res = await send(cases, JSON.stringify({ person: p, case: k }));
        assert.ok([201, 400, 404, 409].includes(res.statusCode), `${res.statusCode} ${res.body}`);
        if (res.statusCode === 400) assert.match(res.json().field, /^(person|case)\.\w+$/, res.body);
      }), { numRuns: runs });
      const travel = routes[5]!;
      const time = fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      await fc.assert(fc.asyncProperty(fc.record({ mode: fc.constantFrom('venue_visit', 'bus'), placeId: fc.constantFrom('p_fuzz', 'p_none'), arrival: time, departure: time }), async (t) => {
        const res = await send(travel, JSON.stringify(t));
        assert.ok([201, 400].includes(res.statusCode), `${res.statusCode} ${res.body}`);
        if (res.statusCode === 400) assert.ok(['arrival', 'departure', 'placeId'].includes(res.json().field), res.body);
      }), { numRuns: runs });
      const search = routes[8]!;
      await fc.assert(fc.asyncProperty(fc.constantFrom('document', 'phone', 'name'), text(200), async (by, value) => {
        const res = await send(search, JSON.stringify({ by, value }));
        assert.ok([200, 400].includes(res.statusCode), `${res.statusCode} ${res.body}`);
        if (res.statusCode === 400) assert.equal(res.json().field, 'value', res.body);
      }), { numRuns: runs });
    });

    it('answers arbitrary query strings of the lists with 200 or a 4xx naming the parameter, never 500', async () => {
      const lists = ['/api/cases', '/api/me/assignments', '/api/staff', '/api/break-glass'];
      await fc.assert(fc.asyncProperty(fc.constantFrom(...lists), fc.dictionary(fc.constantFrom('classification', 'jurisdiction', 'assigned', 'reportFrom', 'reportTo', 'cursor', 'limit', 'role', 'scope', 'x'), fc.string({ maxLength: 30 })), async (url, query) => {
        const res = await s.server.inject({ method: 'GET', url, query, headers: { cookie: supervisor.session.cookie, 'x-epivault-purpose': url === '/api/break-glass' ? 'audit' : 'case_investigation' } });
        assert.ok(res.statusCode < 500, `${url} ${JSON.stringify(query)} → ${res.statusCode} ${res.body}`);
        if (res.statusCode === 400) assert.ok(res.json().field, res.body);
      }), { numRuns: runs * 2 });
    });
  });
}
