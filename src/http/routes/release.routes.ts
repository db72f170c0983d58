import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../services/app-context.ts';
import { approveRelease, exportResearchExtract, listReleases, prepareRelease, publishRelease, readRelease, withdrawRelease } from '../../services/release.service.ts';
import { staffRequest } from '../plugins/session.plugin.ts';
import { errorResponses, IdParams, PurposeHeaders } from './common.schema.ts';
import { readSecurity, signedIn, writeSecurity } from './guards.ts';
import { listReleasableAreas } from '../../services/tracing/risk-area.service.ts';
import { ExtractHandover, PrepareBody, ReasonBody, ReleasableAreaList, ReleaseList, ReleaseView } from './release.schema.ts';

/**
 * Disclosure releases (issue #6, docs/DISCLOSURE-STANDARD.md "Workflow"), under the purpose
 * `disclosure`: disclosure officers prepare, publish, withdraw and hand over research extracts;
 * approvers approve what someone else prepared. The public side is src/http/public.plugin.ts.
 */
export async function releaseRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const s = (summary: string, write = false) => ({ tags: ['disclosure'], summary, security: write ? writeSecurity : readSecurity, headers: PurposeHeaders });

  api.post('/api/releases', { ...signedIn, schema: { ...s('prepare a release: its public content under the standard, the check and the risk report (disclosure officers)', true), body: PrepareBody, response: { 201: ReleaseView, ...errorResponses } } },
    async (q, reply) => reply.code(201).send(await prepareRelease(ctx, staffRequest(q), q.body)));
  api.get('/api/releases', { ...signedIn, schema: { ...s('releases of my jurisdiction, newest first'), response: { 200: ReleaseList, ...errorResponses } } },
    async (q) => ({ items: await listReleases(ctx, staffRequest(q)) }));
  api.get('/api/releases/risk-areas', { ...signedIn, schema: { ...s('the declared, active risk areas of my jurisdiction a risk-area release may publish (venue names from the public registry)'), response: { 200: ReleasableAreaList, ...errorResponses } } },
    async (q) => ({ items: await listReleasableAreas(ctx, staffRequest(q)) }));
  api.get('/api/releases/:id', { ...signedIn, schema: { ...s('a release: exactly what will be public, the check and the risk report'), params: IdParams, response: { 200: ReleaseView, ...errorResponses } } },
    async (q) => readRelease(ctx, staffRequest(q), q.params.id));
  api.post('/api/releases/:id/approve', { ...signedIn, schema: { ...s('approve a release someone else prepared, with a reason (approvers)', true), params: IdParams, body: ReasonBody, response: { 200: ReleaseView, ...errorResponses } } },
    async (q) => approveRelease(ctx, staffRequest(q), q.params.id, q.body.reason));
  api.post('/api/releases/:id/publish', { ...signedIn, schema: { ...s('publish an approved release: signed artifact and notice', true), params: IdParams, response: { 200: ReleaseView, ...errorResponses } } },
    async (q) => publishRelease(ctx, staffRequest(q), q.params.id));
  api.post('/api/releases/:id/withdraw', { ...signedIn, schema: { ...s('withdraw a release, with a reason', true), params: IdParams, body: ReasonBody, response: { 200: ReleaseView, ...errorResponses } } },
    async (q) => withdrawRelease(ctx, staffRequest(q), q.params.id, q.body.reason));
  api.get('/api/releases/:id/extract', { ...signedIn, schema: { ...s('the signed research extract, to hand to its named recipient (disclosure officers)'), params: IdParams, response: { 200: ExtractHandover, ...errorResponses } } },
    async (q) => exportResearchExtract(ctx, staffRequest(q), q.params.id));
}
