/**
 * Transmission chains for staff (docs/TRACING.md "Chains"): the cluster a case belongs to, as
 * nodes and edges the console draws (labels masked, each node's classification or contact role,
 * report and exposure dates), and the cluster exported without identities. The graph is walked
 * over the clear pseudonymous pairs (cases, contact links, secondary contacts); the exposure dates
 * are opened under each contact's key; a node gets a masked name only if the viewer may read that
 * person, otherwise its case number or nothing. The list of clusters gives, per cluster touching the
 * viewer's subtree, its sizes, classifications, dates and districts, without identities.
 */
import type { ContactExposure, Classification } from '../../domain/model.ts';
import type { ChainNodeView, ChainView, ClusterExportView } from '../../domain/views/tracing.ts';
import { isInJurisdiction } from '../../domain/jurisdiction.ts';
import type { Page } from '../../domain/views/page.ts';
import { buildChainGraph, exportCluster, newestFirst, summarizeClusters } from '../../tracing/chains.ts';
import type { ChainCase, ChainEdgeInput, ChainGraph, ClusterCase, ClusterEdge, ClusterSummary, ClusterView } from '../../tracing/chains.ts';
import type { Repositories } from '../../storage/store.ts';
import type { AppContext } from '../app-context.ts';
import { accessAudit, authorize, filterAllowed, maskIdentity } from '../access.service.ts';
import type { Authorized } from '../access.service.ts';
import { appendAudit } from '../audit.service.ts';
import { notFound } from '../errors.ts';
import type { AuditInput } from '../audit.service.ts';
import { decodeCursor, encodeCursor } from '../staff-input.ts';
import { auditAll, invalid, openSubjects } from '../staff-records.ts';
import type { StaffRequest } from '../staff-context.ts';
import { openSubjectJson, unwrapDataKey } from '../subject-cipher.ts';
import type { SecondaryExposure } from './tracing-records.ts';

export const DEFAULT_MAX_NODES = 300;

/** The cluster of a case as a graph, labels masked; audited (the chain, and each person given a masked name). */
export async function chainOfCase(ctx: AppContext, req: StaffRequest, caseId: string, maxNodes = DEFAULT_MAX_NODES): Promise<ChainView> {
  const authorized = await authorize(ctx, req, 'read', { type: 'chain', parent: { type: 'case', id: caseId } });
  return ctx.store.transaction(async (repos) => {
    const { graph, cases, truncated, root } = await loadCluster(ctx, repos, caseId, maxNodes);
    const readable = await filterAllowed(repos, req, 'read', graph.nodes.map((n) => ({ type: 'subject' as const, id: n.subjectId })));
    const subjects = await openSubjects(ctx, repos, readable.map((r) => r.target.id));
    const names = new Map(readable.flatMap(({ target, authorized: a }) => {
      const s = subjects.get(target.id);
      return s ? [[s.id, maskIdentity(s.identity, s.jurisdictionCode, a.obligations, a.grants, req.now).name.value] as const] : [];
    }));
    const numbers = new Map<string, string[]>();
    for (const c of cases) numbers.set(c.subject_id, [...(numbers.get(c.subject_id) ?? []), c.case_number]);
    const nodes = graph.nodes.map((n): ChainNodeView => {
      const name = names.get(n.subjectId);
      const caseNumbers = (numbers.get(n.subjectId) ?? []).sort();
      return {
        id: n.subjectId, kind: n.kind, caseIds: [...n.caseIds], caseNumbers, reportDate: n.reportDate, confirmationDate: n.confirmationDate, generation: n.generation,
        label: name ?? caseNumbers[0] ?? null, labelKind: name ? 'masked_name' : caseNumbers[0] ? 'case_number' : 'none',
      };
    });
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'read', authorized, { resourceType: 'chain', resourceId: caseId, reason: `nodes:${nodes.length}` }));
    await auditAll(ctx, repos, req, [...names.keys()].map((id) => accessAudit(req, 'list', authorized, { resourceType: 'chain', resourceId: caseId, subjectId: id })));
    return { caseId, rootSubjectId: root, truncated, nodes, edges: [...graph.edges] };
  });
}

/** The cluster of a case without identities (no names, ids, case numbers or places): people are n1, n2…; audited. */
export async function exportClusterOfCase(ctx: AppContext, req: StaffRequest, caseId: string, maxNodes = DEFAULT_MAX_NODES): Promise<ClusterExportView> {
  const authorized = await authorize(ctx, req, 'export', { type: 'chain', parent: { type: 'case', id: caseId } });
  return ctx.store.transaction(async (repos) => {
    const { graph, truncated } = await loadCluster(ctx, repos, caseId, maxNodes);
    const out = exportCluster(graph);
    await appendAudit(repos, ctx.keys, req.actor, accessAudit(req, 'export', authorized, { resourceType: 'chain', resourceId: caseId, reason: `nodes:${out.nodes.length}` }));
    return { format: out.format, nodes: [...out.nodes], edges: [...out.edges], truncated };
  });
}

type CaseRow = Awaited<ReturnType<Repositories['tracing']['casesByIds']>>[number];

