import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { runCli } from '../support/cli.ts';
import { freshDatabase, PG_SKIP_MESSAGE, PG_URL, postgresAvailable } from '../support/engines.ts';
import type { TestDatabase } from '../support/engines.ts';
import { cliActor } from '../../src/services/app-context.ts';
import { KEY_ROTATION_ACTOR } from '../../src/services/keys.service.ts';

/** The subcommand names listed under "Commands:" in a --help text (without `help`). */
function subcommandsOf(help: string): string[] {
  const section = help.split(/\nCommands:\n/)[1];
  if (section === undefined) return [];
  return [...section.matchAll(/^ {2}([a-z][a-z0-9-]*)/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
}

describe('epivault command line', () => {
  let dir: string;
  let data: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'epivault-cli-'));
    data = join(dir, 'data');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('shows --help for every command and subcommand', async () => {
    // Walks the command tree from `epivault --help`, so a command added later is covered too.
    const seen: string[] = [];
    const queue: string[][] = [[]];
    while (queue.length > 0) {
      const cmd = queue.shift()!;
      const name = cmd.join(' ');
      const r = await runCli([...cmd, '--help']);
      assert.equal(r.code, 0, `${name} --help: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: epivault${name ? ` ${name}` : ''} `), name);
      seen.push(name);
      const subcommands = subcommandsOf(r.stdout);
      for (const sub of subcommands) queue.push([...cmd, sub]);
      // Every command that does something takes --data (groups only list their subcommands);
      // `audit verify-proof` checks a proof offline with the public key alone.
      if (cmd.length > 0 && subcommands.length === 0 && name !== 'audit verify-proof') assert.match(r.stdout, /--data <dir>/, name);
    }
    const expected = ['', 'init', 'start', 'serve', 'stats', 'seed', 'import', 'keys', 'keys rotate', 'keys export', 'keys import',
      'audit', 'audit verify', 'audit checkpoint', 'audit public-key', 'audit prove', 'audit scan', 'audit verify-proof',
      'user', 'user add', 'user disable', 'user reset', 'user list'];
    assert.deepEqual(expected.filter((c) => !seen.includes(c)), [], `commands whose --help was not run (seen: ${seen.join(', ')})`);
  });

  it('init creates a 0600 key file and a 0700 data directory, and refuses to run twice', async () => {
    const r = await runCli(['init', '--data', data]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(statSync(join(data, 'root.key')).mode & 0o777, 0o600);
    assert.equal(statSync(data).mode & 0o777, 0o700);
    const key = readFileSync(join(data, 'root.key'), 'utf8');
    const again = await runCli(['init', '--data', data]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists at .*; refusing to overwrite it/);
    assert.equal(readFileSync(join(data, 'root.key'), 'utf8'), key, 'key file unchanged');
  });

  it('exports the root key under a passphrase and restores it', async () => {
    const pass = join(dir, 'pass.txt');
    writeFileSync(pass, 'correct horse battery staple\n', { mode: 0o600 });
    const exported = join(dir, 'key-export.json');
    const ex = await runCli(['keys', 'export', '--data', data, '--out', exported, '--passphrase-file', pass]);
    assert.equal(ex.code, 0, ex.stderr);
    assert.equal(statSync(exported).mode & 0o777, 0o600);
    const original = JSON.parse(readFileSync(join(data, 'root.key'), 'utf8')) as { keys: { key: string }[] };
    assert.ok(!readFileSync(exported, 'utf8').includes(original.keys[0]!.key), 'the export holds no key in clear');

    unlinkSync(join(data, 'root.key'));
    const lost = await runCli(['stats', '--data', data]);
    assert.equal(lost.code, 1);
    assert.match(lost.stderr, /root key file not found/);

    writeFileSync(join(dir, 'wrong.txt'), 'not the passphrase at all\n');
    const wrong = await runCli(['keys', 'import', exported, '--data', data, '--passphrase-file', join(dir, 'wrong.txt')]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /wrong passphrase/);

    const im = await runCli(['keys', 'import', exported, '--data', data, '--passphrase-file', pass]);
    assert.equal(im.code, 0, im.stderr);
    assert.deepEqual(JSON.parse(readFileSync(join(data, 'root.key'), 'utf8')), original);
    const ok = await runCli(['stats', '--data', data, '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as { rootKeyVersion: number }).rootKeyVersion, 1);
  });

  it('rotates the root key from the command line, audited as the operating-system user', async () => {
    const r = await runCli(['keys', 'rotate', '--data', data]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /root key version 2: \d+ keys rewrapped; retired versions: 1/);
    const s = await runCli(['stats', '--data', data, '--json']);
    assert.equal((JSON.parse(s.stdout) as { rootKeyVersion: number }).rootKeyVersion, 2);
    // docs/THREAT-MODEL.md: every CLI operation is audited as system:cli:<os user>, rotation included.
    const db = new SQLite(join(data, 'epivault.db'), { readonly: true });
    try {
      const events = db.prepare(`select actor, actor_role, resource_id, outcome from audit_events where action = 'keys.rotate'`).all();
      assert.deepEqual(events, [{ actor: cliActor().id, actor_role: 'system', resource_id: 'v2', outcome: 'success' }]);
      assert.match(cliActor().id, /^system:cli:./);
      assert.notEqual(cliActor().id, KEY_ROTATION_ACTOR.id);
    } finally {
      db.close();
    }
  });

  it('names a bad setting clearly', async () => {
    const r = await runCli(['serve', '--data', data, '--port', '99999']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /invalid setting port/);
    const db = await runCli(['stats', '--data', data, '--db', 'mysql://x/y']);
    assert.equal(db.code, 1);
    assert.match(db.stderr, /unsupported scheme/);
  });
});

describe('epivault command line: the engine from EPIVAULT_DATABASE_URL', { skip: (await postgresAvailable()) ? false : PG_SKIP_MESSAGE }, () => {
  let t: TestDatabase;
  before(async () => { t = await freshDatabase('postgres'); });
  after(async () => { await t?.cleanup(); });

  it('init and stats use the PostgreSQL database it names, not <data>/epivault.db', async () => {
    const data = join(t.dir, 'data');
    const env = { EPIVAULT_DATABASE_URL: t.url };
    const init = await runCli(['init', '--data', data, '--no-qr'], env);
    assert.equal(init.code, 0, init.stderr);
    const s = await runCli(['stats', '--data', data, '--json'], env);
    assert.equal(s.code, 0, s.stderr);
    assert.equal((JSON.parse(s.stdout) as { engine: string }).engine, 'postgres');
    assert.ok(existsSync(join(data, 'root.key')), 'the key file is still in the data directory');
    assert.deepEqual(readdirSync(data).filter((f) => f.startsWith('epivault.db')), [], 'no SQLite database was created');
    // The PostgreSQL schema holds the migrated tables and the administrator that init created.
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const r = await client.query<{ n: string }>(`select count(*) as n from ${t.target.schema!}.staff_accounts`);
      assert.equal(Number(r.rows[0]!.n), 1);
    } finally {
      await client.end();
    }
    // Without the variable the same data directory means the default SQLite file.
    const local = await runCli(['stats', '--data', data, '--json'], { EPIVAULT_DATABASE_URL: undefined });
    assert.equal(local.code, 0, local.stderr);
    assert.equal((JSON.parse(local.stdout) as { engine: string }).engine, 'sqlite');
    assert.ok(existsSync(join(data, 'epivault.db')));
  });
});
