import type { Command } from 'commander';
import { createFirstAdministrator } from '../../services/accounts.service.ts';
import { initDataDir } from '../../services/init.service.ts';
import { configFrom, out, withCommon } from '../common.ts';
import type { CommonOptions } from '../common.ts';
import { printEnrolment } from './user.command.ts';

export function registerInit(program: Command): void {
  withCommon(program.command('init').description('create the data directory, the root key file (mode 0600), the database and the first administrator'))
    .option('--admin-username <name>', 'username of the first administrator', 'admin')
    .option('--admin-jurisdiction <code>', 'division code of the first administrator (11 = Beijing)', '11')
    .option('--no-qr', 'do not print the administrator\'s TOTP QR code')
    .action(async (opts: CommonOptions & { adminUsername: string; adminJurisdiction: string; qr: boolean }) => {
      const config = configFrom(opts);
      const r = await initDataDir(config);
      out(`initialized ${r.dataDir}`);
      out(`root key file: ${r.keyFile} (mode 0600). Keep a copy: epivault keys export --out FILE`);
      const admin = await createFirstAdministrator(config, opts.adminUsername, opts.adminJurisdiction);
      out(`first administrator: ${admin.account.username} (jurisdiction ${admin.account.jurisdiction})`);
      printEnrolment(admin.enrolment, opts.qr);
    });
}
