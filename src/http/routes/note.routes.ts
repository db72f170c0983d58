import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../services/app-context.ts';
import { addNote, listNotes } from '../../services/note.service.ts';
import { staffRequest } from '../plugins/session.plugin.ts';
import { errorResponses, IdParams, page, PurposeHeaders } from './common.schema.ts';
import { personalData, readSecurity, writeSecurity } from './guards.ts';
import { NoteBody, NoteQuery, NoteView } from './note.schema.ts';

export async function noteRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['notes'];

  api.get('/api/cases/:id/notes', {
    ...personalData,
    schema: { tags, summary: 'notes of a case, oldest first', security: readSecurity, headers: PurposeHeaders, params: IdParams, querystring: NoteQuery, response: { 200: page(NoteView), ...errorResponses } },
  }, async (request) => listNotes(ctx, staffRequest(request), request.params.id, request.query));

  api.post('/api/cases/:id/notes', {
    ...personalData,
    schema: { tags, summary: 'add a note (sealed)', security: writeSecurity, headers: PurposeHeaders, params: IdParams, body: NoteBody, response: { 201: NoteView, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await addNote(ctx, staffRequest(request), request.params.id, request.body)));
}
