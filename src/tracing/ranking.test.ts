import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { overlapMs, widen } from './interval.ts';
import { confirmOverlaps, rankCandidates } from './ranking.ts';

const M = 60_000;
const window = { start: 0, end: 10_000 * M };
const rule = { window, bufferMs: 0, minOverlapMs: 0 };

describe('confirming and ranking candidates', () => {
  it('keeps only same-place positive overlaps, never the case itself, each pair once', () => {
    const caseStays = [{ travelId: 'c1', placeId: 'A', stay: { start: 100 * M, end: 160 * M } }];
    const matched = [
      { subjectId: 's1', travelId: 't1', placeId: 'A', stay: { start: 130 * M, end: 200 * M } },
      { subjectId: 's1', travelId: 't1', placeId: 'A', stay: { start: 130 * M, end: 200 * M } },
      { subjectId: 's2', travelId: 't2', placeId: 'B', stay: { start: 100 * M, end: 160 * M } },
      { subjectId: 's3', travelId: 't3', placeId: 'A', stay: { start: 160 * M, end: 170 * M } },
      { subjectId: 'case', travelId: 't4', placeId: 'A', stay: { start: 100 * M, end: 160 * M } },
    ];
    const out = confirmOverlaps(caseStays, matched, rule, 'case');
    assert.deepEqual([...out.keys()], ['s1']);
    assert.deepEqual(out.get('s1'), [{ travelId: 't1', caseTravelId: 'c1', placeId: 'A', from: 130 * M, to: 160 * M, overlapMs: 30 * M }]);
    assert.equal(confirmOverlaps(caseStays, matched, { ...rule, minOverlapMs: 31 * M }, 'case').size, 0);
  });

  it('ranks by total overlap, then number of overlaps, then the latest exposure, then id', () => {
    const o = (from: number, ms: number) => ({ travelId: `t${from}`, caseTravelId: 'c', placeId: 'A', from, to: from + ms, overlapMs: ms });
    const ranked = rankCandidates(new Map([
      ['a', [o(0, 10)]], ['b', [o(0, 5), o(100, 5)]], ['c', [o(50, 10)]], ['d', [o(0, 30)]], ['e', [o(50, 10)]], ['f', []],
    ]));
    assert.deepEqual(ranked.map((r) => r.subjectId), ['d', 'b', 'c', 'e', 'a']);
    assert.deepEqual([ranked[1]!.firstExposure, ranked[1]!.lastExposure, ranked[1]!.totalOverlapMs], [0, 105, 10]);
  });

  it('property: agrees with a brute-force check of every pair', () => {
    const stay = fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 300 }), fc.constantFrom('A', 'B')).map(([s, d, p]) => ({ start: s * M, end: (s + d) * M, p }));
    fc.assert(fc.property(fc.array(stay, { maxLength: 4 }), fc.array(stay, { maxLength: 12 }), fc.integer({ min: 0, max: 60 }), (cs, others, buffer) => {
      const caseStays = cs.map((c, i) => ({ travelId: `c${i}`, placeId: c.p, stay: c }));
      const matched = others.map((o, i) => ({ subjectId: `s${i % 4}`, travelId: `t${i}`, placeId: o.p, stay: o }));
      const got = confirmOverlaps(caseStays, matched, { window, bufferMs: buffer * M, minOverlapMs: 0 }, 'case');
      let pairs = 0;
      for (const m of matched) for (const c of caseStays) if (m.placeId === c.placeId && overlapMs(m.stay, widen(c.stay, buffer * M)) > 0) pairs++;
      return [...got.values()].reduce((n, l) => n + l.length, 0) === pairs;
    }), { numRuns: 500 });
  });
});
