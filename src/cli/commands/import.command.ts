import { Option } from 'commander';
import type { Command } from 'commander';
import { openApp } from '../../services/app-context.ts';
import { importLineList } from '../../services/import.service.ts';
import type { EncodingChoice, ImportProgress, ImportSummary } from '../../services/import.service.ts';
import { configFrom, out, withCommon } from '../common.ts';
import type { CommonOptions } from '../common.ts';
import { createProgress } from '../progress.ts';
import type { Progress } from '../progress.ts';

interface ImportCommandOptions extends CommonOptions {
  report?: string;
  encoding: EncodingChoice;
  json?: boolean;
}

/** `epivault import FILE.csv`: a line list into the database (docs/IMPORT.md). */
export function registerImport(program: Command): void {
  withCommon(program.command('import').description('import a line-list CSV file (UTF-8 or GB18030; resumable, idempotent; see docs/IMPORT.md)'))
    .argument('<file>', 'the CSV file, with a header row')
    .option('--report <file>', 'where to write the rejection report (default <data>/import-reports/<name>.<yyyymmddThhmmss>.rejections.csv)')
    .addOption(new Option('--encoding <encoding>', 'text encoding of the file').choices(['auto', 'utf-8', 'gb18030']).default('auto'))
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, opts: ImportCommandOptions) => {
      const config = configFrom(opts);
      const ctx = await openApp(config);
      const shown: { bar: Progress | null; phase: ImportProgress['phase'] | null } = { bar: null, phase: null };
      const stopBar = () => {
        shown.bar?.stop();
        shown.bar = null;
      };
      // The check pass shows progress only on a terminal: elsewhere a refused file leaves exactly one line on stderr.
      const onProgress = (p: ImportProgress) => {
        if (p.phase === 'check' && !process.stderr.isTTY) return;
        if (p.phase !== shown.phase) {
          stopBar();
          shown.phase = p.phase;
          shown.bar = createProgress(p.phase === 'check' ? 'check (bytes)' : 'import (bytes)');
          shown.bar.start(p.totalBytes);
        }
        shown.bar?.update(p.bytesRead);
      };
      try {
        const summary = await importLineList(ctx, file, { encoding: opts.encoding, report: opts.report, dataDir: config.dataDir }, onProgress);
        stopBar();
        print(summary, opts.json === true);
      } finally {
        stopBar();
        await ctx.close();
      }
    });
}

function print(s: ImportSummary, json: boolean): void {
  if (json) {
    out(JSON.stringify({
      rowsRead: s.rowsRead, imported: s.imported, alreadyPresent: s.alreadyPresent, rejected: s.rejected, problems: s.problems,
      skipped: s.skipped, resumedAfter: s.resumedAfter, encoding: s.encoding, sha256: s.sha256, report: s.reportPath,
      elapsedMs: Math.round(s.elapsedMs), rowsPerSecond: s.rowsPerSecond,
    }));
    return;
  }
  const line = (label: string, value: string | number) => out(`${label.padEnd(17)} ${value}`);
  line('rows read', s.rowsRead);
  line('imported', s.imported);
  line('already present', s.skipped > 0 ? `${s.alreadyPresent} (${s.skipped} of them committed by an earlier run of this file)` : s.alreadyPresent);
  line('rejected', s.rejected > 0 ? `${s.rejected} rows, ${s.problems} problems` : 0);
  line('report', s.reportPath);
  line('encoding', s.encoding);
  line('elapsed', `${(s.elapsedMs / 1000).toFixed(1)} s (${s.rowsPerSecond} rows/s)`);
}
