import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openApp } from '../../services/app-context.ts';
import { auditPublicKey, proveEvent, verifyAuditLog, verifyProofBundle, writeCheckpoint } from '../../services/audit-log.service.ts';
import { ServiceError } from '../../services/errors.ts';
import { loadThresholds, scanSupervision } from '../../services/supervision.service.ts';
import { configFrom, out, withCommon } from '../common.ts';
import type { CommonOptions } from '../common.ts';
import { createProgress } from '../progress.ts';

/** A verifier key given inline (`name+hash+key`) or as a file holding it. */
function verifierKeyArg(value: string): string {
  return !value.includes('+') && existsSync(value) ? readFileSync(value, 'utf8').trim() : value;
}

function readArgFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ServiceError('ERR_VALIDATION', `cannot read the ${what} file ${path}`, what);
  }
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit log: verify, checkpoints, proofs (docs/AUDIT.md)');

  withCommon(audit.command('verify').description('recompute every leaf and the whole tree, check tiles, head and every signed checkpoint; name the first bad entry'))
    .option('--against <file>', 'a signed checkpoint kept outside the database: prove the log extends it (consistency proof)')
    .option('--key <verifierkey>', 'verifier key (or a file holding it) to check the --against checkpoint with (default: the log\'s own key)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: CommonOptions & { against?: string; key?: string; json?: boolean }) => {
      const against = opts.against !== undefined ? readArgFile(opts.against, 'against') : undefined;
      const ctx = await openApp(configFrom(opts));
      const bar = createProgress('verify');
      try {
        let started = false;
        const r = await verifyAuditLog(ctx, {
          ...(against !== undefined ? { against } : {}),
          ...(opts.key ? { againstKey: verifierKeyArg(opts.key) } : {}),
          onProgress: (done, total) => {
            if (!started) { bar.start(total); started = true; }
            bar.update(done, total);
          },
        });
        bar.stop();
        if (opts.json) {
          out(JSON.stringify({ ok: r.ok, events: r.events, size: r.size, root: r.root.toString('base64'), origin: r.origin, tiles: r.tiles, checkpoints: r.checkpoints, problems: r.problems, against: r.against }));
        } else if (r.ok) {
          out(`audit log verified: ${r.events} events, tree size ${r.size}, root ${r.root.toString('base64')}`);
          out(`  ${r.tiles} tiles and the tree head match the rows; ${r.checkpoints} signed checkpoints verified (${r.origin})`);
          if (r.against) out(`  ${r.against.message}`);
        } else {
          const [first, ...rest] = r.problems;
          out('audit log verification FAILED');
          if (first) out(`  first bad entry: ${first.message}`);
          for (const p of rest.slice(0, 19)) out(`  ${p.message}`);
          if (rest.length > 19) out(`  … and ${rest.length - 19} more problems`);
          if (r.against && !r.against.ok) out(`  against checkpoint: ${r.against.message}`);
        }
        if (!r.ok) process.exitCode = 1;
      } finally {
        bar.stop();
        await ctx.close();
      }
    });

  withCommon(audit.command('checkpoint').description('sign and store a checkpoint of the current tree (C2SP tlog-checkpoint) and print it'))
    .option('--out <file>', 'also write the signed checkpoint to this file (keep it outside the database)')
    .action(async (opts: CommonOptions & { out?: string }) => {
      const ctx = await openApp(configFrom(opts));
      try {
        const c = await writeCheckpoint(ctx);
        if (opts.out) writeFileSync(opts.out, c.note);
        process.stdout.write(c.note);
      } finally {
        await ctx.close();
      }
    });

  withCommon(audit.command('public-key').description('print the log\'s verifier key (signed-note format: name+keyhash+key)'))
    .action(async (opts: CommonOptions) => {
      const ctx = await openApp(configFrom(opts));
      try {
        out(auditPublicKey(ctx));
      } finally {
        await ctx.close();
      }
    });

  withCommon(audit.command('prove').description('print an inclusion proof bundle for one event (JSON: the event, its leaf hash, the proof, the signed checkpoint)'))
    .requiredOption('--event <seq>', 'the event\'s sequence number')
    .option('--out <file>', 'also write the bundle to this file')
    .action(async (opts: CommonOptions & { event: string; out?: string }) => {
      if (!/^[1-9][0-9]*$/.test(opts.event)) throw new ServiceError('ERR_VALIDATION', 'invalid setting event: must be a positive integer', 'event');
      const ctx = await openApp(configFrom(opts));
      try {
        const text = `${JSON.stringify(await proveEvent(ctx, Number(opts.event)), null, 2)}\n`;
        if (opts.out) writeFileSync(opts.out, text);
        process.stdout.write(text);
      } finally {
        await ctx.close();
      }
    });

  withCommon(audit.command('scan').description('run the supervision rules over the audit events written since the last scan and store the alerts (the server does this every minute)'))
    .action(async (opts: CommonOptions) => {
      const config = configFrom(opts);
      const ctx = await openApp(config);
      try {
        const r = await scanSupervision(ctx, loadThresholds(join(config.dataDir, 'supervision.json')));
        out(`supervision scan: ${r.scanned} events scanned, ${r.alerts} alerts raised (cursor ${r.cursor})`);
      } finally {
        await ctx.close();
      }
    });

  audit.command('verify-proof').description('check an inclusion proof bundle offline with only the public key (no database, no key file)')
    .argument('<file>', 'the bundle written by `epivault audit prove`')
    .requiredOption('--key <verifierkey>', 'the log\'s verifier key (or a file holding it), from `epivault audit public-key`')
    .action((file: string, opts: { key: string }) => {
      const r = verifyProofBundle(readArgFile(file, 'proof'), verifierKeyArg(opts.key));
      out(`proof verified: event ${r.seq} is in the log ${r.origin} of size ${r.treeSize} (root ${r.root}), signed by its key`);
    });
}
