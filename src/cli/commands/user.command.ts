import type { Command } from 'commander';
import qrcode from 'qrcode-terminal';
import { createAccount, disableAccount, listAccounts, resetAccount } from '../../services/accounts.service.ts';
import type { AccountSummary, Enrolment } from '../../services/accounts.service.ts';
import { openApp } from '../../services/app-context.ts';
import type { AppContext } from '../../services/app-context.ts';
import { configFrom, out, withCommon } from '../common.ts';
import type { CommonOptions } from '../common.ts';

/**
 * `epivault user add|disable|reset|list`: staff accounts, run by an operator on the server.
 * `add` and `reset` print the one-time password and the TOTP enrolment (secret, otpauth URI, QR
 * code) once, on standard output, for handing to the account's holder: the one place where
 * secrets are meant to reach a terminal. They never go to the log.
 */
function describe(a: AccountSummary): string {
  return `${a.username} (${a.role}, jurisdiction ${a.jurisdiction}${a.jurisdictionName ? ` ${a.jurisdictionName}` : ''})`;
}

/** Prints an enrolment: one-time password, TOTP secret, otpauth URI and (unless `qr` is false) its QR code. */
export function printEnrolment(e: Enrolment, qr = true): void {
  out(`one-time password (shown once; to be changed at the first sign-in): ${e.password}`);
  out(`TOTP secret (shown once; SHA-1, 6 digits, 30 s): ${e.totpSecret}`);
  out(`TOTP enrolment URI: ${e.otpauthUri}`);
  if (qr) {
    out('scan with an authenticator app:');
    qrcode.generate(e.otpauthUri, { small: true }, (code) => out(code));
  }
  out('Hand these to the account holder in person or over a channel you trust; they are not stored in clear and cannot be shown again.');
}

async function withApp<T>(opts: CommonOptions, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openApp(configFrom(opts));
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

type Json = { json?: boolean };
type Qr = { qr: boolean };

export function registerUser(program: Command): void {
  const user = program.command('user').description('staff accounts: add, disable, reset, list');

  withCommon(user.command('add').description('add a staff account; prints its one-time password and TOTP enrolment once'))
    .requiredOption('--username <name>', 'username (3-64 letters, digits, ".", "-", "_")')
    .requiredOption('--role <role>', 'investigator, tracer, supervisor, disclosure_officer, approver, auditor, data_protection_officer or administrator')
    .requiredOption('--jurisdiction <code>', 'GB/T 2260 division code the account serves (11 or 110000 = Beijing, 110105 = Chaoyang, ...)')
    .option('--json', 'print the account and its enrolment as JSON')
    .option('--no-qr', 'do not print the QR code')
    .action(async (opts: CommonOptions & Json & Qr & { username: string; role: string; jurisdiction: string }) => {
      const r = await withApp(opts, (ctx) => createAccount(ctx, { username: opts.username, role: opts.role, jurisdiction: opts.jurisdiction }));
      if (opts.json) return out(JSON.stringify(r));
      out(`account added: ${describe(r.account)}`);
      printEnrolment(r.enrolment, opts.qr);
    });

  withCommon(user.command('disable').description('disable a staff account and end its sessions'))
    .requiredOption('--username <name>', 'username')
    .action(async (opts: CommonOptions & { username: string }) => {
      const r = await withApp(opts, (ctx) => disableAccount(ctx, opts.username));
      out(`account disabled: ${describe(r.account)}; ${r.sessionsEnded} session(s) ended`);
    });

  withCommon(user.command('reset').description('new one-time password and TOTP secret (printed once); ends the sessions; lifts a sign-in lockout'))
    .requiredOption('--username <name>', 'username')
    .option('--json', 'print the account and its new enrolment as JSON')
    .option('--no-qr', 'do not print the QR code')
    .action(async (opts: CommonOptions & Json & Qr & { username: string }) => {
      const r = await withApp(opts, (ctx) => resetAccount(ctx, opts.username));
      if (opts.json) return out(JSON.stringify({ account: r.account, enrolment: r.enrolment, sessionsEnded: r.sessionsEnded }));
      out(`account reset: ${describe(r.account)}; ${r.sessionsEnded} session(s) ended${r.account.disabled ? '; the account stays disabled' : ''}`);
      printEnrolment(r.enrolment, opts.qr);
    });

  withCommon(user.command('list').description('list staff accounts (no secrets)'))
    .option('--jurisdiction <code>', 'only accounts within this division')
    .option('--role <role>', 'only accounts of this role')
    .option('--json', 'print JSON')
    .action(async (opts: CommonOptions & Json & { jurisdiction?: string; role?: string }) => {
      const rows = await withApp(opts, (ctx) => listAccounts(ctx, { ...(opts.jurisdiction ? { jurisdiction: opts.jurisdiction } : {}), ...(opts.role ? { role: opts.role } : {}) }));
      if (opts.json) return out(JSON.stringify(rows));
      out(['username', 'role', 'jurisdiction', 'status'].join('\t'));
      for (const a of rows) {
        const status = a.disabled ? 'disabled' : a.mustChangePassword ? 'must change password' : 'active';
        out([a.username, a.role, a.jurisdiction, `${status}${a.demo ? ' (demo)' : ''}`].join('\t'));
      }
      out(`${rows.length} account(s)`);
    });
}
