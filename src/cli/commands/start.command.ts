import type { Command } from 'commander';
import { createFirstAdministrator } from '../../services/accounts.service.ts';
import { ensureDemoAccountsIn, markDemoDataDir } from '../../services/demo-accounts.service.ts';
import type { DemoAccount } from '../../services/demo-accounts.service.ts';
import { ensureDemoCity } from '../../services/demo.service.ts';
import { ensureDemoReleasesIn } from '../../services/demo-releases.service.ts';
import type { DemoReleaseOutcome } from '../../services/demo-releases.service.ts';
import { openApp } from '../../services/app-context.ts';
import type { AppContext } from '../../services/app-context.ts';
import { verifyAuditLog } from '../../services/audit-log.service.ts';
import type { Config } from '../../config/config.ts';
import { initDataDir, isInitialized } from '../../services/init.service.ts';
import { configFrom, out, withCommon } from '../common.ts';
import type { CommonOptions } from '../common.ts';
import { createProgress } from '../progress.ts';
import { serve } from './serve.command.ts';
import { printEnrolment } from './user.command.ts';

/** The demo accounts' fixed credentials, printed at every demo start. */
function printDemoAccounts(accounts: readonly DemoAccount[]): void {
  out('DEMO ONLY: demo staff accounts with fixed, published credentials. Never put real data in this data directory.');
  out('DEMO ONLY: username\trole\tjurisdiction\tpassword\tTOTP secret (add it to an authenticator app)');
  for (const d of accounts) out(`DEMO ONLY: ${d.account.username}\t${d.account.role}\t${d.account.jurisdiction}\t${d.password}\t${d.totpSecret}`);
}

/** What the demo published on the public site (first start only). */
function printDemoReleases(outcomes: readonly DemoReleaseOutcome[]): void {
  for (const o of outcomes) {
    out(o.published
      ? `public release published: ${o.type} ${o.id} (${o.entries} entries; prepared by demo-disclosure, approved by demo-approver)`
      : `public release NOT published: ${o.type} ${o.id} fails the disclosure standard: ${o.failures.join('; ')}`);
  }
}

/** The demo verifies its own audit log at every start and says how anyone can (docs/AUDIT.md). */
async function printAuditCheck(ctx: AppContext, config: Config): Promise<void> {
  const r = await verifyAuditLog(ctx);
  out(r.ok
    ? `audit log verified: ${r.events} events, tree size ${r.size}, ${r.checkpoints} signed checkpoints (re-run: npx epivault audit verify --data ${config.dataDir})`
    : `audit log verification FAILED: ${r.problems[0]?.message ?? 'unknown problem'} (details: npx epivault audit verify --data ${config.dataDir})`);
  if (!r.ok) process.exitCode = 1;
}

/** `npm start`: on first run initialize the data directory and write the demo city; then serve. */
export function registerStart(program: Command): void {
  withCommon(program.command('start').description('first run: init and seed a demo city; then serve'))
    .option('--host <host>', 'address to listen on', process.env.EPIVAULT_HOST ?? '127.0.0.1')
    .option('--port <port>', 'port', process.env.EPIVAULT_PORT ?? '8080')
    .option('--no-demo', 'do not write the demo city into an empty database')
    .action(async (opts: CommonOptions & { host: string; port: string; demo: boolean }) => {
      const config = configFrom(opts);
      if (!isInitialized(config)) {
        await initDataDir(config);
        out(`initialized ${config.dataDir} (root key file ${config.keyFile}, mode 0600)`);
        if (opts.demo) await markDemoDataDir(config);
        else {
          const admin = await createFirstAdministrator(config);
          out(`first administrator: ${admin.account.username}`);
          printEnrolment(admin.enrolment);
        }
      }
      if (opts.demo) {
        const bar = createProgress('demo city');
        let started = false;
        const demo = await ensureDemoCity(config, (p) => {
          if (!started) { bar.start(p.total); started = true; }
          bar.update(p.done, p.total);
        });
        bar.stop();
        if (demo) out(`demo city written: ${demo.personsWritten} synthetic persons, ${demo.travelRecords} travel records, ${Object.values(demo.casesByClassification).reduce((a, b) => a + b, 0)} cases (seed ${demo.seed})`);
        // One application context for the demo's accounts, releases and audit check.
        const ctx = await openApp(config);
        try {
          const accounts = await ensureDemoAccountsIn(ctx);
          if (accounts) printDemoAccounts(accounts);
          const releases = await ensureDemoReleasesIn(ctx);
          if (releases) printDemoReleases(releases);
          await printAuditCheck(ctx, config);
        } finally {
          await ctx.close();
        }
      }
      await serve(config);
    });
}
