/**
 * Benchmark dispatcher: `npm run bench -- <name> [options]`. Each bench prints one JSON line of
 * figures per configuration on stdout, and progress on stderr.
 */
import { AUDIT_USAGE, runAudit } from './audit.ts';
import { INGEST_USAGE, runIngest, UsageError } from './ingest.ts';
import { READ_USAGE, runRead } from './read.ts';
import { runSqliteShape, SQLITE_SHAPE_USAGE } from './sqlite-shape.ts';

const BENCHES: Record<string, { run: (argv: string[]) => Promise<void>; usage: string }> = {
  ingest: { run: runIngest, usage: INGEST_USAGE },
  audit: { run: runAudit, usage: AUDIT_USAGE },
  'sqlite-shape': { run: runSqliteShape, usage: SQLITE_SHAPE_USAGE },
  read: { run: runRead, usage: READ_USAGE },
  colocation: { run: async (argv) => (await import('./colocation.ts')).runColocation(argv), usage: 'usage: npm run bench -- colocation [--persons N] [--seed S] [--cases C] [--batch B] [--data DIR]  (contact discovery on tokens vs plaintext interval SQL)' },
  release: { run: async (argv) => (await import('./release.ts')).runRelease(argv), usage: 'usage: npm run bench -- release [--cases 100000,1000000] [--types daily_counts,research_extract,exposure_points] [--seed S] [--data DIR]  (prepare + check + approve + publish/sign through the release services on N sealed cases)' },
  kanon: { run: async (argv) => (await import('./kanon.ts')).runKanon(argv), usage: 'usage: npm run bench -- kanon [--k 2,5,10] [--suppression 0,0.05] [--verify]  (optimal k-anonymity of UCI Adult)' },
  selfcheck: { run: async (argv) => (await import('./selfcheck.ts')).runSelfcheck(argv), usage: 'usage: npm run bench -- selfcheck [--points 100000] [--entries 200] [--venues 20000] [--runs 9] [--seed 42]  (self-check matching of itinerary entries against exposure points, in headless Chromium)' },
};

function usage(): string {
  return `usage: npm run bench -- <bench> [options]\nbenches:\n${Object.values(BENCHES).map((b) => `  ${b.usage.replaceAll('\n', '\n  ')}`).join('\n')}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stderr.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const bench = BENCHES[name];
  if (!bench) {
    process.stderr.write(`unknown bench "${name}"\n${usage()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stderr.write(`${bench.usage}\n`);
    return 0;
  }
  try {
    await bench.run(rest);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(e as Error).message}\n${bench.usage}\n`);
      return 2;
    }
    process.stderr.write(`bench ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
