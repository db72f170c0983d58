/**
 * The contact-discovery benchmark runs end to end on a small city (`npm run bench -- colocation`
 * with --persons 1000): it prints one JSON line with the fields issue #5 names, and the discovery on
 * tokens finds exactly what the plain interval-overlap query finds. Its figures are not judged here
 * (timing belongs to the benchmark, docs/PERFORMANCE.md).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('bench colocation (small city)', () => {
  it('prints one JSON line with the issue’s fields, and finds the same contacts as the plaintext query', () => {
    const dir = mkdtempSync(join(tmpdir(), 'epivault-bench-colocation-'));
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', 'colocation', '--persons', '1000', '--cases', '5', '--batch', '20', '--data', dir], { encoding: 'utf8', env: { ...process.env, EPIVAULT_LOG_LEVEL: 'silent' } });
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.length, 1, r.stdout);
      const out = JSON.parse(lines[0]!) as Record<string, unknown>;
      assert.equal(out.bench, 'colocation');
      assert.equal(out.persons, 1000);
      for (const key of ['travel_records', 'one_case_p50_ms', 'one_case_p99_ms', 'batch_1000_s', 'plaintext_p99_ms']) {
        assert.equal(typeof out[key], 'number', key);
        assert.ok((out[key] as number) > 0, `${key} is measured`);
      }
      assert.ok((out.travel_records as number) >= 10_000, 'about 12 travel records per person');
      assert.equal(out.cases, 5);
      assert.equal(out.results_differ, 0, 'tokens and the plain query find the same contacts');
      // A bad argument names itself and writes nothing.
      const bad = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', 'colocation', '--persons', '12'], { encoding: 'utf8' });
      assert.notEqual(bad.status, 0);
      assert.match(bad.stderr, /--persons must be an integer from 1000/);
      assert.equal(bad.stdout, '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
