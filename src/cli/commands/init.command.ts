import type { Command } from 'commander';
import { initDataDir } from '../../services/init.service.ts';
import { configFrom, out, withCommon } from '../common.ts';
import type { CommonOptions } from '../common.ts';

export function registerInit(program: Command): void {
  withCommon(program.command('init').description('create the data directory, the root key file (mode 0600) and the database'))
    .action(async (opts: CommonOptions) => {
      const r = await initDataDir(configFrom(opts));
      out(`initialized ${r.dataDir}`);
      out(`root key file: ${r.keyFile} (mode 0600). Keep a copy: epivault keys export --out FILE`);
    });
}
