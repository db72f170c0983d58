/**
 * Transmission chains and clusters from the contact links (docs/TRACING.md "Chains"): a directed
 * graph whose nodes are people (pseudonymous subject ids) and whose edges go from a case's person
 * to each close contact, and from a close contact to each of their own contacts (secondary
 * contacts). A cluster is a connected component; generations count edges from the cluster's roots
 * (people nobody is recorded as having exposed). Pure: the service loads the rows.
 */
import type { Classification } from '../domain/model.ts';

export interface ChainCase {
  readonly caseId: string;
  readonly subjectId: string;
  readonly classification: Classification;
  readonly reportDate: string;
  readonly confirmationDate: string | null;
}

export interface ChainEdgeInput {
  readonly id: string;
  readonly kind: 'close_contact' | 'secondary_contact';
  readonly from: string;
  readonly to: string;
  /** The exposure date (sealed in the link; the service opens it only for viewers who may see it). */
  readonly exposureDate: string | null;
  readonly exposureType: string | null;
}

/** What a person is in the graph: their case's classification, or their role as a contact. */
export type NodeKind = Classification | 'close_contact' | 'secondary_contact';

export interface ChainNode {
  readonly subjectId: string;
  readonly kind: NodeKind;
  readonly caseIds: readonly string[];
  /** Report date of the person's case (the one that gives `kind`), if any. */
  readonly reportDate: string | null;
  readonly confirmationDate: string | null;
  /** Edges from the cluster's roots to this person (0 for a root). */
  readonly generation: number;
}

export interface ChainGraph {
  readonly nodes: readonly ChainNode[];
  readonly edges: readonly ChainEdgeInput[];
}

/** Classifications in order of precedence when a person has several cases. */
const PRECEDENCE: readonly Classification[] = ['confirmed', 'asymptomatic', 'suspected', 'excluded'];

/** Builds the graph of these cases and edges: one node per person, generations from the roots. */
export function buildChainGraph(cases: readonly ChainCase[], edges: readonly ChainEdgeInput[]): ChainGraph {
  const unique = [...new Map(edges.map((e) => [e.id, e])).values()].filter((e) => e.from !== e.to);
  const people = new Set<string>([...cases.map((c) => c.subjectId), ...unique.flatMap((e) => [e.from, e.to])]);
  const byPerson = new Map<string, ChainCase[]>();
  for (const c of cases) byPerson.set(c.subjectId, [...(byPerson.get(c.subjectId) ?? []), c]);
  const generation = generations([...people], unique);
  const nodes = [...people].sort().map((subjectId): ChainNode => {
    const own = [...(byPerson.get(subjectId) ?? [])].sort((a, b) => PRECEDENCE.indexOf(a.classification) - PRECEDENCE.indexOf(b.classification) || a.reportDate.localeCompare(b.reportDate));
    const lead = own[0];
    const incoming = unique.filter((e) => e.to === subjectId);
    const kind: NodeKind = lead ? lead.classification : incoming.some((e) => e.kind === 'close_contact') ? 'close_contact' : 'secondary_contact';
    return { subjectId, kind, caseIds: own.map((c) => c.caseId), reportDate: lead?.reportDate ?? null, confirmationDate: lead?.confirmationDate ?? null, generation: generation.get(subjectId) ?? 0 };
  });
  return { nodes, edges: [...unique].sort((a, b) => a.id.localeCompare(b.id)) };
}

/** Shortest number of edges from any root (a node without incoming edges); nodes only on cycles count from their smallest id. */
function generations(people: readonly string[], edges: readonly ChainEdgeInput[]): Map<string, number> {
  const out = new Map<string, number>();
  const children = new Map<string, string[]>();
  const hasParent = new Set<string>();
  for (const e of edges) {
    children.set(e.from, [...(children.get(e.from) ?? []), e.to]);
    hasParent.add(e.to);
  }
  const visit = (roots: readonly string[]) => {
    const queue = roots.filter((r) => !out.has(r));
    for (const r of queue) out.set(r, 0);
    for (let i = 0; i < queue.length; i++) {
      const n = queue[i]!;
      for (const c of children.get(n) ?? []) {
        if (out.has(c)) continue;
        out.set(c, out.get(n)! + 1);
        queue.push(c);
      }
    }
  };
  visit([...people].filter((p) => !hasParent.has(p)).sort());
  for (const p of [...people].sort()) if (!out.has(p)) visit([p]);
  return out;
}

