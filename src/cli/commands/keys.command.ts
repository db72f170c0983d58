import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openApp } from '../../services/app-context.ts';
import { exportRootKeys, importRootKeys, openKeyring, rotateRootKey } from '../../services/keys.service.ts';
import { configFrom, out, readPassphrase, withCommon } from '../common.ts';
import type { CommonOptions } from '../common.ts';
import { createProgress } from '../progress.ts';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('root key rotation, export and restore');

  withCommon(keys.command('rotate').description('make a new root key version and rewrap every key under it (safe while the server runs; resumable)'))
    .action(async (opts: CommonOptions) => {
      const ctx = await openApp(configFrom(opts));
      const bar = createProgress('rewrap');
      try {
        let started = false;
        const r = await rotateRootKey(ctx.store, ctx.keys.keyring, (p) => {
          if (!started) { bar.start(p.total); started = true; }
          bar.update(p.done, p.total);
        }, { actor: ctx.actor });
        bar.stop();
        out(`root key version ${r.newVersion}${r.resumed ? ' (resumed)' : ''}: ${r.rewrapped} keys rewrapped; retired versions: ${r.retired.join(', ') || 'none'}`);
      } finally {
        await ctx.close();
      }
    });

  withCommon(keys.command('export').description('write the root key file encrypted under a passphrase (scrypt + AES-256-GCM) for safekeeping'))
    .requiredOption('--out <file>', 'where to write the encrypted export (refuses to overwrite)')
    .option('--passphrase-file <file>', 'read the passphrase from a file (else EPIVAULT_KEY_PASSPHRASE or a prompt)')
    .action(async (opts: CommonOptions & { out: string; passphraseFile?: string }) => {
      const config = configFrom(opts);
      const text = exportRootKeys(openKeyring(config.keyFile), await readPassphrase(opts.passphraseFile, true));
      writeFileSync(opts.out, text, { mode: 0o600, flag: 'wx' });
      out(`exported root keys to ${opts.out}`);
    });

  withCommon(keys.command('import').description('restore the root key file from an export (refuses to overwrite an existing key file)'))
    .argument('<file>', 'the export written by `epivault keys export`')
    .option('--passphrase-file <file>', 'read the passphrase from a file (else EPIVAULT_KEY_PASSPHRASE or a prompt)')
    .action(async (file: string, opts: CommonOptions & { passphraseFile?: string }) => {
      const config = configFrom(opts);
      const versions = importRootKeys(readFileSync(file, 'utf8'), await readPassphrase(opts.passphraseFile, false), config.keyFile);
      out(`restored root key versions ${versions.join(', ')} to ${config.keyFile}`);
    });
}
