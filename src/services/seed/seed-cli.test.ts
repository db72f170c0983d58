import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'epivault-seed-cli-'));
const data = join(dir, 'data');

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return cliIn(data, ...args);
}

async function cliIn(dataDir: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['bin/epivault.js', ...args, '--data', dataDir], { env: { ...process.env, EPIVAULT_LOG_LEVEL: 'silent' }, timeout: 120_000 });
}

type Failed = Error & { stderr: string; code: number };

describe('epivault seed (command line)', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds a city of 300 persons with progress and a summary, then reports it complete', async () => {
    await cli('init');
    const { stdout, stderr } = await cli('seed', '--persons', '300', '--seed', '7');
    assert.match(stdout, /^seed 7: 300 persons, 28 days from \d{4}-\d{2}-\d{2}: complete$/m);
    assert.match(stdout, /^persons written\s+300$/m);
    assert.match(stdout, /^travel records\s+\d{4}$/m);
    assert.match(stdout, /^co-location tokens\s+\d+$/m);
    assert.match(stdout, /^cases confirmed\s+[1-9]\d*$/m);
    assert.match(stdout, /^contacts\s+[1-9]\d*$/m);
    assert.match(stdout, /^elapsed\s+[\d.]+s$/m);
    assert.match(stdout, /^rows\/s\s+\d+/m);
    assert.match(stderr, /^seed: 300\/300 \(100%\)/m);

    const stats = JSON.parse((await cli('stats', '--json')).stdout) as { counts: Record<string, number> };
    assert.equal(stats.counts.subjects, 300);
    assert.equal(stats.counts.places, 200);
    assert.ok(stats.counts.travel_records! >= 3000 && stats.counts.travel_records! <= 4500);
    assert.equal(stats.counts.travel_records, Number(/^travel records\s+(\d+)$/m.exec(stdout)![1]));

    const again = await cli('seed', '--persons', '300', '--seed', '7');
    assert.match(again.stdout, /already complete; nothing written/);
  });

  it('names the bad option and writes nothing', async () => {
    await assert.rejects(cli('seed', '--persons', 'many', '--seed', '7'), (e: Error & { stderr: string; code: number }) => e.code === 1 && /--persons must be a whole number/.test(e.stderr));
    await assert.rejects(cli('seed', '--persons', '10', '--seed', '8'), (e: Error & { stderr: string }) => /already holds people/.test(e.stderr));
    await assert.rejects(cli('seed', '--persons', '10', '--seed', '8', '--venues', 'few'), (e: Failed) => e.code === 1 && /--venues must be a whole number/.test(e.stderr));
    await assert.rejects(cli('seed', '--persons', '10', '--seed', '8', '--venues', '0'), (e: Failed) => e.code === 1 && /venues: must be an integer from 1 to 1000000/.test(e.stderr));
    await assert.rejects(cli('seed', '--persons', '10', '--seed', '8', '--imported-cases-per-week', 'two'), (e: Failed) => e.code === 1 && /--imported-cases-per-week must be a number of cases a week, such as 2 or 0.5/.test(e.stderr));
    const stats = JSON.parse((await cli('stats', '--json')).stdout) as { counts: Record<string, number> };
    assert.equal(stats.counts.subjects, 300);
  });

  it('explains --venues and --imported-cases-per-week in --help, and seeds with them', async () => {
    const help = (await cli('seed', '--help')).stdout;
    assert.match(help, /--venues <n>\s+venues in the public registry/);
    assert.match(help, /--imported-cases-per-week <n>\s+index cases imported from outside per week/);
    const other = join(dir, 'options');
    await cliIn(other, 'init');
    const { stdout } = await cliIn(other, 'seed', '--persons', '300', '--seed', '7', '--venues', '25', '--imported-cases-per-week', '1.5');
    assert.match(stdout, /^seed 7: 300 persons, 28 days from \d{4}-\d{2}-\d{2}, 25 venues, 1\.5 imported cases a week: complete$/m);
    const stats = JSON.parse((await cliIn(other, 'stats', '--json')).stdout) as { counts: Record<string, number> };
    assert.equal(stats.counts.places, 25);
    assert.equal(stats.counts.subjects, 300);
  });
});