/** The connected components (clusters) of the graph, largest first, each as sorted subject ids. */
export function clustersOf(graph: ChainGraph): string[][] {
  const parent = new Map(graph.nodes.map((n) => [n.subjectId, n.subjectId]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const e of graph.edges) {
    const a = find(e.from);
    const b = find(e.to);
    if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
  }
  const groups = new Map<string, string[]>();
  for (const n of graph.nodes) {
    const root = find(n.subjectId);
    const group = groups.get(root);
    if (group) group.push(n.subjectId);
    else groups.set(root, [n.subjectId]);
  }
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => b.length - a.length || a[0]!.localeCompare(b[0]!));
}

// ---- the list of clusters ----------------------------------------------------------------------

/** A case as the cluster list needs it: clear columns only. */
export interface ClusterCase {
  readonly caseId: string;
  readonly subjectId: string;
  readonly classification: Classification;
  readonly jurisdiction: string;
  readonly reportDate: string;
  readonly confirmationDate: string | null;
  /** When the case was recorded (ISO date-time). */
  readonly createdAt: string;
}

/** A contact link or a secondary contact as the cluster list needs it: who to whom, and when it was recorded. */
export interface ClusterEdge {
  readonly kind: 'close_contact' | 'secondary_contact';
  readonly from: string;
  readonly to: string;
  readonly createdAt: string;
}

export const NODE_KINDS: readonly NodeKind[] = ['confirmed', 'suspected', 'asymptomatic', 'excluded', 'close_contact', 'secondary_contact'];

/** One cluster without identities: sizes, people by classification or contact role, dates and districts. */
export interface ClusterSummary {
  /** The smallest case id of the cluster: stable while the cluster grows (a merge keeps the smaller of the two). */
  readonly id: string;
  /** People in the cluster; `cases` of them have a case, `contacts` only a contact role. */
  readonly people: number;
  readonly cases: number;
  readonly contacts: number;
  /** People by what they are in the chain (their case's classification, or their contact role); sums to `people`. */
  readonly kinds: Readonly<Record<NodeKind, number>>;
  readonly firstReportDate: string;
  readonly lastReportDate: string;
  /** The latest of the report and confirmation dates and the days a case, link or secondary contact was recorded (YYYY-MM-DD). */
  readonly lastActivity: string;
  /** District codes of the cluster's cases, sorted. */
  readonly districts: readonly string[];
  /** The cluster's cases, oldest report first (the service picks the one the viewer may open). */
  readonly caseIds: readonly string[];
}

/**
 * The clusters (connected components, as `clustersOf` builds them) of the whole outbreak graph,
 * newest activity first (then by id). Linear in cases and edges: no generations are computed.
 * Every cluster has at least one case (every edge leads back to a case's person); a group of
 * contacts without any case (a link whose case is not given) is left out.
 */
