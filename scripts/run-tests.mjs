#!/usr/bin/env node
// Runs every *.test.ts under src/, test/ and web/ with node:test (Node 20 does not expand globs itself).
// Extra arguments filter the file list by substring: `node scripts/run-tests.mjs crypto storage`.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = ['src', 'test', 'web'].flatMap((d) => walk(d)).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const args = ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files];
// Test applications log at trace level into this directory; test/security/server-log-canary.test.ts
// (which sorts after the HTTP, CLI and browser tests) scans every file in it for canary values.
const logDir = process.env.EPIVAULT_TEST_LOG_DIR ?? mkdtempSync(join(tmpdir(), 'epivault-test-logs-'));
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, EPIVAULT_LOG_LEVEL: process.env.EPIVAULT_LOG_LEVEL ?? 'silent', EPIVAULT_TEST_LOG_DIR: logDir } });
if (!process.env.EPIVAULT_TEST_LOG_DIR) rmSync(logDir, { recursive: true, force: true });
process.exit(r.status ?? 1);
