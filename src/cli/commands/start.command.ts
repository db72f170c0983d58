import type { Command } from 'commander';
import { ensureDemoCity } from '../../services/demo.service.ts';
import { initDataDir, isInitialized } from '../../services/init.service.ts';
import { configFrom, out, withCommon } from '../common.ts';
import type { CommonOptions } from '../common.ts';
import { createProgress } from '../progress.ts';
import { serve } from './serve.command.ts';

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
      }
      await serve(config);
    });
}
