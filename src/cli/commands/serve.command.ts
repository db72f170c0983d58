import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../../config/config.ts';
import type { Config } from '../../config/config.ts';
import { buildServer } from '../../http/app.ts';
import { openApp } from '../../services/app-context.ts';
import { scheduleCheckpoints, writeCheckpoint } from '../../services/audit-log.service.ts';
import { scheduleExposureExpiry } from '../../services/release.service.ts';
import { loadThresholds, scanSupervision, scheduleSupervision } from '../../services/supervision.service.ts';
import { scheduleRiskStatusRefresh } from '../../services/tracing/risk-status.service.ts';
import { withCommon } from '../common.ts';
import type { CommonOptions } from '../common.ts';

/** Loopback addresses: the only ones a server without TLS may listen on. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The TLS key and certificate (PEM) when configured. Without TLS the session cookie would cross
 * the network in clear, so listening anywhere but on loopback is refused (a TLS proxy in front
 * then connects to 127.0.0.1).
 */
export function tlsFor(config: Config): { key: Buffer; cert: Buffer } | undefined {
  if (config.tlsCert && config.tlsKey) return { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) };
  if (!isLoopbackHost(config.host)) {
    throw new ConfigError(`refusing to listen on ${config.host} without TLS: set EPIVAULT_TLS_CERT and EPIVAULT_TLS_KEY (or --tls-cert and --tls-key), or listen on 127.0.0.1 behind a TLS proxy`);
  }
  return undefined;
}

/** Starts the HTTP server and stops it cleanly on SIGINT/SIGTERM. */
export async function serve(config: Config): Promise<void> {
  const https = tlsFor(config);
  const ctx = await openApp(config, { actor: { id: 'system:server', role: 'system' } });
  const app = buildServer(ctx, { ...(https ? { https } : {}), session: { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours }, revealMinutes: config.revealMinutes, breakGlassHours: config.breakGlassHours });
  // A signed checkpoint at start and then on a schedule (docs/AUDIT.md), so a rewrite of the log
  // is detectable against any checkpoint an auditor kept.
  await writeCheckpoint(ctx);
  const stopCheckpoints = scheduleCheckpoints(ctx, config.checkpointIntervalMinutes * 60_000);
  // Supervision rules over the audit stream (docs/AUDIT.md): thresholds from supervision.json in the data directory.
  const thresholds = loadThresholds(join(config.dataDir, 'supervision.json'));
  await scanSupervision(ctx, thresholds);
  const stopSupervision = scheduleSupervision(ctx, thresholds, 60_000);
  // Risk statuses that time alone changes (a quarantine over, a risk area expired) are refreshed in
  // storage at start and then every EPIVAULT_RISK_REFRESH_MINUTES (docs/TRACING.md "Risk status").
  const stopRiskRefresh = scheduleRiskStatusRefresh(ctx, config.riskRefreshMinutes * 60_000, { immediately: true });
  // Exposure points leave the public API one by one as they expire: a signed revision of each
  // release without its expired points, at start and then at each next expiry (docs/DISCLOSURE-STANDARD.md).
  const stopPointExpiry = scheduleExposureExpiry(ctx);
  const stop = async () => {
    stopPointExpiry();
    stopCheckpoints();
    stopSupervision();
    stopRiskRefresh();
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const address = await app.listen({ host: config.host, port: config.port });
  ctx.logger.info({ address }, 'listening');
  process.stderr.write(`epivault listening on ${address} (public site: ${address}/, staff console: ${address}/console/, health: ${address}/healthz)\n`);
}

export function registerServe(program: Command): void {
  withCommon(program.command('serve').description('run the HTTP server: staff API and console (HTTPS with --tls-cert/--tls-key)'))
    .option('--host <host>', 'address to listen on (env EPIVAULT_HOST)', process.env.EPIVAULT_HOST ?? '127.0.0.1')
    .option('--port <port>', 'port (env EPIVAULT_PORT)', process.env.EPIVAULT_PORT ?? '8080')
    .option('--tls-cert <file>', 'PEM certificate for HTTPS (env EPIVAULT_TLS_CERT); without TLS only loopback addresses are allowed')
    .option('--tls-key <file>', 'PEM private key for HTTPS (env EPIVAULT_TLS_KEY)')
    .action(async (opts: CommonOptions & { host: string; port: string; tlsCert?: string; tlsKey?: string }) =>
      serve(loadConfig({ data: opts.data, db: opts.db, host: opts.host, port: opts.port, tlsCert: opts.tlsCert, tlsKey: opts.tlsKey })));
}
