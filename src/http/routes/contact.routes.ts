import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../services/app-context.ts';
import { addContact, listContacts, updateContact } from '../../services/contact.service.ts';
import { staffRequest } from '../plugins/session.plugin.ts';
import { Cursor, errorResponses, IdParams, Limit, page, PurposeHeaders } from './common.schema.ts';
import { ContactView, CreateContactBody, PatchContactBody } from './contact.schema.ts';
import { personalData, readSecurity, writeSecurity } from './guards.ts';

const ListQuery = z.strictObject({ cursor: Cursor, limit: Limit });

export async function contactRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['contacts'];

  api.get('/api/cases/:id/contacts', {
    ...personalData,
    schema: { tags, summary: 'close contacts of a case, masked', security: readSecurity, headers: PurposeHeaders, params: IdParams, querystring: ListQuery, response: { 200: page(ContactView), ...errorResponses } },
  }, async (request) => listContacts(ctx, staffRequest(request), request.params.id, request.query));

  api.post('/api/cases/:id/contacts', {
    ...personalData,
    schema: { tags, summary: 'add a close contact (new person or subjectId) and the exposure', security: writeSecurity, headers: PurposeHeaders, params: IdParams, body: CreateContactBody, response: { 201: ContactView, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await addContact(ctx, staffRequest(request), request.params.id, request.body)));

  api.patch('/api/contacts/:id', {
    ...personalData,
    schema: { tags, summary: 'change the exposure or the quarantine dates', security: writeSecurity, headers: PurposeHeaders, params: IdParams, body: PatchContactBody, response: { 200: ContactView, ...errorResponses } },
  }, async (request) => updateContact(ctx, staffRequest(request), request.params.id, request.body));
}
