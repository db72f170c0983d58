import type { Command } from 'commander';
import type { Config } from '../../config/config.ts';
import { buildServer } from '../../http/app.ts';
import { openApp } from '../../services/app-context.ts';
import { scheduleCheckpoints, writeCheckpoint } from '../../services/audit-log.service.ts';
import { configFrom, withCommon } from '../common.ts';
import type { CommonOptions } from '../common.ts';

/** Starts the HTTP server and stops it cleanly on SIGINT/SIGTERM. */
export async function serve(config: Config): Promise<void> {
  const ctx = await openApp(config, { actor: { id: 'system:server', role: 'system' } });
  const app = buildServer(ctx);
  // A signed checkpoint at start and then on a schedule (docs/AUDIT.md), so a rewrite of the log
  // is detectable against any checkpoint an auditor kept.
  await writeCheckpoint(ctx);
  const stopCheckpoints = scheduleCheckpoints(ctx, config.checkpointIntervalMinutes * 60_000);
  const stop = async () => {
    stopCheckpoints();
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const address = await app.listen({ host: config.host, port: config.port });
  ctx.logger.info({ address }, 'listening');
  process.stderr.write(`epivault listening on ${address} (health: ${address}/healthz)\n`);
}

export function registerServe(program: Command): void {
  withCommon(program.command('serve').description('run the HTTP server (only /healthz until staff sign-in exists)'))
    .option('--host <host>', 'address to listen on (env EPIVAULT_HOST)', process.env.EPIVAULT_HOST ?? '127.0.0.1')
    .option('--port <port>', 'port (env EPIVAULT_PORT)', process.env.EPIVAULT_PORT ?? '8080')
    .action(async (opts: CommonOptions & { host: string; port: string }) => serve(configFrom(opts)));
}
