import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.ts';
import { signIn } from '../support/staff.ts';
import { loadConfig } from '../../src/config/config.ts';
import { buildServer } from '../../src/http/app.ts';
import { openApp } from '../../src/services/app-context.ts';
import { createLogger } from '../../src/services/logger.ts';

/** The value after `label: ` on its line of the output. */
function field(output: string, label: string): string {
  const m = new RegExp(`^${label}[^:]*: (\\S+)$`, 'm').exec(output);
  assert.ok(m, `${label} in the output`);
  return m[1]!;
}

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe('epivault init and user commands', () => {
  let dir: string;
  let data: string;
  let admin: { password: string; totpSecret: string };
  let investigator: { password: string };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'epivault-user-'));
    data = join(dir, 'data');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('init creates the first administrator and prints its one-time password and TOTP enrolment once', async () => {
    const r = await runCli(['init', '--data', data, '--admin-username', 'root-admin']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /first administrator: root-admin \(jurisdiction 11\)/);
    admin = { password: field(r.stdout, 'one-time password'), totpSecret: field(r.stdout, 'TOTP secret') };
    assert.ok(admin.password.length >= 16);
    assert.match(admin.totpSecret, /^[A-Z2-7]{32}$/);
    const uri = field(r.stdout, 'TOTP enrolment URI');
    assert.equal(uri, `otpauth://totp/Epivault:root-admin?secret=${admin.totpSecret}&issuer=Epivault`);
    assert.match(r.stdout, /scan with an authenticator app:\n[\s\S]*▄/, 'a QR code');
    assert.equal(count(r.stdout, admin.password), 1, 'the password is printed once');
    assert.equal(count(r.stdout, `secret=${admin.totpSecret}`), 1);
    assert.equal(r.stderr.includes(admin.password) || r.stderr.includes(admin.totpSecret), false, 'never in the log');
  });

  it('the printed credentials sign in (and must change the password)', async () => {
    const ctx = await openApp(loadConfig({ data }, {}), { logger: createLogger('silent') });
    const server = buildServer(ctx);
    try {
      const session = await signIn(server, { username: 'root-admin', ...admin });
      assert.equal(session.account.stage, 'password_change');
      assert.equal(session.account.role, 'administrator');
    } finally {
      await server.close();
      await ctx.close();
    }
  });

  it('user add prints the enrolment once; bad input names the problem and changes nothing', async () => {
    const r = await runCli(['user', 'add', '--data', data, '--username', 'Inv.Chen', '--role', 'investigator', '--jurisdiction', '110105', '--no-qr']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^account added: inv\.chen \(investigator, jurisdiction 110105 朝阳区\)$/m);
    investigator = { password: field(r.stdout, 'one-time password') };
    assert.equal(count(r.stdout, investigator.password), 1);
    assert.doesNotMatch(r.stdout, /▄/, '--no-qr');

    const bad = await runCli(['user', 'add', '--data', data, '--username', 'x2', '--role', 'investigator', '--jurisdiction', '110105']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^epivault: a username has 3-64 characters/m);
    const role = await runCli(['user', 'add', '--data', data, '--username', 'someone', '--role', 'emperor', '--jurisdiction', '110105']);
    assert.equal(role.code, 1);
    assert.match(role.stderr, /^epivault: unknown role$/m);
    const dup = await runCli(['user', 'add', '--data', data, '--username', 'INV.CHEN', '--role', 'tracer', '--jurisdiction', '110105']);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /an account with this username exists/);
  });

  it('user list shows accounts without secrets; filters by jurisdiction and role', async () => {
    const r = await runCli(['user', 'list', '--data', data]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^inv\.chen\tinvestigator\t110105\tmust change password$/m);
    assert.match(r.stdout, /^root-admin\tadministrator\t11\tmust change password$/m);
    assert.match(r.stdout, /^2 account\(s\)$/m);
    assert.equal(r.stdout.includes(investigator.password) || r.stdout.includes('argon2'), false);
    const json = await runCli(['user', 'list', '--data', data, '--json', '--jurisdiction', '110105', '--role', 'investigator']);
    assert.deepEqual((JSON.parse(json.stdout) as { username: string }[]).map((a) => a.username), ['inv.chen']);
  });

  it('user reset prints a new enrolment; user disable ends the account; both audited as the CLI', async () => {
    const reset = await runCli(['user', 'reset', '--data', data, '--username', 'inv.chen', '--json']);
    assert.equal(reset.code, 0, reset.stderr);
    const r = JSON.parse(reset.stdout) as { enrolment: { password: string; totpSecret: string }; account: { mustChangePassword: boolean } };
    assert.notEqual(r.enrolment.password, investigator.password);
    assert.equal(r.account.mustChangePassword, true);

    const off = await runCli(['user', 'disable', '--data', data, '--username', 'inv.chen']);
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stdout, /^account disabled: inv\.chen .*; 0 session\(s\) ended$/m);
    const again = await runCli(['user', 'disable', '--data', data, '--username', 'inv.chen']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already disabled/);
    const none = await runCli(['user', 'disable', '--data', data, '--username', 'nobody']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /not found or no access/);
    assert.match((await runCli(['user', 'list', '--data', data])).stdout, /^inv\.chen\tinvestigator\t110105\tdisabled$/m);

    const ctx = await openApp(loadConfig({ data }, {}), { logger: createLogger('silent') });
    try {
      const events = (await ctx.store.audit.list(0, 100)).filter((e) => e.action.startsWith('account.'));
      assert.deepEqual(events.map((e) => e.action), ['account.create', 'account.create', 'account.reset', 'account.disable']);
      assert.ok(events.every((e) => e.actor.startsWith('system:cli:') && e.purpose === 'administration' && e.outcome === 'success'));
      const text = JSON.stringify(events);
      for (const secret of [admin.password, investigator.password, r.enrolment.password, r.enrolment.totpSecret]) assert.equal(text.includes(secret), false);
    } finally {
      await ctx.close();
    }
  });

  it('serve refuses a non-loopback address without TLS', async () => {
    const r = await runCli(['serve', '--data', data, '--host', '0.0.0.0', '--port', '0']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^epivault: refusing to listen on 0\.0\.0\.0 without TLS: set EPIVAULT_TLS_CERT and EPIVAULT_TLS_KEY/m);
    const half = await runCli(['serve', '--data', data, '--tls-cert', join(dir, 'cert.pem')]);
    assert.equal(half.code, 1);
    assert.match(half.stderr, /give both a certificate/);
  });
});
