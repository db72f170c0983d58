import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../services/app-context.ts';
import { listClusters } from '../../services/tracing/chains.service.ts';
import { staffRequest } from '../plugins/session.plugin.ts';
import { ClusterListQuery, ClusterPage } from './clusters.schema.ts';
import { errorResponses, PurposeHeaders } from './common.schema.ts';
import { personalData, readSecurity } from './guards.ts';

/**
 * The transmission clusters of the viewer's subtree (docs/TRACING.md "Clusters"): sizes,
 * classifications, dates and districts, no identities; each with the case to open its chain with.
 * Purpose as for chains: `contact_tracing` or `case_investigation`.
 */
export async function clusterRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/api/clusters', {
    ...personalData,
    schema: {
      tags: ['tracing: chains'], summary: 'transmission clusters touching my subtree, newest activity first, without identities',
      security: readSecurity, headers: PurposeHeaders, querystring: ClusterListQuery, response: { 200: ClusterPage, ...errorResponses },
    },
  }, async (q) => listClusters(ctx, staffRequest(q), q.query));
}
