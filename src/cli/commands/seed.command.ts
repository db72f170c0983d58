import type { Command } from 'commander';
import { openApp } from '../../services/app-context.ts';
import { DEFAULT_DAYS, MAX_IMPORTED_CASES_PER_WEEK, MAX_VENUES, seedCity } from '../../services/seed/seed.service.ts';
import type { SeedSummary } from '../../services/seed/seed.service.ts';
import { ServiceError } from '../../services/errors.ts';
import { configFrom, out, stopAfterBatchOnSignal, withCommon } from '../common.ts';
import type { CommonOptions } from '../common.ts';
import { createProgress } from '../progress.ts';

interface SeedFlags extends CommonOptions {
  persons: string;
  seed: string;
  days: string;
  start?: string;
  venues?: string;
  importedCasesPerWeek?: string;
  batch?: string;
}

function integer(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new ServiceError('ERR_VALIDATION', `--${flag} must be a whole number`, flag);
  return Number(value);
}

function rate(flag: string, value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new ServiceError('ERR_VALIDATION', `--${flag} must be a number of cases a week, such as 2 or 0.5`, flag);
  return Number(value);
}

function printSummary(s: SeedSummary): void {
  const options = `${s.venues !== undefined ? `, ${s.venues} venues` : ''}${s.importedCasesPerWeek ? `, ${s.importedCasesPerWeek} imported cases a week` : ''}`;
  const what = `seed ${s.seed}: ${s.persons} persons, ${s.days} days from ${s.startDate}${options}`;
  if (s.status === 'already_complete') {
    out(`${what}: already complete; nothing written`);
    return;
  }
  out(`${what}: ${s.status === 'complete' ? 'complete' : `interrupted at person ${s.cursor}; run the same command again to resume`}${s.resumedFrom > 0 ? ` (resumed at person ${s.resumedFrom})` : ''}`);
  out(`persons written      ${String(s.personsWritten).padStart(12)}`);
  out(`travel records       ${String(s.travelRecords).padStart(12)}`);
  out(`co-location tokens   ${String(s.tokens).padStart(12)}`);
  for (const [c, n] of Object.entries(s.casesByClassification)) out(`cases ${c.padEnd(14)} ${String(n).padStart(12)}`);
  out(`contacts             ${String(s.contacts).padStart(12)}`);
  out(`observations         ${String(s.observations).padStart(12)}`);
  out(`places               ${String(s.places).padStart(12)}`);
  out(`elapsed              ${s.elapsedSeconds.toFixed(1).padStart(11)}s`);
  out(`rows/s               ${Math.round(s.rowsPerSecond).toString().padStart(12)}  (${s.rows} rows)`);
}

export function registerSeed(program: Command): void {
  withCommon(program.command('seed').description('write a synthetic Beijing (people, venues, travel, an outbreak) for demos, tests and benchmarks; resumable'))
    .requiredOption('--persons <n>', 'number of residents')
    .requiredOption('--seed <s>', 'random seed: the same seed gives the same city')
    .option('--days <d>', 'length of the simulated period in days', String(DEFAULT_DAYS))
    .option('--start <date>', 'first simulated day YYYY-MM-DD (default: the period ends yesterday)')
    .option('--venues <n>', `venues in the public registry, 1 to ${MAX_VENUES} (default: one per 50 residents, at least 200; fewer venues give a small city realistic crowds)`)
    .option('--imported-cases-per-week <n>', `index cases imported from outside per week, spread over the whole period, 0 to ${MAX_IMPORTED_CASES_PER_WEEK}, decimals allowed (default 0: one outbreak that starts with the period)`)
    .option('--batch <n>', 'persons per transaction')
    .action(async (opts: SeedFlags) => {
      const options = {
        persons: integer('persons', opts.persons),
        seed: integer('seed', opts.seed),
        days: integer('days', opts.days),
        ...(opts.start ? { startDate: opts.start } : {}),
        ...(opts.venues !== undefined ? { venues: integer('venues', opts.venues) } : {}),
        ...(opts.importedCasesPerWeek !== undefined ? { importedCasesPerWeek: rate('imported-cases-per-week', opts.importedCasesPerWeek) } : {}),
        ...(opts.batch ? { batchSize: integer('batch', opts.batch) } : {}),
      };
      const ctx = await openApp(configFrom(opts));
      const stop = stopAfterBatchOnSignal();
      const bar = createProgress('seed');
      let started = false;
      try {
        const summary = await seedCity(ctx, { ...options, signal: stop.signal }, (p) => {
          if (!started) {
            bar.start(p.total);
            started = true;
          }
          bar.update(p.done, p.total);
        });
        if (started) bar.stop();
        printSummary(summary);
      } finally {
        stop.release();
        await ctx.close();
      }
    });
}