/**
 * Walks the outbreak graph from the case's person, in both directions, breadth first, until no new
 * person is reached or `maxNodes` are: their cases, the contacts of those cases, the cases they are
 * contacts of, their secondary contacts and whose secondary contacts they are.
 */
async function loadCluster(ctx: AppContext, repos: Repositories, caseId: string, maxNodes: number): Promise<{ graph: ChainGraph; cases: CaseRow[]; truncated: boolean; root: string }> {
  const start = (await repos.tracing.casesByIds([caseId]))[0];
  if (!start) throw notFound();
  const seen = new Set<string>([start.subject_id]);
  const cases = new Map<string, CaseRow>();
  const links = new Map<string, Awaited<ReturnType<Repositories['tracing']['linksByIds']>>[number]>();
  const secondaries = new Map<string, Awaited<ReturnType<Repositories['tracing']['secondariesOfLinks']>>[number]>();
  let frontier = [start.subject_id];
  let truncated = false;
  while (frontier.length > 0) {
    const next = new Set<string>();
    const reach = (s: string) => { if (!seen.has(s)) next.add(s); };
    for (const c of await repos.tracing.casesOfSubjects(frontier)) cases.set(c.id, c);
    const own = [...cases.values()].filter((c) => frontier.includes(c.subject_id)).map((c) => c.id);
    for (const l of [...await repos.tracing.linksOfCases(own), ...await repos.tracing.linksOfContacts(frontier)]) links.set(l.id, l);
    const upCases = await repos.tracing.casesByIds([...links.values()].filter((l) => frontier.includes(l.contact_subject_id)).map((l) => l.case_id));
    for (const c of upCases) { cases.set(c.id, c); reach(c.subject_id); }
    for (const l of links.values()) if (own.includes(l.case_id)) reach(l.contact_subject_id);
    const frontierLinks = [...links.values()].filter((l) => frontier.includes(l.contact_subject_id)).map((l) => l.id);
    for (const s of [...await repos.tracing.secondariesOfLinks(frontierLinks), ...await repos.tracing.secondariesOfSubjects(frontier)]) secondaries.set(s.id, s);
    const primary = await repos.tracing.linksByIds([...secondaries.values()].filter((s) => frontier.includes(s.subject_id)).map((s) => s.contact_link_id));
    for (const l of primary) { links.set(l.id, l); reach(l.contact_subject_id); }
    for (const s of secondaries.values()) if (frontierLinks.includes(s.contact_link_id)) reach(s.subject_id);
    const room = maxNodes - seen.size;
    if (next.size > room) truncated = true;
    frontier = [...next].sort().slice(0, Math.max(0, room));
    for (const s of frontier) seen.add(s);
  }
  const subjectOfCase = new Map<string, string>();
  for (const c of cases.values()) subjectOfCase.set(c.id, c.subject_id);
  const keep = (id: string) => seen.has(id);
  const deks = new Map((await repos.tracing.keysOf([...seen])).map((k) => [k.subject_id, unwrapDataKey(ctx.keys.keyring.get(k.root_version), k.subject_id, k.wrapped)]));
  const edges: ChainEdgeInput[] = [];
  for (const l of links.values()) {
    const from = subjectOfCase.get(l.case_id);
    const dek = deks.get(l.contact_subject_id);
    if (!from || !keep(from) || !keep(l.contact_subject_id) || !dek) continue;
    const e = openSubjectJson<ContactExposure>(dek, l.contact_subject_id, 'contact_links', l.id, l.sealed);
    edges.push({ id: l.id, kind: 'close_contact', from, to: l.contact_subject_id, exposureDate: e.exposureDate, exposureType: e.exposureType });
  }
  for (const s of secondaries.values()) {
    const primary = links.get(s.contact_link_id);
    const dek = deks.get(s.subject_id);
    if (!primary || !keep(primary.contact_subject_id) || !keep(s.subject_id) || !dek) continue;
    const e = openSubjectJson<SecondaryExposure>(dek, s.subject_id, 'secondary_contacts', s.id, s.sealed);
    edges.push({ id: s.id, kind: 'secondary_contact', from: primary.contact_subject_id, to: s.subject_id, exposureDate: e.exposureDate, exposureType: e.exposureType });
  }
  const chainCases: ChainCase[] = [...cases.values()].filter((c) => keep(c.subject_id)).map((c) => ({
    caseId: c.id, subjectId: c.subject_id, classification: c.classification as Classification, reportDate: c.report_date, confirmationDate: c.confirmation_date,
  }));
  return { graph: buildChainGraph(chainCases, edges), cases: [...cases.values()].filter((c) => keep(c.subject_id)), truncated, root: start.subject_id };
}

// ---- the list of clusters ----------------------------------------------------------------------

export interface ClusterListQuery {
  /** Clusters of at least this many people (default 2: a case without any recorded link is not listed). */
  minSize?: number;
  cursor?: string;
  limit: number;
}

export const DEFAULT_MIN_CLUSTER_SIZE = 2;
/** The most cases a cluster list loads; a deployment beyond it needs a stored cluster table (docs/TRACING.md "Clusters"). */
export const MAX_CLUSTER_CASES = 2_000_000;

