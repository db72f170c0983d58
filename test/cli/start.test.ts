import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, runCli } from '../support/cli.ts';

/** What `npm start` does on a fresh machine: init, demo city, serve /healthz. */
describe('epivault start', () => {
  it('initializes, writes the demo city, serves /healthz, and keeps the data on a second start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epivault-start-'));
    const data = join(dir, 'data');
    const port = String(20000 + Math.floor(Math.random() * 20000));
    try {
      for (const round of [1, 2]) {
        const child = spawn(process.execPath, [BIN, 'start', '--data', data, '--port', port], { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
        child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
        try {
          const deadline = Date.now() + 240_000;
          while (!output.includes('listening on') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
          assert.match(output, /listening on/, output);
          if (round === 1) assert.match(output, /demo city written: 2000 synthetic persons/);
          else assert.doesNotMatch(output, /demo city written/);
          // DEMO ONLY staff accounts, one per role, printed at every start of the demo data directory.
          assert.match(output, /^DEMO ONLY: demo-investigator\tinvestigator\t1101\d\d\tDEMO-ONLY-investigator-2026\t[A-Z2-7]{32}$/m);
          assert.equal(output.match(/^DEMO ONLY: demo-/gm)?.length, 8);
          // The demo verifies its own audit log at every start.
          assert.match(output, /^audit log verified: \d+ events, tree size \d+, \d+ signed checkpoints/m);
          const res = await fetch(`http://127.0.0.1:${port}/healthz`);
          assert.equal(res.status, 200);
          assert.deepEqual(await res.json(), { status: 'ok', database: 'ok' });
          assert.equal((await fetch(`http://127.0.0.1:${port}/api/subjects`)).status, 404);
        } finally {
          child.kill('SIGTERM');
          await new Promise((r) => child.once('close', r));
        }
      }
      const stats = await runCli(['stats', '--json', '--data', data]);
      assert.equal((JSON.parse(stats.stdout) as { counts: { subjects: number } }).counts.subjects, 2000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
