/**
 * `npm run bench -- release [--cases 100000,1000000] [--types …] [--seed S] [--data DIR]`
 *
 * Disclosure releases at scale (issue #6 item 6): for each size, N cases in a cached data set
 * (bench/lib/release-cases.ts: every case sealed exactly as the application stores it), and for
 * each release type whose cost depends on the number of cases, the console's own workflow through
 * the real services (src/services/release.service.ts): a disclosure officer prepares the release
 * (sources read and opened, content built, re-identification check, standard check, stored and
 * audited), an approver approves it, the officer publishes it (re-checked, canonical JSON signed
 * with Ed25519, stored and audited); the signature is then verified. The period is the data set's
 * 60 days. Types:
 *
 * - daily_counts: new confirmed cases per day and district with discrete-Laplace noise (clear columns only);
 * - research_extract: the de-identified line list of confirmed and asymptomatic cases (each case's
 *   details and identity opened), optimal full-domain generalization to k and l, risk report;
 * - exposure_points: confirmed cases' venue stays in their infectious windows, the visitor
 *   threshold counted on co-location tokens.
 *
 * Risk areas are not measured: they are the supervisors' declarations, whose number does not grow
 * with the cases. The bench's standard is the default one with the privacy-budget cap of the
 * daily counts raised, so that repeated runs over one cached data set are not refused by the
 * ledger (a run spends ε = 1/2 per week of the period); every other parameter is the default.
 *
 * One JSON line per (size, type) on stdout: {"bench":"release","cases":…,"type":…,"prepare_ms":…,
 * "sources_ms":…,"build_ms":…,"check_ms":…,"store_ms":…,"approve_ms":…,"publish_ms":…,"sign_ms":…,
 * "total_ms":…,"items":…,"artifact_bytes":…,…}; progress on stderr.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { addDays } from '../src/domain/dates.ts';
import { TERMS_VERSION } from '../src/domain/terms.ts';
import { DEFAULT_STANDARD_URL, parseStandard } from '../src/disclosure/standard/index.ts';
import type { DisclosureStandard } from '../src/disclosure/standard/index.ts';
import { createAccount } from '../src/services/accounts.service.ts';
import type { AppContext } from '../src/services/app-context.ts';
import { approveRelease, prepareRelease, publishRelease, releasePublicKey, verifyReleaseSignature } from '../src/services/release.service.ts';
import type { PrepareInput, ReleasePhases } from '../src/services/release.service.ts';
import type { StaffRequest } from '../src/services/staff-context.ts';
import type { Role } from '../src/domain/roles.ts';
import { UsageError } from './ingest.ts';
import { DEFAULT_DAYS, DEFAULT_START, ensureCases, openCasesApp } from './lib/release-cases.ts';
import type { CasesInfo } from './lib/release-cases.ts';
import { fmt, log } from './lib/progress.ts';

export const RELEASE_TYPES = ['daily_counts', 'research_extract', 'exposure_points'] as const;
type BenchType = (typeof RELEASE_TYPES)[number];

export const RELEASE_USAGE = `usage: npm run bench -- release [--cases N[,N…]] [--types ${RELEASE_TYPES.join(',')}] [--seed S] [--data DIR]
  prepare + check + approve + publish (sign) of each release type through the release services, on N cases
  sealed as the application stores them; the data set is built once per (N, seed) into DIR and reused
  (defaults: 100000,1000000 cases, all three types, seed 1, data/bench/release)`;

interface Args { cases: number[]; types: BenchType[]; seed: number; data: string }

function parse(argv: string[]): Args {
  const { values } = parseArgs({ args: argv, options: { cases: { type: 'string' }, types: { type: 'string' }, seed: { type: 'string' }, data: { type: 'string' } }, strict: true });
  const cases = (values.cases ?? '100000,1000000').split(',').map((v) => {
    const n = Number(v.trim().replaceAll('_', ''));
    if (!Number.isInteger(n) || n < 1000 || n > 2_000_000) throw new UsageError('--cases must be integers from 1000 to 2000000, comma-separated');
    return n;
  });
  const types = (values.types ?? RELEASE_TYPES.join(',')).split(',').map((t) => t.trim());
  for (const t of types) if (!(RELEASE_TYPES as readonly string[]).includes(t)) throw new UsageError(`--types: unknown release type "${t}" (one of ${RELEASE_TYPES.join(', ')})`);
  const seed = Number(values.seed ?? '1');
  if (!Number.isInteger(seed) || seed < 0 || seed > 1e9) throw new UsageError('--seed must be an integer from 0 to 1000000000');
  return { cases, types: types as BenchType[], seed, data: values.data ?? 'data/bench/release' };
}

/** The default standard, with the daily counts' budget cap raised (see the header). */
function benchStandard(): DisclosureStandard {
  const s = JSON.parse(readFileSync(DEFAULT_STANDARD_URL, 'utf8'));
  s.parameters.dailyCounts.capPerPeriod = '1000000';
  return parseStandard(s);
}

async function staff(ctx: AppContext, role: Role): Promise<(purpose?: 'disclosure') => StaffRequest> {
  const username = `bench-${role.replaceAll('_', '-')}-${Date.now().toString(36)}`;
  const { account } = await createAccount(ctx, { username, role, jurisdiction: '110000' });
  await ctx.store.staff.acceptTerms(account.id, TERMS_VERSION, new Date().toISOString());
  const actor = { id: account.id, role, username, jurisdiction: '110000', termsAccepted: true };
  let n = 0;
  return () => ({ actor, purpose: 'disclosure', requestId: `bench-release-${n++}`, now: new Date() });
}

