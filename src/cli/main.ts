import { Command, CommanderError } from 'commander';
import { registerAudit } from './commands/audit.command.ts';
import { registerImport } from './commands/import.command.ts';
import { registerInit } from './commands/init.command.ts';
import { registerKeys } from './commands/keys.command.ts';
import { registerSeed } from './commands/seed.command.ts';
import { registerServe } from './commands/serve.command.ts';
import { registerStart } from './commands/start.command.ts';
import { registerStats } from './commands/stats.command.ts';
import { registerTracing } from './commands/tracing.command.ts';
import { registerUser } from './commands/user.command.ts';

/**
 * The `epivault` command. Errors print one line naming the problem (never a personal value) and
 * exit non-zero; unexpected errors print no detail beyond their type.
 */
// Files this process creates (database, WAL, reports) are readable by the owner only.
process.umask(0o077);

const program = new Command('epivault')
  .description('Epivault: privacy-first epidemic investigation and disclosure')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

registerInit(program);
registerStart(program);
registerServe(program);
registerStats(program);
registerSeed(program);
registerKeys(program);
registerImport(program);
registerAudit(program);
registerUser(program);
registerTracing(program);

const KNOWN = new Set(['ServiceError', 'CryptoError', 'DecryptionError', 'ConfigError', 'ImportError']);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  const err = e as Error & { code?: string };
  const known = KNOWN.has(err.name) || (typeof err.code === 'string' && /^(EEXIST|ENOENT|EACCES|ECONNREFUSED)$/.test(err.code)) || err.message?.startsWith('database ');
  process.stderr.write(`epivault: ${known || err.message?.startsWith('no passphrase') || err.message?.startsWith('the passphrases') ? err.message : `unexpected ${err.name ?? 'error'} (${err.code ?? 'no code'})`}\n`);
  process.exit(1);
}
