import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import type { Config } from '../config/config.ts';

export interface CommonOptions {
  data?: string;
  db?: string;
}

/** Every command takes --data and --db. */
export function withCommon(cmd: Command): Command {
  return cmd
    .option('--data <dir>', 'data directory (key file, SQLite database, reports)', process.env.EPIVAULT_DATA_DIR ?? './data')
    .option('--db <url>', 'database: postgres://… or a SQLite file path (default <data>/epivault.db; env EPIVAULT_DATABASE_URL)');
}

export function configFrom(opts: CommonOptions & { host?: string; port?: string }): Config {
  return loadConfig({ data: opts.data, db: opts.db, host: opts.host, port: opts.port });
}

/** Writes a line of machine-readable output on stdout. */
export function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * A passphrase: from --passphrase-file, EPIVAULT_KEY_PASSPHRASE, or typed (hidden) on a terminal.
 * Never taken as a command-line argument, where `ps` would show it.
 */
export async function readPassphrase(file: string | undefined, confirm: boolean): Promise<string> {
  if (file) return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  if (process.env.EPIVAULT_KEY_PASSPHRASE) return process.env.EPIVAULT_KEY_PASSPHRASE;
  if (!process.stdin.isTTY) throw new Error('no passphrase: use --passphrase-file, EPIVAULT_KEY_PASSPHRASE, or run on a terminal');
  const first = await prompt('Passphrase: ');
  if (confirm && (await prompt('Repeat passphrase: ')) !== first) throw new Error('the passphrases do not match');
  return first;
}

function prompt(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({ write(chunk, _enc, cb) { if (!muted) process.stderr.write(chunk); cb(); } });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => { rl.close(); process.stderr.write('\n'); resolve(answer); });
    muted = true;
  });
}

/**
 * Ctrl-C (and SIGTERM) stop a resumable job after its current batch: the returned signal aborts,
 * and a line says how to resume. `release()` removes the handlers when the job is over.
 */
export function stopAfterBatchOnSignal(): { signal: AbortSignal; release: () => void } {
  const abort = new AbortController();
  const onSignal = () => {
    process.stderr.write('\nstopping after the current batch (run the same command again to resume)\n');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: abort.signal,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
