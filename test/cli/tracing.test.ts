/**
 * `epivault tracing backfill-tokens` as an operator runs it when upgrading: child processes against
 * a fresh data directory, on SQLite and on PostgreSQL. A small seeded city has its district-day
 * tokens removed (as a database whose travel was recorded before they existed); the command writes
 * them back exactly (same tokens, none twice), survives a SIGKILL mid-run by resuming, does nothing
 * once complete, refuses a bad --batch by name, and audits every run with counts only.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIN, runCli } from '../support/cli.ts';
import { engines, freshDatabase } from '../support/engines.ts';
import type { TestDatabase } from '../support/engines.ts';
import { rawSql } from '../support/raw-sql.ts';
import type { RawSql } from '../support/raw-sql.ts';

const JOB = 'tracing:district-day-tokens';

for (const { engine, skip } of await engines()) {
  describe(`epivault tracing backfill-tokens on ${engine}`, { skip, timeout: 600_000 }, () => {
    let t: TestDatabase;
    let common: string[];
    let sql: RawSql;
    /** The district-day tokens the seed wrote, sorted (hex). */
    let seeded: string[];
    const count = async (query: string) => Number((await sql.query<{ n: number | string }>(query))[0]!.n);
    const tokens = async () => (await sql.query<{ token: Buffer }>('select token from district_day_tokens')).map((r) => Buffer.from(r.token).toString('hex')).sort();
    /** Back to a database from before district-day tokens: no tokens, no progress, not marked complete. */
    const forget = async () => {
      await sql.exec('delete from district_day_tokens');
      await sql.exec(`delete from job_progress where job = '${JOB}'`);
      await sql.exec(`delete from meta where key like '${JOB}%'`);
    };
    const backfillEvents = async () => sql.query<{ actor: string; purpose: string; reason: string; outcome: string; subject_ref: string | null }>(
      "select actor, purpose, reason, outcome, subject_ref from audit_events where action = 'backfill' order by seq");

    before(async () => {
      t = await freshDatabase(engine);
      const data = join(t.dir, 'data');
      common = ['--data', data, ...(engine === 'postgres' ? ['--db', t.url] : [])];
      const init = await runCli(['init', ...common]);
      assert.equal(init.code, 0, init.stderr);
      const seed = await runCli(['seed', '--persons', '300', '--seed', '11', '--days', '4', ...common], {}, 300_000);
      assert.equal(seed.code, 0, seed.stderr);
      sql = await rawSql(engine === 'postgres' ? t : { ...t, target: { engine, location: join(data, 'epivault.db') } });
      seeded = await tokens();
      assert.ok(seeded.length > 50, `the seeded city has district-day tokens (${seeded.length})`);
      await forget();
    });
    after(async () => {
      await sql?.close();
      await t?.cleanup();
    });

    it('shows its help and refuses a bad --batch by name, changing nothing', async () => {
      const help = await runCli(['tracing', 'backfill-tokens', '--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /Usage: epivault tracing backfill-tokens/);
      assert.match(help.stdout, /--data <dir>/);
      assert.match(help.stdout, /--batch <n>/);
      const bad = await runCli(['tracing', 'backfill-tokens', '--batch', '0', ...common]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /--batch must be a whole number from 1 to 100000/);
      assert.equal(await count('select count(*) as n from district_day_tokens'), 0);
      assert.equal((await backfillEvents()).length, 0);
    });

    it('writes back exactly the tokens, with progress, then does nothing; audited per run', async () => {
      const r = await runCli(['tracing', 'backfill-tokens', '--batch', '40', ...common]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `district-day token backfill complete: 300 persons indexed, ${seeded.length} district-day tokens written\n`);
      assert.match(r.stderr, /^backfill \(persons\): 0\/300 \(0%\)/m, 'progress on stderr (not a terminal: plain lines)');
      assert.match(r.stderr, /^backfill \(persons\): 300\/300 \(100%\)/m);
      assert.deepEqual(await tokens(), seeded, 'the same tokens as the travel paths wrote, none twice');

      const again = await runCli(['tracing', 'backfill-tokens', ...common]);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(again.stdout, 'district-day token backfill complete: nothing left to index; nothing written\n');
      assert.deepEqual(await tokens(), seeded);

      const events = await backfillEvents();
      assert.deepEqual(events.map((e) => [e.purpose, e.reason, e.outcome, e.subject_ref]), [
        ['administration', `subjects:300;tokens:${seeded.length};complete`, 'success', null],
        ['administration', 'subjects:0;tokens:0;complete', 'success', null],
      ]);
      assert.ok(events.every((e) => e.actor.startsWith('system:cli:')));
    });

    it('killed with SIGKILL mid-run and run again: resumes, and every token is there exactly once', async () => {
      await forget();
      const child = spawn(process.execPath, [BIN, 'tracing', 'backfill-tokens', '--batch', '1', ...common], {
        env: { ...process.env, EPIVAULT_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
      const exited = new Promise<{ signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (_code, signal) => resolve({ signal })));
      let done = false;
      void exited.then(() => { done = true; });
      let cursor: string | undefined;
      const deadline = Date.now() + 120_000;
      while (cursor === undefined) {
        assert.ok(!done, `the backfill ended before its first batch was seen: ${stderr}`);
        assert.ok(Date.now() < deadline, 'no batch committed within 120 s');
        cursor = (await sql.query<{ cursor: string }>(`select cursor from job_progress where job = '${JOB}'`))[0]?.cursor;
        if (cursor === undefined) await sleep(10);
      }
      child.kill('SIGKILL');
      assert.equal((await exited).signal, 'SIGKILL', 'the backfill was killed, not finished');
      const partial = (await tokens()).length;
      assert.ok(partial < seeded.length, `killed mid-run (${partial} of ${seeded.length} tokens)`);
      assert.equal(await count(`select count(*) as n from meta where key like '${JOB}%'`), 0, 'not marked complete');

      const r = await runCli(['tracing', 'backfill-tokens', ...common]);
      assert.equal(r.code, 0, r.stderr);
      const m = /^district-day token backfill complete \(resumed\): (\d+) persons indexed, (\d+) district-day tokens written\n$/.exec(r.stdout);
      assert.ok(m, r.stdout);
      assert.ok(Number(m[1]) > 0 && Number(m[1]) < 300, `only the persons the killed run had not indexed (${m[1]})`);
      assert.equal(Number(m[2]), seeded.length - partial, 'the re-run writes exactly the missing tokens');
      assert.deepEqual(await tokens(), seeded, 'every token exactly once');
      const last = (await backfillEvents()).at(-1)!;
      assert.equal(last.reason, `subjects:${m[1]};tokens:${m[2]};complete;resumed`);
    });
  });
}
