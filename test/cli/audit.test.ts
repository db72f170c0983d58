import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.ts';

describe('epivault audit (command line)', () => {
  let dir: string;
  let data: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'epivault-audit-cli-'));
    data = join(dir, 'data');
    const r = await runCli(['init', '--data', data]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('shows --help for every audit command', async () => {
    for (const cmd of [['audit'], ['audit', 'verify'], ['audit', 'checkpoint'], ['audit', 'public-key'], ['audit', 'prove'], ['audit', 'verify-proof'], ['audit', 'scan']]) {
      const r = await runCli([...cmd, '--help']);
      assert.equal(r.code, 0, cmd.join(' '));
      assert.match(r.stdout, /Usage: epivault audit/);
      if (cmd.length > 1 && cmd[1] !== 'verify-proof') assert.match(r.stdout, /--data <dir>/, cmd.join(' '));
    }
  });

  it('scans the audit stream for supervision alerts once per event, and refuses a bad threshold file by name', async () => {
    const first = await runCli(['audit', 'scan', '--data', data]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^supervision scan: [1-9]\d* events scanned, 0 alerts raised/);
    const again = await runCli(['audit', 'scan', '--data', data]);
    assert.match(again.stdout, /^supervision scan: 0 events scanned, 0 alerts raised/);
    writeFileSync(join(data, 'supervision.json'), JSON.stringify({ reveals: -1 }));
    const bad = await runCli(['audit', 'scan', '--data', data]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /supervision setting reveals/);
    rmSync(join(data, 'supervision.json'));
  });

  it('writes a checkpoint, proves an event, checks the proof offline, and verifies against the kept checkpoint', async () => {
    const cpFile = join(dir, 'checkpoint.txt');
    const cp = await runCli(['audit', 'checkpoint', '--data', data, '--out', cpFile]);
    assert.equal(cp.code, 0, cp.stderr);
    assert.match(cp.stdout, /^epivault\.local\/audit-log\/[0-9a-f]{16}\n\d+\n[A-Za-z0-9+/]{43}=\n\n\u2014 epivault\.local\/audit-log\/[0-9a-f]{16} [A-Za-z0-9+/]+=*\n$/);
    assert.equal(readFileSync(cpFile, 'utf8'), cp.stdout);
    // init writes its own event and the first administrator's.
    const size = Number(cp.stdout.split('\n')[1]);
    assert.ok(size >= 2);

    const key = await runCli(['audit', 'public-key', '--data', data]);
    assert.equal(key.code, 0, key.stderr);
    assert.match(key.stdout, /^epivault\.local\/audit-log\/[0-9a-f]{16}\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}\n$/);
    const keyText = key.stdout.trim();

    await runCli(['stats', '--data', data]); // one more event
    const bundleFile = join(dir, 'proof.json');
    const prove = await runCli(['audit', 'prove', '--event', '1', '--data', data, '--out', bundleFile]);
    assert.equal(prove.code, 0, prove.stderr);
    const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as { seq: number; event: { action: string }; tree_size: number };
    assert.equal(bundle.seq, 1);
    assert.equal(bundle.event.action, 'init');

    // Offline: no data directory, no database, no key file; only the public key.
    const elsewhere = { EPIVAULT_DATA_DIR: join(dir, 'nowhere'), EPIVAULT_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    const ok = await runCli(['audit', 'verify-proof', bundleFile, '--key', keyText], elsewhere);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`^proof verified: event 1 is in the log epivault\\.local/audit-log/[0-9a-f]{16} of size ${size} `));
    const keyFile = join(dir, 'log.pub');
    writeFileSync(keyFile, key.stdout);
    assert.equal((await runCli(['audit', 'verify-proof', bundleFile, '--key', keyFile], elsewhere)).code, 0);
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, readFileSync(bundleFile, 'utf8').replace('"init"', '"stats"'));
    const bad = await runCli(['audit', 'verify-proof', tampered, '--key', keyText], elsewhere);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /proof does not verify: the event does not hash to the leaf hash/);

    const verify = await runCli(['audit', 'verify', '--data', data, '--against', cpFile]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /^audit log verified: \d+ events, tree size \d+, root /);
    assert.match(verify.stdout, new RegExp(`extends the checkpoint of size ${size}: consistency proof verified`));
    const json = await runCli(['audit', 'verify', '--data', data, '--json']);
    assert.equal((JSON.parse(json.stdout) as { ok: boolean }).ok, true);
  });

  it('names bad input clearly', async () => {
    const nan = await runCli(['audit', 'prove', '--event', 'abc', '--data', data]);
    assert.equal(nan.code, 1);
    assert.match(nan.stderr, /invalid setting event/);
    const missing = await runCli(['audit', 'prove', '--event', '999999', '--data', data]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no audit event 999999/);
    const notCp = join(dir, 'not-a-checkpoint.txt');
    writeFileSync(notCp, 'hello\n');
    const against = await runCli(['audit', 'verify', '--data', data, '--against', notCp]);
    assert.equal(against.code, 1);
    assert.match(against.stderr, /the checkpoint file is not a checkpoint signed by/);
    const noKey = await runCli(['audit', 'verify-proof', notCp, '--key', 'nonsense+1234']);
    assert.equal(noKey.code, 1);
    assert.match(noKey.stderr, /bad verifier key/);
  });
});