const ms = (x: number | undefined) => Math.round((x ?? 0) * 10) / 10;

/** The figures of the risk report worth a column, per type. */
function riskSummary(type: BenchType, risk: Record<string, unknown>): Record<string, unknown> {
  const pick = (...keys: string[]) => Object.fromEntries(keys.filter((k) => k in risk).map((k) => [k, risk[k]]));
  if (type === 'research_extract') {
    const report = (risk.report ?? {}) as { k?: number; l?: number; classes?: number; prosecutor?: { highest: number; average: number }; journalist?: { highest: number; average: number } };
    return {
      ...pick('records', 'suppressed', 'levels', 'loss', 'registerSize'), classes: report.classes, k_achieved: report.k, l_achieved: report.l,
      prosecutor_highest: report.prosecutor?.highest, prosecutor_average: report.prosecutor?.average, journalist_highest: report.journalist?.highest, journalist_average: report.journalist?.average,
    };
  }
  if (type === 'exposure_points') return pick('casesInPeriod', 'staysConsidered', 'staysExcludedByCategory', 'windowsMerged', 'pointsPublished', 'windowsWithheld', 'windowsWidened', 'minVisitorsOfPublished', 'casesContributing');
  return pick('days', 'districts', 'epsilon', 'scale');
}

async function measure(ctx: AppContext, info: CasesInfo, type: BenchType, standard: DisclosureStandard, officer: () => StaffRequest, approver: () => StaffRequest): Promise<Record<string, unknown>> {
  const from = info.startDate;
  const to = addDays(info.startDate, info.days - 1);
  const input: PrepareInput = type === 'research_extract' ? { type, recipient: 'bench researcher', from, to } : { type, from, to };
  const load = [loadavg()[0]!];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const prepPhases: ReleasePhases = {};
  const prepared = await prepareRelease(ctx, officer(), input, standard, prepPhases);
  const prepareMs = performance.now() - t0;
  log(`  ${type}: prepared in ${fmt(prepareMs)} ms (${prepared.preview.items.length} items, check ${prepared.check.passed ? 'passed' : `failed: ${prepared.check.failures.join('; ')}`})`);
  const out: Record<string, unknown> = {
    bench: 'release', cases: info.cases, type, period: `${from}..${to}`, check_passed: prepared.check.passed,
    prepare_ms: ms(prepareMs), sources_ms: ms(prepPhases.sources), build_ms: ms(prepPhases.build), check_ms: ms((prepPhases.build ?? 0) + (prepPhases.check ?? 0)), store_ms: ms(prepPhases.store),
  };
  let approveMs = 0;
  let publishMs = 0;
  const pubPhases: ReleasePhases = {};
  if (prepared.check.passed) {
    const t1 = performance.now();
    await approveRelease(ctx, approver(), prepared.id, 'bench: preview and risk report checked');
    approveMs = performance.now() - t1;
    const t2 = performance.now();
    await publishRelease(ctx, officer(), prepared.id, standard, pubPhases);
    publishMs = performance.now() - t2;
    const artifact = await ctx.store.releases.getArtifact(prepared.id);
    out.artifact_bytes = artifact ? Buffer.byteLength(artifact.artifact) : null;
    out.signature_valid = artifact ? verifyReleaseSignature(JSON.parse(artifact.artifact), artifact.signature, releasePublicKey(ctx.keys)) : false;
    log(`  ${type}: approved in ${fmt(approveMs)} ms, published (signed) in ${fmt(publishMs)} ms`);
  } else out.failures = prepared.check.failures;
  const cpu = process.cpuUsage(cpu0);
  load.push(loadavg()[0]!);
  return {
    ...out,
    approve_ms: ms(approveMs), publish_ms: ms(publishMs), publish_check_ms: ms(pubPhases.check), sign_ms: ms(pubPhases.sign),
    total_ms: ms(performance.now() - t0), cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
    items: prepared.preview.items.length, risk: riskSummary(type, prepared.risk),
    rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20), load_avg: load.map((l) => Number(l.toFixed(2))),
  };
}

export async function runRelease(argv: string[]): Promise<void> {
  const args = parse(argv);
  const standard = benchStandard();
  for (const cases of args.cases) {
    const key = { cases, seed: args.seed, days: DEFAULT_DAYS, startDate: DEFAULT_START };
    const info = await ensureCases(args.data, key);
    const ctx = await openCasesApp(info.dir);
    try {
      const officer = await staff(ctx, 'disclosure_officer');
      const approver = await staff(ctx, 'approver');
      for (const type of args.types) {
        log(`release: ${fmt(cases)} cases, ${type}`);
        const line = await measure(ctx, info, type, standard, officer, approver);
        process.stdout.write(`${JSON.stringify({
          ...line, dataset: { dir: info.dir, venues: info.venues, travel_records: info.travelRecords, tokens: info.tokens, by_classification: info.byClassification, build_s: info.buildSeconds, build_load_avg: info.buildLoadAvg },
          node: process.version, cpus: cpus().length,
        })}\n`);
      }
    } finally {
      await ctx.close();
    }
  }
}
