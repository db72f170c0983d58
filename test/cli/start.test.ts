import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, runCli } from '../support/cli.ts';

interface PublicRelease { id: string; type: string; expiresAt: string | null; artifact: { content: { items: Record<string, unknown>[] } } }

/**
 * The demo's public releases as anyone sees them: unexpired exposure points (the demo city's
 * imported cases keep them coming through its last two weeks), daily counts up to yesterday and
 * the venue risk area.
 */
async function checkDemoReleases(base: string, output: string, log: (m: string) => void): Promise<void> {
  const published = /^public release published: exposure_points \S+ \((\d+) entries/m.exec(output);
  assert.ok(published, `no exposure points published: ${/^public release NOT published: exposure_points.*$/m.exec(output)?.[0] ?? output}`);
  const { items } = await (await fetch(`${base}/public/releases`)).json() as { items: PublicRelease[] };
  const exposure = items.find((r) => r.type === 'exposure_points');
  assert.ok(exposure, 'the exposure-points release is served (it has not expired)');
  const points = exposure.artifact.content.items;
  assert.equal(points.length, Number(published[1]));
  const live = points.filter((p) => Date.parse(String(p.expiresAt)) > Date.now());
  log(`demo exposure points: ${points.length} published, ${live.length} not expired, at ${new Set(live.map((p) => p.venueId)).size} venues`);
  assert.ok(live.length >= 1, 'at least one exposure point is still listed');
  for (const p of live) assert.match(String(p.venueId), /^pl-2026-\d{6}$/);
  const counts = items.find((r) => r.type === 'daily_counts');
  assert.ok(counts, 'daily counts are served');
  const yesterday = new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
  const twoWeeksAgo = new Date(Date.now() + 8 * 3_600_000 - 14 * 86_400_000).toISOString().slice(0, 10);
  const rows = counts.artifact.content.items as { date: string; count: number }[];
  assert.ok(rows.some((r) => r.date === yesterday), 'the counts run up to yesterday');
  const recent = rows.filter((r) => r.date >= twoWeeksAgo).reduce((n, r) => n + r.count, 0);
  log(`demo daily counts: ${recent} (noisy) new confirmed cases in the last 14 days`);
  assert.ok(recent > 0);
  // The demo's venue risk area (declared at the venue of its latest exposure point) is listed.
  const areaPublished = /^public release published: risk_areas (\S+) \((\d+) entries/m.exec(output);
  assert.ok(areaPublished, `no risk area published: ${/^public release NOT published: risk_areas.*$/m.exec(output)?.[0] ?? output}`);
  const areas = items.find((r) => r.type === 'risk_areas');
  assert.ok(areas, 'the risk-areas release is served');
  assert.equal(areas.id, areaPublished[1]);
  assert.equal(areas.artifact.content.items.length, Number(areaPublished[2]));
  assert.ok(areas.artifact.content.items.some((a) => a.kind === 'venue' && /^pl-2026-\d{6}$/.test(String(a.venueId))), 'a venue risk area');
  assert.ok(areas.artifact.content.items.every((a) => Date.parse(String(a.validUntil)) > Date.now()), 'still valid');
}

/** The public site's pages and the venue registry, as a visitor's browser fetches them. */
async function checkPublicSite(base: string): Promise<void> {
  for (const path of ['/', '/exposures', '/selfcheck']) {
    const res = await fetch(`${base}${path}`);
    assert.equal(res.status, 200, path);
    assert.match(String(res.headers.get('content-type')), /^text\/html/, path);
    const html = await res.text();
    assert.match(html, /<script type="module" src="\/site\/app\.js"><\/script>/, path);
  }
  const js = await fetch(`${base}/site/app.js`);
  assert.equal(js.status, 200);
  assert.match(String(js.headers.get('content-type')), /^text\/javascript/);
  const venues = await fetch(`${base}/public/venues`);
  assert.equal(venues.status, 200);
  assert.match(String(venues.headers.get('content-type')), /^application\/json/);
  const { items } = await venues.json() as { items: { id: string; name: string; district: string }[] };
  assert.ok(items.length > 0, 'the demo city has public venues');
  assert.ok(items.every((v) => /^\d{6}$/.test(v.district) && v.name !== ''));
}

/** What `npm start` does on a fresh machine: init, demo city, serve /healthz and the public site. */
describe('epivault start', () => {
  it('initializes, writes the demo city, serves /healthz, and keeps the data on a second start', async (t) => {
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
          if (round === 1) await checkDemoReleases(`http://127.0.0.1:${port}`, output, (m) => t.diagnostic(m));
          await checkPublicSite(`http://127.0.0.1:${port}`);
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
