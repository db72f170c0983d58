import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../services/app-context.ts';
import { search } from '../../services/search.service.ts';
import { staffRequest } from '../plugins/session.plugin.ts';
import { errorResponses, PurposeHeaders } from './common.schema.ts';
import { personalData, writeSecurity } from './guards.ts';
import { SearchBody, SearchResult } from './search.schema.ts';

export async function searchRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post('/api/search', {
    ...personalData,
    schema: { tags: ['search'], summary: 'find people by document, phone or name (value in the body, never in the URL)', security: writeSecurity, headers: PurposeHeaders, body: SearchBody, response: { 200: SearchResult, ...errorResponses } },
  }, async (request) => search(ctx, staffRequest(request), request.body));
}
