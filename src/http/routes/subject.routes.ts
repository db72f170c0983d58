import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../services/app-context.ts';
import { readSubject, updateSubject } from '../../services/subject.service.ts';
import { staffRequest } from '../plugins/session.plugin.ts';
import { errorResponses, IdParams, PurposeHeaders } from './common.schema.ts';
import { personalData, readSecurity, writeSecurity } from './guards.ts';
import { PatchSubjectBody, SubjectView } from './subject.schema.ts';

export async function subjectRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['subjects'];

  api.get('/api/subjects/:id', {
    ...personalData,
    schema: { tags, summary: 'a subject, identity masked unless revealed', security: readSecurity, headers: PurposeHeaders, params: IdParams, response: { 200: SubjectView, ...errorResponses } },
  }, async (request) => readSubject(ctx, staffRequest(request), request.params.id));

  api.patch('/api/subjects/:id', {
    ...personalData,
    schema: { tags, summary: 'change identity fields (validated as an import row)', security: writeSecurity, headers: PurposeHeaders, params: IdParams, body: PatchSubjectBody, response: { 200: SubjectView, ...errorResponses } },
  }, async (request) => updateSubject(ctx, staffRequest(request), request.params.id, request.body));
}
