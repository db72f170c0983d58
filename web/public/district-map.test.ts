import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import map from '../../src/domain/data/beijing-districts.json' with { type: 'json' };
import divisions from '../../src/domain/data/divisions.json' with { type: 'json' };
import { districtNamer } from './districts.ts';

const mapped = map.districts as Record<string, { name: string; d: string; label: number[] }>;
const areas = divisions.areas as Record<string, string>;

describe("the dashboard's bundled district map", () => {
  it('is keyed by GB/T 2260 district codes present in src/domain/data/divisions.json, under the same names', () => {
    const codes = Object.keys(mapped);
    assert.ok(codes.length > 0);
    for (const code of codes) {
      assert.match(code, /^\d{6}$/, code);
      assert.ok(code in areas, `${code} is not a district of divisions.json`);
      assert.equal(mapped[code]!.name, areas[code], `${code}: the map's name and the division table's agree`);
    }
  });

  it("covers every district of Beijing (11) in divisions.json, and nothing else", () => {
    const beijing = Object.keys(areas).filter((c) => c.startsWith('11')).sort();
    assert.equal(beijing.length, 16);
    assert.deepEqual(Object.keys(mapped).sort(), beijing);
  });

  it('has a drawable outline and a label point inside the canvas for each district, and a name in both languages', () => {
    const zh = districtNamer('zh');
    const en = districtNamer('en');
    for (const [code, g] of Object.entries(mapped)) {
      assert.match(g.d, /^M[\d.\s,-]+/, `${code} has a path`);
      assert.equal(g.label.length, 2);
      assert.ok(g.label[0]! >= 0 && g.label[0]! <= map.width && g.label[1]! >= 0 && g.label[1]! <= map.height, `${code}'s label is on the map`);
      assert.equal(zh(code), areas[code]);
      assert.notEqual(en(code), code, `${code} has an English name`);
    }
  });
});
