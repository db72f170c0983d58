import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../services/app-context.ts';
import { createCase, listCases, readCase, updateCase } from '../../services/case.service.ts';
import { staffRequest } from '../plugins/session.plugin.ts';
import { CaseDetail, CaseListQuery, CaseSummary, CreateCaseBody, CreatedCase, PatchCaseBody } from './case.schema.ts';
import { errorResponses, IdParams, page, PurposeHeaders } from './common.schema.ts';
import { personalData, readSecurity, writeSecurity } from './guards.ts';

export async function caseRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];

  api.get('/api/cases', {
    ...personalData,
    schema: { tags, summary: 'cases of my scope, newest report first, subjects masked', security: readSecurity, headers: PurposeHeaders, querystring: CaseListQuery, response: { 200: page(CaseSummary), ...errorResponses } },
  }, async (request) => listCases(ctx, staffRequest(request), request.query));

  api.post('/api/cases', {
    ...personalData,
    schema: { tags, summary: 'open a case for a new person or a registered subject', security: writeSecurity, headers: PurposeHeaders, body: CreateCaseBody, response: { 201: CreatedCase, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await createCase(ctx, staffRequest(request), request.body)));

  api.get('/api/cases/:id', {
    ...personalData,
    schema: { tags, summary: 'a case, its subject masked, contacts count and my abilities', security: readSecurity, headers: PurposeHeaders, params: IdParams, response: { 200: CaseDetail, ...errorResponses } },
  }, async (request) => readCase(ctx, staffRequest(request), request.params.id));

  api.patch('/api/cases/:id', {
    ...personalData,
    schema: { tags, summary: 'change classification, dates, outcome or source', security: writeSecurity, headers: PurposeHeaders, params: IdParams, body: PatchCaseBody, response: { 200: CaseDetail, ...errorResponses } },
  }, async (request) => updateCase(ctx, staffRequest(request), request.params.id, request.body));
}