/**
 * The transmission clusters that have a case in the viewer's subtree and whose chain the viewer may
 * read through one of those cases (the same decision as `GET /api/cases/:id/chain`), newest activity
 * first, a page at a time. No name, subject id or case number: per cluster its sizes, people by
 * classification or contact role, report dates, districts and the case to open its chain with.
 *
 * The outbreak graph is read whole, over its clear pseudonymous columns only (nothing is decrypted):
 * the cases in one query, then their links and the links' secondary contacts (one query per 5,000
 * ids). The access policy is asked only for the clusters of the page (and those skipped on the way),
 * one audit event per cluster shown (a `list` of its chain, on the case it opens with).
 */
export async function listClusters(ctx: AppContext, req: StaffRequest, q: ClusterListQuery): Promise<Page<ClusterView>> {
  const minSize = q.minSize ?? DEFAULT_MIN_CLUSTER_SIZE;
  if (!Number.isInteger(minSize) || minSize < 1) throw invalid('minSize', 'must be a whole number of at least 1');
  if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 100) throw invalid('limit', 'must be a whole number from 1 to 100');
  const after = decodeCursor(q.cursor, 2);
  const from = after ? { lastActivity: after[0]!, id: after[1]! } : undefined;
  return ctx.store.transaction(async (repos) => {
    const { cases, edges } = await loadOutbreak(repos);
    const inSubtree = new Set(cases.filter((c) => isInJurisdiction(c.jurisdiction, req.actor.jurisdiction)).map((c) => c.caseId));
    const candidates = summarizeClusters(cases, edges)
      .filter((c) => c.people >= minSize && c.caseIds.some((id) => inSubtree.has(id)) && (!from || newestFirst(c, from) > 0));
    const shown: { cluster: ClusterSummary; openCaseId: string; authorized: Authorized }[] = [];
    let more = false;
    for (let i = 0; i < candidates.length && !more;) {
      const batch = candidates.slice(i, i + Math.max(q.limit + 1 - shown.length, 1));
      i += batch.length;
      const targets = batch.flatMap((c) => c.caseIds.filter((id) => inSubtree.has(id)).map((id) => ({ type: 'chain' as const, parent: { type: 'case' as const, id } })));
      const allowed = new Map((await filterAllowed(repos, req, 'read', targets)).map((a) => [a.target.parent.id, a.authorized]));
      for (const cluster of batch) {
        const openCaseId = cluster.caseIds.find((id) => allowed.has(id));
        if (openCaseId === undefined) continue;
        if (shown.length === q.limit) { more = true; break; }
        shown.push({ cluster, openCaseId, authorized: allowed.get(openCaseId)! });
      }
    }
    const audit: AuditInput[] = shown.length > 0
      ? shown.map((s) => accessAudit(req, 'list', s.authorized, { resourceType: 'chain', resourceId: s.openCaseId }))
      : [{ action: 'list', resourceType: 'chain', purpose: req.purpose, outcome: 'success', requestId: req.requestId }];
    await auditAll(ctx, repos, req, audit);
    const items = shown.map(({ cluster, openCaseId }): ClusterView => {
      const { caseIds: _all, ...summary } = cluster;
      return { ...summary, kinds: { ...summary.kinds }, districts: [...summary.districts], openCaseId };
    });
    const last = shown[shown.length - 1]?.cluster;
    return { items, nextCursor: more && last ? encodeCursor([last.lastActivity, last.id]) : null };
  });
}

/**
 * The whole outbreak graph over clear columns: every case, every close-contact link of those cases,
 * and every secondary contact of those links (no sealed value is opened).
 */
async function loadOutbreak(repos: Repositories): Promise<{ cases: ClusterCase[]; edges: ClusterEdge[] }> {
  const caseRows = await repos.cases.listCases({ jurisdictionPrefix: '', limit: MAX_CLUSTER_CASES });
  const cases = caseRows.map((c): ClusterCase => ({
    caseId: c.id, subjectId: c.subject_id, classification: c.classification as Classification, jurisdiction: c.jurisdiction_code,
    reportDate: c.report_date, confirmationDate: c.confirmation_date, createdAt: c.created_at,
  }));
  const subjectOfCase = new Map(cases.map((c) => [c.caseId, c.subjectId]));
  const links = await repos.tracing.linksOfCases(cases.map((c) => c.caseId));
  const contactOfLink = new Map(links.map((l) => [l.id, l.contact_subject_id]));
  const edges: ClusterEdge[] = [];
  for (const l of links) {
    const from = subjectOfCase.get(l.case_id);
    if (from) edges.push({ kind: 'close_contact', from, to: l.contact_subject_id, createdAt: l.created_at });
  }
  for (const s of await repos.tracing.secondariesOfLinks(links.map((l) => l.id))) {
    const from = contactOfLink.get(s.contact_link_id);
    if (from) edges.push({ kind: 'secondary_contact', from, to: s.subject_id, createdAt: s.created_at });
  }
  return { cases, edges };
}
