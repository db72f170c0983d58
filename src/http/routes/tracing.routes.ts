import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../services/app-context.ts';
import { chainOfCase, exportClusterOfCase } from '../../services/tracing/chains.service.ts';
import { confirmCandidate, dismissCandidate, listCandidates, runDiscovery } from '../../services/tracing/discovery.service.ts';
import { addFollowup, convertToCase, endQuarantine, extendQuarantine, quarantineContact, readQuarantine } from '../../services/tracing/follow-up.service.ts';
import { decideHandover, listHandovers } from '../../services/tracing/handover.service.ts';
import { listQuarantines, quarantinesOfCase, revealForCall } from '../../services/tracing/quarantine-queries.service.ts';
import { declareRiskArea, listRiskAreas, revokeRiskArea } from '../../services/tracing/risk-area.service.ts';
import { readRiskStatus } from '../../services/tracing/risk-status.service.ts';
import { addSecondaryContact, listSecondaryContacts } from '../../services/tracing/secondary.service.ts';
import { staffRequest } from '../plugins/session.plugin.ts';
import { errorResponses, IdParams, page, PurposeHeaders } from './common.schema.ts';
import { personalData, readSecurity, writeSecurity } from './guards.ts';
import {
  CandidateView, ChainView, ClusterExport, ConfirmBody, Confirmed, ConvertBody, ConvertedView, DeclaredRiskArea, DiscoveryResult, DismissBody, EndBody, ExtendBody,
  FollowupBody, HandoverDecisionBody, HandoverQuery, HandoverView, QuarantineListQuery, QuarantineSummary, QuarantineView, RevealCallBody, RevealCallResult,
  RiskAreaBody, RiskAreaQuery, RiskAreaView, RiskStatusView, SecondaryBody, SecondaryView, StartQuarantineBody,
} from './tracing.schema.ts';

const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/**
 * Contact tracing (docs/TRACING.md "API"): discovery, follow-up, hand-overs, chains, risk areas and
 * status. The discovery window, quarantine length and reveal time are the deployment's
 * (`ctx.settings`, from the configuration).
 */