export function summarizeClusters(cases: readonly ClusterCase[], edges: readonly ClusterEdge[]): ClusterSummary[] {
  const byPerson = new Map<string, ClusterCase[]>();
  for (const c of cases) {
    const own = byPerson.get(c.subjectId);
    if (own) own.push(c);
    else byPerson.set(c.subjectId, [c]);
  }
  const people = new Set<string>(byPerson.keys());
  const closeContacts = new Set<string>();
  const loops = edges.filter((e) => e.from !== e.to);
  for (const e of loops) {
    people.add(e.from);
    people.add(e.to);
    if (e.kind === 'close_contact') closeContacts.add(e.to);
  }
  const graph: ChainGraph = {
    nodes: [...people].map((subjectId) => ({ subjectId, kind: 'close_contact', caseIds: [], reportDate: null, confirmationDate: null, generation: 0 })),
    edges: loops.map((e, i) => ({ id: String(i), kind: e.kind, from: e.from, to: e.to, exposureDate: null, exposureType: null })),
  };
  const groups = clustersOf(graph);
  const clusterOf = new Map<string, number>();
  groups.forEach((g, i) => { for (const p of g) clusterOf.set(p, i); });
  const recorded = groups.map(() => '');
  for (const e of loops) {
    const i = clusterOf.get(e.from)!;
    const day = e.createdAt.slice(0, 10);
    if (day > recorded[i]!) recorded[i] = day;
  }
  const out = groups.flatMap((members, i): ClusterSummary[] => {
    const kinds = Object.fromEntries(NODE_KINDS.map((k) => [k, 0])) as Record<NodeKind, number>;
    const own: ClusterCase[] = [];
    let withCase = 0;
    for (const p of members) {
      const theirs = byPerson.get(p);
      if (theirs) {
        withCase += 1;
        own.push(...theirs);
        kinds[leadClassification(theirs)] += 1;
      } else kinds[closeContacts.has(p) ? 'close_contact' : 'secondary_contact'] += 1;
    }
    if (own.length === 0) return [];
    own.sort((a, b) => a.reportDate.localeCompare(b.reportDate) || a.caseId.localeCompare(b.caseId));
    const reportDates = own.map((c) => c.reportDate).sort();
    const activity = [recorded[i]!, ...own.flatMap((c) => [c.reportDate, c.confirmationDate ?? '', c.createdAt.slice(0, 10)])].reduce((a, b) => (b > a ? b : a), '');
    return [{
      id: own.map((c) => c.caseId).reduce((a, b) => (b < a ? b : a)),
      people: members.length,
      cases: withCase,
      contacts: members.length - withCase,
      kinds,
      firstReportDate: reportDates[0]!,
      lastReportDate: reportDates[reportDates.length - 1]!,
      lastActivity: activity,
      districts: [...new Set(own.map((c) => c.jurisdiction))].sort(),
      caseIds: own.map((c) => c.caseId),
    }];
  });
  return out.sort(newestFirst);
}

/** A cluster as the staff API lists it: the summary without the case ids, and the one case the viewer may open its chain with. */
export type ClusterView = Omit<ClusterSummary, 'caseIds' | 'kinds' | 'districts'> & { kinds: Record<NodeKind, number>; districts: string[]; openCaseId: string };

/** The order of the cluster list: newest activity first, then by id. */
export function newestFirst(a: Pick<ClusterSummary, 'lastActivity' | 'id'>, b: Pick<ClusterSummary, 'lastActivity' | 'id'>): number {
  return b.lastActivity.localeCompare(a.lastActivity) || a.id.localeCompare(b.id);
}

function leadClassification(own: readonly ClusterCase[]): Classification {
  return [...own].sort((a, b) => PRECEDENCE.indexOf(a.classification) - PRECEDENCE.indexOf(b.classification) || a.reportDate.localeCompare(b.reportDate))[0]!.classification;
}

export interface ClusterExport {
  readonly format: 'epivault-cluster/1';
  readonly nodes: readonly { ref: string; kind: NodeKind; generation: number; reportDate: string | null; confirmationDate: string | null }[];
  readonly edges: readonly { from: string; to: string; kind: ChainEdgeInput['kind']; exposureDate: string | null; exposureType: string | null }[];
}

/**
 * A cluster without identities: people become `n1`, `n2`… in the order of generation, report date,
 * kind and first exposure; only exact ties fall back to the (random) subject ids, which says
 * nothing. No subject, case or link id, name or place is exported.
 */
export function exportCluster(graph: ChainGraph): ClusterExport {
  const order = [...graph.nodes].sort((a, b) => a.generation - b.generation || (a.reportDate ?? '9').localeCompare(b.reportDate ?? '9') || a.kind.localeCompare(b.kind)
    || firstExposure(graph, a.subjectId).localeCompare(firstExposure(graph, b.subjectId)) || a.subjectId.localeCompare(b.subjectId));
  const ref = new Map(order.map((n, i) => [n.subjectId, `n${i + 1}`]));
  return {
    format: 'epivault-cluster/1',
    nodes: order.map((n) => ({ ref: ref.get(n.subjectId)!, kind: n.kind, generation: n.generation, reportDate: n.reportDate, confirmationDate: n.confirmationDate })),
    edges: graph.edges.map((e) => ({ from: ref.get(e.from)!, to: ref.get(e.to)!, kind: e.kind, exposureDate: e.exposureDate, exposureType: e.exposureType }))
      .sort((a, b) => Number(a.from.slice(1)) - Number(b.from.slice(1)) || Number(a.to.slice(1)) - Number(b.to.slice(1))),
  };
}

function firstExposure(graph: ChainGraph, subjectId: string): string {
  return graph.edges.filter((e) => e.to === subjectId).map((e) => e.exposureDate ?? '9').sort()[0] ?? '9';
}
