import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../services/app-context.ts';
import { assign, myAssignments, unassign } from '../../services/assignment.service.ts';
import { listPendingReviews, requestBreakGlass, review } from '../../services/break-glass.service.ts';
import { reveal } from '../../services/reveal.service.ts';
import { listStaff } from '../../services/staff-directory.service.ts';
import { staffRequest } from '../plugins/session.plugin.ts';
import {
  AssignBody, AssignedCase, Assignment, AssignmentParams, BreakGlassBody, BreakGlassGrant, BreakGlassQuery, PageQuery, Revealed, RevealBody, ReviewBody,
  StaffMember, StaffQuery,
} from './access.schema.ts';
import { errorResponses, IdParams, Ok, page, PurposeHeaders } from './common.schema.ts';
import { personalData, readSecurity, signedIn, writeSecurity } from './guards.ts';

export interface AccessSettings {
  readonly revealMinutes: number;
  readonly breakGlassHours: number;
}

/** Reveal, break-glass, assignments and the staff directory: thin routes over the access services (src/services). */
export async function accessRoutes(app: FastifyInstance, ctx: AppContext, settings: AccessSettings): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/api/reveal', {
    ...personalData,
    schema: { tags: ['reveal'], summary: 'reveal one masked field of one subject for a stated reason (audited, expires)', security: writeSecurity, headers: PurposeHeaders, body: RevealBody, response: { 200: Revealed, ...errorResponses } },
  }, async (request) => reveal(ctx, staffRequest(request), { ...request.body, reason: request.body.reason ?? '' }, settings));

  api.post('/api/cases/:id/break-glass', {
    ...personalData,
    schema: { tags: ['break-glass'], summary: 'open an unassigned case of my jurisdiction in an emergency (reviewed afterwards)', security: writeSecurity, headers: PurposeHeaders, params: IdParams, body: BreakGlassBody, response: { 201: BreakGlassGrant, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await requestBreakGlass(ctx, staffRequest(request), request.params.id, request.body.reason ?? '', settings)));

  api.get('/api/break-glass', {
    ...signedIn,
    schema: { tags: ['break-glass'], summary: 'break-glass grants awaiting my review (supervisors, purpose audit)', security: readSecurity, headers: PurposeHeaders, querystring: BreakGlassQuery, response: { 200: page(BreakGlassGrant), ...errorResponses } },
  }, async (request) => listPendingReviews(ctx, staffRequest(request), request.query));

  api.post('/api/break-glass/:id/review', {
    ...signedIn,
    schema: { tags: ['break-glass'], summary: 'accept or flag a break-glass grant, with a note', security: writeSecurity, headers: PurposeHeaders, params: IdParams, body: ReviewBody, response: { 200: BreakGlassGrant, ...errorResponses } },
  }, async (request) => review(ctx, staffRequest(request), request.params.id, request.body.decision, request.body.note ?? ''));

  api.post('/api/cases/:id/assignments', {
    ...signedIn,
    schema: { tags: ['assignments'], summary: 'assign an investigator or tracer to a case (supervisors)', security: writeSecurity, headers: PurposeHeaders, params: IdParams, body: AssignBody, response: { 201: Assignment, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await assign(ctx, staffRequest(request), request.params.id, request.body.staffId)));

  api.delete('/api/cases/:id/assignments/:staffId', {
    ...signedIn,
    schema: { tags: ['assignments'], summary: 'remove an assignment (supervisors)', security: writeSecurity, headers: PurposeHeaders, params: AssignmentParams, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    await unassign(ctx, staffRequest(request), request.params.id, request.params.staffId);
    return { ok: true as const };
  });

  api.get('/api/me/assignments', {
    ...personalData,
    schema: { tags: ['assignments'], summary: 'my assigned cases (clear case metadata only)', security: readSecurity, headers: PurposeHeaders, querystring: PageQuery, response: { 200: page(AssignedCase), ...errorResponses } },
  }, async (request) => myAssignments(ctx, staffRequest(request), request.query));

  api.get('/api/staff', {
    ...signedIn,
    schema: { tags: ['assignments'], summary: 'active staff of my jurisdiction, to assign (supervisors)', security: readSecurity, headers: PurposeHeaders, querystring: StaffQuery, response: { 200: page(StaffMember), ...errorResponses } },
  }, async (request) => listStaff(ctx, staffRequest(request), request.query));
}