export async function tracingRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const r = (tags: string[], summary: string, write = false) => ({ tags, summary, security: write ? writeSecurity : readSecurity, headers: PurposeHeaders });
  const discovery = ['tracing: discovery'];
  const followUp = ['tracing: follow-up'];
  const chains = ['tracing: chains'];
  const risk = ['tracing: risk'];

  api.post('/api/cases/:id/discovery', { ...personalData, schema: { ...r(discovery, 'find who shared a place and time with the case in its infectious window (co-location tokens); candidates ranked, masked', true), params: IdParams, response: { 200: DiscoveryResult, ...errorResponses } } },
    async (q) => runDiscovery(ctx, staffRequest(q), q.params.id, { settings: ctx.settings.tracing }));
  api.get('/api/cases/:id/candidates', { ...personalData, schema: { ...r(discovery, 'the stored discovery candidates of a case, ranked, masked'), params: IdParams, response: { 200: items(CandidateView), ...errorResponses } } },
    async (q) => ({ items: await listCandidates(ctx, staffRequest(q), q.params.id) }));
  api.post('/api/candidates/:id/confirm', { ...personalData, schema: { ...r(discovery, 'confirm a candidate: close contact, exposure, quarantine, hand-over if they live elsewhere', true), params: IdParams, body: ConfirmBody, response: { 200: Confirmed, ...errorResponses } } },
    async (q) => confirmCandidate(ctx, staffRequest(q), q.params.id, q.body, ctx.settings.tracing));
  api.post('/api/candidates/:id/dismiss', { ...personalData, schema: { ...r(discovery, 'dismiss a candidate with a reason', true), params: IdParams, body: DismissBody, response: { 200: CandidateView, ...errorResponses } } },
    async (q) => dismissCandidate(ctx, staffRequest(q), q.params.id, q.body));

  api.post('/api/contacts/:id/quarantine', { ...personalData, schema: { ...r(followUp, 'start the quarantine of a close contact (default 14 days from the exposure)', true), params: IdParams, body: StartQuarantineBody, response: { 201: QuarantineView, ...errorResponses } } },
    async (q, reply) => reply.code(201).send(await quarantineContact(ctx, staffRequest(q), q.params.id, q.body, ctx.settings.tracing)));
  api.get('/api/quarantines', { ...personalData, schema: { ...r(followUp, 'quarantines of my scope I may follow up'), querystring: QuarantineListQuery, response: { 200: page(QuarantineSummary), ...errorResponses } } },
    async (q) => listQuarantines(ctx, staffRequest(q), q.query));
  api.get('/api/cases/:id/quarantines', { ...personalData, schema: { ...r(followUp, 'quarantines of the contacts of a case'), params: IdParams, response: { 200: items(QuarantineSummary), ...errorResponses } } },
    async (q) => ({ items: await quarantinesOfCase(ctx, staffRequest(q), q.params.id) }));
  api.get('/api/quarantines/:id', { ...personalData, schema: { ...r(followUp, 'a quarantine: the contact masked, dates, daily entries, risk status'), params: IdParams, response: { 200: QuarantineView, ...errorResponses } } },
    async (q) => readQuarantine(ctx, staffRequest(q), q.params.id));
  api.post('/api/quarantines/:id/entries', { ...personalData, schema: { ...r(followUp, 'add the follow-up of one day (symptoms, temperature)', true), params: IdParams, body: FollowupBody, response: { 201: QuarantineView, ...errorResponses } } },
    async (q, reply) => reply.code(201).send(await addFollowup(ctx, staffRequest(q), q.params.id, q.body)));
  api.post('/api/quarantines/:id/extend', { ...personalData, schema: { ...r(followUp, 'extend a quarantine, with a reason', true), params: IdParams, body: ExtendBody, response: { 200: QuarantineView, ...errorResponses } } },
    async (q) => extendQuarantine(ctx, staffRequest(q), q.params.id, q.body, ctx.settings.tracing));
  api.post('/api/quarantines/:id/end', { ...personalData, schema: { ...r(followUp, 'end a quarantine', true), params: IdParams, body: EndBody, response: { 200: QuarantineView, ...errorResponses } } },
    async (q) => endQuarantine(ctx, staffRequest(q), q.params.id, q.body));
  api.post('/api/quarantines/:id/convert', { ...personalData, schema: { ...r(followUp, 'convert the contact into a case (purpose case_investigation)', true), params: IdParams, body: ConvertBody, response: { 201: ConvertedView, ...errorResponses } } },
    async (q, reply) => reply.code(201).send(await convertToCase(ctx, staffRequest(q), q.params.id, q.body)));
  api.post('/api/quarantines/:id/reveal-phone', { ...personalData, schema: { ...r(followUp, 'reveal the contact\'s phone number to call them, with a reason', true), params: IdParams, body: RevealCallBody, response: { 200: RevealCallResult, ...errorResponses } } },
    async (q) => revealForCall(ctx, staffRequest(q), q.params.id, q.body, ctx.settings.revealMinutes));
  api.get('/api/contacts/:id/secondary-contacts', { ...personalData, schema: { ...r(followUp, 'contacts of a close contact, masked'), params: IdParams, response: { 200: items(SecondaryView), ...errorResponses } } },
    async (q) => ({ items: await listSecondaryContacts(ctx, staffRequest(q), q.params.id) }));
  api.post('/api/contacts/:id/secondary-contacts', { ...personalData, schema: { ...r(followUp, 'record a contact of a close contact', true), params: IdParams, body: SecondaryBody, response: { 201: SecondaryView, ...errorResponses } } },
    async (q, reply) => reply.code(201).send(await addSecondaryContact(ctx, staffRequest(q), q.params.id, q.body)));

  api.get('/api/handovers', { ...personalData, schema: { ...r(followUp, 'contacts handed over to my jurisdiction, pending (supervisors)'), querystring: HandoverQuery, response: { 200: items(HandoverView), ...errorResponses } } },
    async (q) => ({ items: await listHandovers(ctx, staffRequest(q), q.query) }));
  api.post('/api/handovers/:id/decision', { ...personalData, schema: { ...r(followUp, 'accept (optionally assigning a tracer) or decline a hand-over', true), params: IdParams, body: HandoverDecisionBody, response: { 200: HandoverView, ...errorResponses } } },
    async (q) => decideHandover(ctx, staffRequest(q), q.params.id, q.body));

  api.get('/api/cases/:id/chain', { ...personalData, schema: { ...r(chains, 'the transmission cluster of a case as nodes and edges, labels masked'), params: IdParams, response: { 200: ChainView, ...errorResponses } } },
    async (q) => chainOfCase(ctx, staffRequest(q), q.params.id));
  api.get('/api/cases/:id/cluster-export', { ...personalData, schema: { ...r(chains, 'the cluster of a case without identities'), params: IdParams, response: { 200: ClusterExport, ...errorResponses } } },
    async (q) => exportClusterOfCase(ctx, staffRequest(q), q.params.id));

  api.get('/api/risk-areas', { ...personalData, schema: { ...r(risk, 'risk areas of my scope'), querystring: RiskAreaQuery, response: { 200: items(RiskAreaView), ...errorResponses } } },
    async (q) => ({ items: await listRiskAreas(ctx, staffRequest(q), q.query) }));
  api.post('/api/risk-areas', { ...personalData, schema: { ...r(risk, 'declare a high- or medium-risk district or venue (supervisors); finds who stayed there on tokens', true), body: RiskAreaBody, response: { 201: DeclaredRiskArea, ...errorResponses } } },
    async (q, reply) => reply.code(201).send(await declareRiskArea(ctx, staffRequest(q), q.body)));
  api.post('/api/risk-areas/:id/revoke', { ...personalData, schema: { ...r(risk, 'revoke a risk area', true), params: IdParams, response: { 200: RiskAreaView, ...errorResponses } } },
    async (q) => revokeRiskArea(ctx, staffRequest(q), q.params.id));
  api.get('/api/subjects/:id/risk-status', { ...personalData, schema: { ...r(risk, 'a person\'s risk status (green, yellow, red) and its reason'), params: IdParams, response: { 200: RiskStatusView, ...errorResponses } } },
    async (q) => readRiskStatus(ctx, staffRequest(q), q.params.id));
}
