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
  for (const n of graph.nodes) groups.set(find(n.subjectId), [...(groups.get(find(n.subjectId)) ?? []), n.subjectId]);
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => b.length - a.length || a[0]!.localeCompare(b[0]!));
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
