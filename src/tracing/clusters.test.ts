import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newestFirst, summarizeClusters } from './chains.ts';
import type { ClusterCase, ClusterEdge } from './chains.ts';

const kase = (caseId: string, subjectId: string, classification: ClusterCase['classification'], jurisdiction: string, reportDate: string, createdAt = `${reportDate}T02:00:00.000Z`): ClusterCase =>
  ({ caseId, subjectId, classification, jurisdiction, reportDate, confirmationDate: classification === 'confirmed' ? reportDate : null, createdAt });
const edge = (from: string, to: string, createdAt: string, kind: ClusterEdge['kind'] = 'close_contact'): ClusterEdge => ({ kind, from, to, createdAt });

describe('the list of clusters', () => {
  // A (confirmed, Chaoyang) → B, B later a suspected case in Haidian (cB) and a confirmed one (cB2); B → C; C ⇢ D (secondary).
  // X (asymptomatic) → Y, recorded later. L: a lone case.
  const cases = [
    kase('c3', 'A', 'confirmed', '110105', '2026-11-01'), kase('c7', 'B', 'suspected', '110108', '2026-11-04'), kase('c5', 'B', 'confirmed', '110108', '2026-11-06'),
    kase('c9', 'X', 'asymptomatic', '110105', '2026-11-02'), kase('c1', 'L', 'excluded', '110101', '2026-10-20'),
  ];
  const edges = [edge('A', 'B', '2026-11-02T01:00:00Z'), edge('B', 'C', '2026-11-06T01:00:00Z'), edge('C', 'D', '2026-11-07T01:00:00Z', 'secondary_contact'), edge('X', 'Y', '2026-11-09T01:00:00Z'), edge('X', 'X', '2026-11-30T01:00:00Z')];

  it('counts each cluster\'s people by kind, its cases and contacts, dates and districts; no subject ids', () => {
    const out = summarizeClusters(cases, edges);
    assert.deepEqual(out.map((c) => c.id), ['c9', 'c3', 'c1'], 'newest activity first; the id is the smallest case id');
    const [xy, ab, lone] = out;
    assert.deepEqual([ab!.people, ab!.cases, ab!.contacts], [4, 2, 2]);
    assert.deepEqual(ab!.kinds, { confirmed: 2, suspected: 0, asymptomatic: 0, excluded: 0, close_contact: 1, secondary_contact: 1 }, 'B counts once, as confirmed');
    assert.deepEqual([ab!.firstReportDate, ab!.lastReportDate, ab!.lastActivity], ['2026-11-01', '2026-11-06', '2026-11-07']);
    assert.deepEqual(ab!.districts, ['110105', '110108']);
    assert.deepEqual(ab!.caseIds, ['c3', 'c7', 'c5'], 'oldest report first');
    assert.deepEqual([xy!.people, xy!.kinds.asymptomatic, xy!.kinds.close_contact, xy!.lastActivity], [2, 1, 1, '2026-11-09'], 'a self-link is ignored');
    assert.deepEqual([lone!.people, lone!.cases, lone!.contacts, lone!.kinds.excluded], [1, 1, 0, 1]);
    assert.ok(!JSON.stringify(out).match(/"[ABCDXYL]"/), 'no subject id');
    for (let i = 1; i < out.length; i++) assert.ok(newestFirst(out[i - 1]!, out[i]!) < 0);
  });

  it('leaves out contacts whose case is not given, and keeps the id when clusters merge', () => {
    assert.deepEqual(summarizeClusters([], [edge('P', 'Q', '2026-11-01T00:00:00Z')]), []);
    const merged = summarizeClusters([...cases, kase('c0', 'Z', 'confirmed', '110105', '2026-11-08')], [...edges, edge('Z', 'Y', '2026-11-10T00:00:00Z'), edge('C', 'Y', '2026-11-10T00:00:00Z')]);
    assert.deepEqual(merged.map((c) => [c.id, c.people]), [['c0', 7], ['c1', 1]]);
  });

  it('groups a city-sized graph in one pass (a 60,000-link chain and 20,000 small clusters)', () => {
    const big: ClusterCase[] = [kase('k-0', 's-0', 'confirmed', '110105', '2026-11-01')];
    const links: ClusterEdge[] = [];
    for (let i = 1; i <= 60_000; i++) links.push(edge(`s-${i - 1}`, `s-${i}`, '2026-11-02T00:00:00Z'));
    for (let i = 0; i < 20_000; i++) {
      big.push(kase(`m-${String(i).padStart(5, '0')}`, `t-${i}`, 'suspected', '110108', '2026-11-03'));
      links.push(edge(`t-${i}`, `u-${i}`, '2026-11-03T00:00:00Z'));
    }
    const out = summarizeClusters(big, links);
    assert.equal(out.length, 20_001);
    const chain = out.find((c) => c.id === 'k-0')!;
    assert.deepEqual([chain.people, chain.cases, chain.contacts], [60_001, 1, 60_000]);
    assert.equal(out[0]!.id, 'm-00000');
  });
});
