import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../services/app-context.ts';
import { addTravel, listTravel, updateTravel } from '../../services/travel.service.ts';
import { staffRequest } from '../plugins/session.plugin.ts';
import { errorResponses, IdParams, page, PurposeHeaders } from './common.schema.ts';
import { personalData, readSecurity, writeSecurity } from './guards.ts';
import { PatchTravelBody, TravelBody, TravelQuery, TravelView } from './travel.schema.ts';

export async function travelRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['travel'];

  api.get('/api/subjects/:id/travel', {
    ...personalData,
    schema: { tags, summary: "a subject's travel records", security: readSecurity, headers: PurposeHeaders, params: IdParams, querystring: TravelQuery, response: { 200: page(TravelView), ...errorResponses } },
  }, async (request) => listTravel(ctx, staffRequest(request), request.params.id, request.query));

  api.post('/api/subjects/:id/travel', {
    ...personalData,
    schema: { tags, summary: 'add a travel record (a venue visit writes co-location tokens)', security: writeSecurity, headers: PurposeHeaders, params: IdParams, body: TravelBody, response: { 201: TravelView, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await addTravel(ctx, staffRequest(request), request.params.id, request.body)));

  api.patch('/api/travel/:id', {
    ...personalData,
    schema: { tags, summary: 'change a travel record (its co-location tokens are replaced)', security: writeSecurity, headers: PurposeHeaders, params: IdParams, body: PatchTravelBody, response: { 200: TravelView, ...errorResponses } },
  }, async (request) => updateTravel(ctx, staffRequest(request), request.params.id, request.body));
}
