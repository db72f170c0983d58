import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.ts';

describe('epivault command line', () => {
  let dir: string;
  let data: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'epivault-cli-'));
    data = join(dir, 'data');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('shows --help for every command', async () => {
    for (const cmd of [[], ['init'], ['start'], ['serve'], ['stats'], ['keys'], ['keys', 'rotate'], ['keys', 'export'], ['keys', 'import']]) {
      const r = await runCli([...cmd, '--help']);
      assert.equal(r.code, 0, cmd.join(' '));
      assert.match(r.stdout, /Usage: epivault/);
      if (cmd.length > 0 && cmd[0] !== 'keys' || cmd.length > 1) assert.match(r.stdout, /--data <dir>/, cmd.join(' '));
    }
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

  it('rotates the root key from the command line', async () => {
    const r = await runCli(['keys', 'rotate', '--data', data]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /root key version 2: \d+ keys rewrapped; retired versions: 1/);
    const s = await runCli(['stats', '--data', data, '--json']);
    assert.equal((JSON.parse(s.stdout) as { rootKeyVersion: number }).rootKeyVersion, 2);
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
