import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadConfig } from '../../src/config/config.ts';
import { buildServer } from '../../src/http/app.ts';
import { openApp } from '../../src/services/app-context.ts';
import { createKeyFile } from '../../src/services/keys.service.ts';
import type { Logger } from '../../src/services/logger.ts';
import { freshDatabase } from '../support/engines.ts';
import type { TestDatabase } from '../support/engines.ts';
import { rawSql } from '../support/raw-sql.ts';
import { CHAOYANG, daysAgo, person, signedInStaff } from '../support/records.ts';
import type { StaffServer } from '../support/records.ts';
import type { TestApp } from '../support/app.ts';

/** Logs carry ids, codes and statuses: never a request body, a searched value or an error's message. */
describe('staff API logs', () => {
  const lines: string[] = [];
  let db: TestDatabase;
  let s: StaffServer;

  before(async () => {
    db = await freshDatabase('sqlite');
    const config = loadConfig({ data: db.dir, db: db.url }, {});
    createKeyFile(config.keyFile);
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const logger = pino({ level: 'trace' }, sink) as unknown as Logger;
    const ctx = await openApp(config, { logger });
    const t: TestApp = { ctx, db, keyFile: config.keyFile, dataDir: db.dir, cleanup: async () => { await ctx.close(); await db.cleanup(); } };
    const server = buildServer(ctx);
    await server.ready();
    s = { t, server, close: async () => { await server.close(); await t.cleanup(); } };
  });
  after(async () => { await s?.close(); });

  it('never logs bodies, searched values or failure details, even on a 500', async () => {
    const inv = await signedInStaff(s, 'investigator', CHAOYANG);
    const p = person(CHAOYANG, { name: '卡纳莉金丝雀', address: 'CANARY-ADDRESS-5521' });
    const created = await inv.call('POST', '/api/cases', { person: p, case: { classification: 'confirmed', reportDate: daysAgo(1), source: 'CANARY-SOURCE-8812' } });
    assert.equal(created.status, 201);
    await inv.call('POST', '/api/search', { by: 'phone', value: p.phone });
    await inv.call('POST', '/api/search', { by: 'name', value: p.name });
    await inv.call('POST', '/api/cases', { person: { ...p, phone: 'CANARY-BAD-PHONE' }, case: { classification: 'confirmed', reportDate: daysAgo(1) } });
    await inv.call('POST', `/api/cases/${created.body.id}/notes`, { text: 'CANARY-NOTE-1' });
    const raw = await rawSql(s.t.db);
    await raw.exec('drop table notes');
    await raw.close();
    const failed = await inv.call('POST', `/api/cases/${created.body.id}/notes`, { text: 'CANARY-NOTE-2' });
    assert.equal(failed.status, 500);
    assert.deepEqual(failed.body, { code: 'ERR_INTERNAL', message: 'internal_error' });
    const log = lines.join('');
    assert.ok(log.includes('"statusCode":500') || log.includes('request failed'), 'the failure is logged');
    for (const v of [p.name, p.phone, p.phone.slice(3), p.documentNumber, p.address, 'CANARY-SOURCE-8812', 'CANARY-BAD-PHONE', 'CANARY-NOTE-1', 'CANARY-NOTE-2', 'no such table', inv.password]) {
      assert.ok(!log.includes(v), `the log holds ${v}`);
    }
  });

  it('response schemas strip fields they do not list', async () => {
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.withTypeProvider<ZodTypeProvider>().get('/x', { schema: { response: { 200: z.object({ id: z.string(), inner: z.object({ a: z.number() }) }) } } }, async () => ({ id: 'k', secret: 'S', inner: { a: 1, secret: 'T' } }) as never);
    const r = await app.inject({ method: 'GET', url: '/x' });
    assert.deepEqual(r.json(), { id: 'k', inner: { a: 1 } });
    await app.close();
  });
});
