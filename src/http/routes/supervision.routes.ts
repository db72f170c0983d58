import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../services/app-context.ts';
import { exportAuditEvents, queryAuditEvents } from '../../services/audit-query.service.ts';
import { auditPublicKey, latestCheckpoint } from '../../services/audit-log.service.ts';
import { notFound } from '../../services/errors.ts';
import { activityReport, closeAlert, listAlerts, readAlert } from '../../services/supervision.service.ts';
import { staffRequest } from '../plugins/session.plugin.ts';
import { errorResponses, IdParams, page, PurposeHeaders } from './common.schema.ts';
import { readSecurity, signedIn, writeSecurity } from './guards.ts';
import { Activity, ActivityQuery, Alert, AlertDetail, AlertQuery, AuditPage, AuditQueryBody, Checkpoint, CloseAlertBody } from './supervision.schema.ts';

/**
 * Supervision alerts, the per-staff activity report and the auditor's queries (issue #4), under
 * the purpose `audit`; and the latest signed checkpoint of the audit log, public, so that anyone
 * can keep checkpoints where the database cannot reach them.
 */
export async function supervisionRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/alerts', {
    ...signedIn,
    schema: { tags: ['supervision'], summary: 'supervision alerts of my subtree (supervisors, auditors, DPO; purpose audit)', security: readSecurity, headers: PurposeHeaders, querystring: AlertQuery, response: { 200: page(Alert), ...errorResponses } },
  }, async (request) => {
    const r = await listAlerts(ctx, staffRequest(request), request.query.status, { after: request.query.cursor ?? null, limit: request.query.limit });
    return { items: r.items, nextCursor: r.next };
  });

  api.get('/api/alerts/:id', {
    ...signedIn,
    schema: { tags: ['supervision'], summary: 'one alert with the audit events behind it', security: readSecurity, headers: PurposeHeaders, params: IdParams, response: { 200: AlertDetail, ...errorResponses } },
  }, async (request) => readAlert(ctx, staffRequest(request), request.params.id));

  api.post('/api/alerts/:id/close', {
    ...signedIn,
    schema: { tags: ['supervision'], summary: 'close an alert with a recorded decision (supervisors, not about themselves)', security: writeSecurity, headers: PurposeHeaders, params: IdParams, body: CloseAlertBody, response: { 200: Alert, ...errorResponses } },
  }, async (request) => closeAlert(ctx, staffRequest(request), request.params.id, request.body.decision, request.body.note));

  api.get('/api/staff/:id/activity', {
    ...signedIn,
    schema: { tags: ['supervision'], summary: 'counts of an account’s audit events per action and outcome in [from, to)', security: readSecurity, headers: PurposeHeaders, params: IdParams, querystring: ActivityQuery, response: { 200: Activity, ...errorResponses } },
  }, async (request) => activityReport(ctx, staffRequest(request), request.params.id, request.query.from, request.query.to));

  api.post('/api/audit/events/query', {
    ...signedIn,
    schema: { tags: ['audit'], summary: 'audit events by actor, subject (document number), action and time, newest first (auditors, DPO)', security: writeSecurity, headers: PurposeHeaders, body: AuditQueryBody, response: { 200: AuditPage, ...errorResponses } },
  }, async (request) => queryAuditEvents(ctx, staffRequest(request), request.body));

  api.post('/api/audit/events/export', {
    ...signedIn,
    schema: { tags: ['audit'], summary: 'the same events as CSV, up to 10,000 (the export is audited)', security: writeSecurity, headers: PurposeHeaders, body: AuditQueryBody, produces: ['text/csv'], response: { ...errorResponses } },
  }, async (request, reply) => {
    const { csv } = await exportAuditEvents(ctx, staffRequest(request), request.body);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit-events.csv"')
      // A CSV body, sent as is: the route's response schemas cover only its JSON errors.
      .send(csv as never);
  });

  api.get('/api/audit/checkpoint', {
    schema: { tags: ['audit'], summary: 'the latest signed checkpoint of the audit log and its verifier key (public)', response: { 200: Checkpoint, 404: errorResponses[404] } },
  }, async () => {
    const cp = await latestCheckpoint(ctx);
    if (!cp) throw notFound();
    return { size: cp.size, checkpoint: cp.note, publicKey: auditPublicKey(ctx), createdAt: cp.created_at };
  });
}
