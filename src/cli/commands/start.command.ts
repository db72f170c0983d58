import type { Command } from 'commander';
import { initDataDir, isInitialized } from '../../services/init.service.ts';
import { configFrom, out, withCommon } from '../common.ts';
import type { CommonOptions } from '../common.ts';
import { serve } from './serve.command.ts';

/** `npm start`: initialize the data directory on first run, then serve. */
export function registerStart(program: Command): void {
  withCommon(program.command('start').description('first run: init and seed a demo city; then serve'))
    .option('--host <host>', 'address to listen on', process.env.EPIVAULT_HOST ?? '127.0.0.1')
    .option('--port <port>', 'port', process.env.EPIVAULT_PORT ?? '8080')
    .action(async (opts: CommonOptions & { host: string; port: string }) => {
      const config = configFrom(opts);
      if (!isInitialized(config)) {
        await initDataDir(config);
        out(`initialized ${config.dataDir}`);
      }
      await serve(config);
    });
}
