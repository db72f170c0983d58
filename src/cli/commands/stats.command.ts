import type { Command } from 'commander';
import { openApp } from '../../services/app-context.ts';
import { collectStats } from '../../services/stats.service.ts';
import { configFrom, out, withCommon } from '../common.ts';
import type { CommonOptions } from '../common.ts';

export function registerStats(program: Command): void {
  withCommon(program.command('stats').description('print record counts (counts only, never contents)'))
    .option('--json', 'print JSON')
    .action(async (opts: CommonOptions & { json?: boolean }) => {
      const ctx = await openApp(configFrom(opts));
      try {
        const s = await collectStats(ctx);
        if (opts.json) return out(JSON.stringify(s));
        out(`engine: ${s.engine}   root key version: ${s.rootKeyVersion}`);
        for (const [table, n] of Object.entries(s.counts)) out(`${table.padEnd(20)} ${String(n).padStart(12)}`);
        for (const [c, n] of Object.entries(s.casesByClassification)) out(`cases ${c.padEnd(14)} ${String(n).padStart(12)}`);
      } finally {
        await ctx.close();
      }
    });
}
