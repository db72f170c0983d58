import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildChainGraph, clustersOf, exportCluster } from './chains.ts';
import type { ChainCase, ChainEdgeInput } from './chains.ts';

const kase = (caseId: string, subjectId: string, classification: ChainCase['classification'], reportDate: string): ChainCase => ({ caseId, subjectId, classification, reportDate, confirmationDate: classification === 'confirmed' ? reportDate : null });
const edge = (id: string, from: string, to: string, exposureDate: string, kind: ChainEdgeInput['kind'] = 'close_contact'): ChainEdgeInput => ({ id, kind, from, to, exposureDate, exposureType: 'household' });

// A → B (B became a confirmed case) → C; B → D (secondary of nobody: D is B's contact); C → E secondary; X → Y apart.
const cases = [kase('cA', 'A', 'confirmed', '2026-11-01'), kase('cB', 'B', 'confirmed', '2026-11-05'), kase('cB2', 'B', 'suspected', '2026-11-04'), kase('cX', 'X', 'asymptomatic', '2026-11-02')];
const edges = [edge('k1', 'A', 'B', '2026-10-30'), edge('k2', 'B', 'C', '2026-11-03'), edge('k3', 'B', 'D', '2026-11-03'), edge('s1', 'C', 'E', '2026-11-06', 'secondary_contact'), edge('k4', 'X', 'Y', '2026-11-01'), edge('k1', 'A', 'B', '2026-10-30')];

describe('transmission chains', () => {
  it('makes one node per person, classified by their case (confirmed first) or their contact role, with generations', () => {
    const g = buildChainGraph(cases, edges);
    const n = Object.fromEntries(g.nodes.map((x) => [x.subjectId, x]));
    assert.deepEqual(Object.keys(n).sort(), ['A', 'B', 'C', 'D', 'E', 'X', 'Y']);
    assert.deepEqual([n.A!.kind, n.B!.kind, n.C!.kind, n.E!.kind, n.X!.kind], ['confirmed', 'confirmed', 'close_contact', 'secondary_contact', 'asymptomatic']);
    assert.deepEqual(n.B!.caseIds, ['cB', 'cB2']);
    assert.equal(n.B!.reportDate, '2026-11-05');
    assert.deepEqual([n.A!.generation, n.B!.generation, n.C!.generation, n.E!.generation, n.Y!.generation], [0, 1, 2, 3, 1]);
    assert.equal(g.edges.length, 5, 'duplicate edges collapse');
  });

  it('splits the graph into clusters, largest first, and survives cycles', () => {
    const g = buildChainGraph(cases, edges);
    assert.deepEqual(clustersOf(g), [['A', 'B', 'C', 'D', 'E'], ['X', 'Y']]);
    const cyclic = buildChainGraph([], [edge('e1', 'P', 'Q', '2026-11-01'), edge('e2', 'Q', 'P', '2026-11-02')]);
    assert.deepEqual(cyclic.nodes.map((x) => x.generation), [0, 1]);
  });

  it('exports a cluster with no ids, names or places: people are n1, n2… ordered by shape and dates', () => {
    const g = buildChainGraph(cases.filter((c) => c.subjectId !== 'X'), edges.filter((e) => e.from !== 'X'));
    const out = exportCluster(g);
    assert.equal(out.format, 'epivault-cluster/1');
    assert.deepEqual(out.nodes.map((x) => [x.ref, x.kind, x.generation]), [['n1', 'confirmed', 0], ['n2', 'confirmed', 1], ['n3', 'close_contact', 2], ['n4', 'close_contact', 2], ['n5', 'secondary_contact', 3]]);
    assert.deepEqual(out.edges.map((e) => `${e.from}>${e.to}`), ['n1>n2', 'n2>n3', 'n2>n4', 'n3>n5']);
    const text = JSON.stringify(out);
    for (const id of ['"A"', '"B"', 'cA', 'k1', 's1']) assert.ok(!text.includes(id), id);
  });
});
