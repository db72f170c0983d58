/**
 * The storage floor of `bench read` (`--floor`): what an audited case read costs when everything but
 * its storage work is taken away. A Fastify server with one route and no logger, like the hello-world
 * baseline, in its own process, on the bench's demo data directory: `GET /floor/:id` runs the real
 * read's three queries (`loadCaseRead`: the case with its subject's sealed identity and wrapped key,
 * the subject's cases with their staff, the viewer's grants) and appends the real read's audit event
 * through the same group-committing writer (subject reference HMAC, leaf hash, Merkle head update,
 * commit before the answer). No session, policy, decryption, masking, security headers or response
 * schema. Whatever the full route costs, it cannot cost less than this.
 *
 * Usage: node --import tsx bench/lib/floor-server.ts DATA_DIR. Prints its address once listening.
 */
import Fastify from 'fastify';
import { loadConfig } from '../../src/config/config.ts';
import { loadCaseRead } from '../../src/services/access.service.ts';
import { openApp } from '../../src/services/app-context.ts';
import { createLogger } from '../../src/services/logger.ts';
import type { StaffActor } from '../../src/services/staff-context.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: floor-server.ts DATA_DIR');
const ctx = await openApp(loadConfig({ data: dir }, { EPIVAULT_LOG_LEVEL: 'silent' }), { logger: createLogger('silent'), actor: { id: 'system:bench:floor', role: 'system' } });
const actor: StaffActor = { id: 'acct-bench-floor', role: 'investigator', username: 'bench-floor', jurisdiction: '11', termsAccepted: true };

const app = Fastify();
app.get<{ Params: { id: string } }>('/floor/:id', async (request, reply) => {
  const id = request.params.id;
  const loaded = await loadCaseRead(ctx.store, { actor, purpose: 'case_investigation', requestId: request.id, now: new Date() }, id);
  if (!loaded) return reply.code(404).send({ error: 'not found' });
  await ctx.auditWriter.append(actor, { action: 'read', resourceType: 'case', resourceId: id, subjectId: loaded.row.subject_id, purpose: 'case_investigation', outcome: 'success', requestId: request.id });
  return { id, contacts: loaded.row.contact_count };
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${address}\n`);
process.once('SIGTERM', () => { void app.close().then(() => ctx.close()).then(() => process.exit(0)); });
