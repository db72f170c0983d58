/**
 * `npm run bench -- read [--seconds S] [--connections C] [--rounds R] [--log-level L] [--floor]`
 *
 * Signed-in masked case reads per second through the real server, against a Fastify hello-world
 * route measured in the same run (issue #3). The server runs in its own process exactly as
 * `npm start` runs it: a fresh demo data directory (SQLite, the 2,000-person demo city, the demo
 * accounts), then `epivault serve`. The bench signs in as the demo investigator over HTTP (password
 * and TOTP), accepts the confidentiality terms, lists the cases assigned to it, and then drives
 * `GET /api/cases/:id` over them with autocannon: each read is authorized by the policy, decrypted,
 * masked and audited (the audit event committed before the response). The hello-world server is
 * Fastify with one route in its own process. After 3 s of unmeasured warm-up on each, rounds alternate hello and read; the medians are
 * reported, with their ratio. Every response must be 200, or the bench fails.
 *
 * With --floor, a third server takes part in every round (bench/lib/floor-server.ts): the read's
 * storage work alone (its three queries and its audit event, committed in groups), without session,
 * policy, decryption, masking, headers or schemas; `floor_ratio` is the most any read route on this
 * storage could reach against the hello-world route.
 *
 * Prints one JSON line: {"bench":"read","masked_read_per_s":…,"hello_per_s":…,"ratio":…, …}
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { totpCodeForStep, totpStep } from '../src/crypto/totp.ts';
import { DEMO_ACCOUNTS } from '../src/services/demo-accounts.service.ts';
import { UsageError } from './ingest.ts';
import { log } from './lib/progress.ts';

export const READ_USAGE = `usage: npm run bench -- read [--seconds S] [--connections C] [--rounds R] [--log-level L] [--profile DIR] [--floor]
  signed-in masked case reads/s (policy, decryption, audit) vs a Fastify hello-world route, SQLite demo city
  --floor  also measure the read's storage work alone (three queries and the audited append) behind a bare route`;

interface ReadArgs { seconds: number; connections: number; rounds: number; logLevel: string; profile?: string; floor: boolean }

function parse(argv: string[]): ReadArgs {
  const { values } = parseArgs({ args: argv, options: { seconds: { type: 'string' }, connections: { type: 'string' }, rounds: { type: 'string' }, 'log-level': { type: 'string' }, profile: { type: 'string' }, floor: { type: 'boolean' } }, strict: true });
  const int = (name: string, v: string | undefined, dflt: number, max: number) => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be an integer from 1 to ${max}`);
    return n;
  };
  const logLevel = values['log-level'] ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) throw new UsageError('--log-level must be a pino level');
  return { seconds: int('seconds', values.seconds, 10, 600), connections: int('connections', values.connections, 10, 1000), rounds: int('rounds', values.rounds, 3, 20), logLevel, ...(values.profile ? { profile: values.profile } : {}), floor: values.floor === true };
}

/** Starts a child process and resolves with the address it announces (a line matching `re`). */
async function startProcess(args: string[], env: NodeJS.ProcessEnv, re: RegExp, timeoutMs: number): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${args.join(' ')} did not start within ${timeoutMs} ms`)); }, timeoutMs);
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      const m = re.exec(seen);
      if (m) {
        clearTimeout(timer);
        // From now on the output (the server's request log) is only drained: scanning it would take
        // CPU from autocannon, which shares the machine with the server.
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve({ child, address: m[1]! });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${args.join(' ')} exited with ${code} before listening`)); });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

async function json(res: Response, what: string): Promise<Record<string, unknown>> {
  if (res.status !== 200) throw new Error(`${what}: HTTP ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Signs in as the demo investigator, accepts the terms, returns the headers and the assigned case ids. */
async function signIn(base: string): Promise<{ headers: Record<string, string>; caseIds: string[] }> {
  const spec = DEMO_ACCOUNTS.find((a) => a.role === 'investigator')!;
  const totp = await totpCodeForStep(spec.totpSecret, totpStep(Date.now()));
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: spec.username, password: spec.password, totp }) });
  const cookie = (login.headers.getSetCookie().find((c) => c.startsWith('ev_session=')) ?? '').split(';')[0]!;
  const { csrfToken } = (await json(login, 'sign-in')) as { csrfToken: string };
  const headers = { cookie, 'x-csrf-token': csrfToken, 'x-epivault-purpose': 'case_investigation' };
  const terms = (await json(await fetch(`${base}/api/terms`, { headers }), 'terms')) as { version: string };
  await json(await fetch(`${base}/api/terms/accept`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ version: terms.version }) }), 'accept terms');
  const mine = (await json(await fetch(`${base}/api/me/assignments?limit=100`, { headers }), 'my assignments')) as { items: { caseId?: string; id?: string }[] };
  const caseIds = mine.items.map((i) => i.caseId ?? i.id).filter((id): id is string => typeof id === 'string');
  if (caseIds.length === 0) throw new Error('the demo investigator has no assigned cases');
  // One read through fetch first, so that a broken route fails here with its status.
  await json(await fetch(`${base}/api/cases/${caseIds[0]}`, { headers }), 'case read');
  return { headers, caseIds };
}

/** CPU time (user + system) a process has used so far, in microseconds, from /proc (Linux); null elsewhere. */
function cpuMicros(pid: number | undefined): number | null {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return null;
  // Fields after the command name: state is field 3, utime 14 and stime 15 (in clock ticks).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLOCK_TICKS;
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Requests per second (mean over the round), and the server's CPU time per request when its pid is given. */
async function drive(url: string, connections: number, seconds: number, requests: autocannon.Request[], serverPid?: number): Promise<{ perSecond: number; cpuMicrosPerRequest: number | null }> {
  const cpu0 = cpuMicros(serverPid);
  const result = await autocannon({ url, connections, duration: seconds, requests });
  const cpu1 = cpuMicros(serverPid);
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${url}: ${result.non2xx} non-2xx responses, ${result.errors} errors, ${result.timeouts} timeouts`);
  const cpuMicrosPerRequest = cpu0 !== null && cpu1 !== null && result.requests.total > 0 ? (cpu1 - cpu0) / result.requests.total : null;
  return { perSecond: result.requests.average, cpuMicrosPerRequest };
}

/** Seconds of unmeasured requests to each server before the rounds. */
const WARM_UP_SECONDS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runRead(argv: string[]): Promise<void> {
  const args = parse(argv);
  const dir = mkdtempSync(join(tmpdir(), 'epivault-bench-read-'));
  const children: ChildProcess[] = [];
  try {
    log(`read: starting the demo server in ${dir} (demo city and accounts; ~15 s)`);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const env = { ...process.env, EPIVAULT_LOG_LEVEL: args.logLevel };
    // --profile DIR: the server writes a V8 CPU profile there when it stops (bench/lib/cpuprofile-summary.ts reads it).
    const profile = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
    const server = await startProcess([...profile, 'bin/epivault.js', 'start', '--data', dir, '--port', String(port)], env, /listening on (http:\/\/[^\s]+)/, 300_000);
    children.push(server.child);
    const hello = await startProcess(['--import', 'tsx', 'bench/lib/hello-server.ts'], process.env, /(http:\/\/127\.0\.0\.1:\d+)/, 30_000);
    children.push(hello.child);
    const { headers, caseIds } = await signIn(server.address);
    // The floor server shares the data directory (SQLite serializes the two processes' audit appends);
    // the two are never driven at the same time.
    const floor = args.floor ? await startProcess(['--import', 'tsx', 'bench/lib/floor-server.ts', dir], process.env, /(http:\/\/127\.0\.0\.1:\d+)/, 60_000) : null;
    if (floor) children.push(floor.child);
    const floorRequests: autocannon.Request[] = [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/floor/${caseIds[next++ % caseIds.length]}` }) }];
    log(`read: signed in as the demo investigator; ${caseIds.length} assigned cases; ${args.rounds} rounds of ${args.seconds} s, ${args.connections} connections`);
    let next = 0;
    const readRequests: autocannon.Request[] = [{
      method: 'GET', headers,
      setupRequest: (req) => ({ ...req, path: `/api/cases/${caseIds[next++ % caseIds.length]}` }),
    }];
    // Warm-up, not measured: both servers compile their hot paths (JIT) before the first round.
    await drive(`${hello.address}/hello`, args.connections, WARM_UP_SECONDS, [{ method: 'GET', path: '/hello' }]);
    await drive(server.address, args.connections, WARM_UP_SECONDS, readRequests);
    if (floor) await drive(floor.address, args.connections, WARM_UP_SECONDS, floorRequests);
    const floorRates: number[] = [];
    const floorCpu: number[] = [];
    const helloRates: number[] = [];
    const readRates: number[] = [];
    const readCpu: number[] = [];
    const helloCpu: number[] = [];
    for (let r = 0; r < args.rounds; r++) {
      const h = await drive(`${hello.address}/hello`, args.connections, args.seconds, [{ method: 'GET', path: '/hello' }], hello.child.pid);
      const m = await drive(server.address, args.connections, args.seconds, readRequests, server.child.pid);
      helloRates.push(h.perSecond);
      readRates.push(m.perSecond);
      if (h.cpuMicrosPerRequest !== null) helloCpu.push(h.cpuMicrosPerRequest);
      if (m.cpuMicrosPerRequest !== null) readCpu.push(m.cpuMicrosPerRequest);
      log(`read: round ${r + 1}: hello ${Math.round(h.perSecond)}/s, masked read ${Math.round(m.perSecond)}/s${m.cpuMicrosPerRequest !== null ? ` (server CPU ${Math.round(m.cpuMicrosPerRequest)} µs per read)` : ''}`);
      if (floor) {
        const f = await drive(floor.address, args.connections, args.seconds, floorRequests, floor.child.pid);
        floorRates.push(f.perSecond);
        if (f.cpuMicrosPerRequest !== null) floorCpu.push(f.cpuMicrosPerRequest);
        log(`read: round ${r + 1}: storage floor ${Math.round(f.perSecond)}/s${f.cpuMicrosPerRequest !== null ? ` (server CPU ${Math.round(f.cpuMicrosPerRequest)} µs per read)` : ''}`);
      }
    }
    const masked = median(readRates);
    const hi = median(helloRates);
    process.stdout.write(`${JSON.stringify({
      bench: 'read', masked_read_per_s: Math.round(masked), hello_per_s: Math.round(hi), ratio: Math.round((masked / hi) * 1000) / 1000,
      engine: 'sqlite', connections: args.connections, seconds: args.seconds, rounds: args.rounds, cases: caseIds.length, server_log_level: args.logLevel,
      masked_read_rounds: readRates.map(Math.round), hello_rounds: helloRates.map(Math.round),
      // Server CPU time per request (user + system, from /proc): less sensitive to other load on the machine than the rates.
      server_cpu_us_per_read: readCpu.length ? Math.round(median(readCpu)) : null, hello_cpu_us_per_request: helloCpu.length ? Math.round(median(helloCpu)) : null,
      ...(floor ? {
        floor_per_s: Math.round(median(floorRates)), floor_ratio: Math.round((median(floorRates) / hi) * 1000) / 1000, floor_rounds: floorRates.map(Math.round),
        floor_cpu_us_per_read: floorCpu.length ? Math.round(median(floorCpu)) : null,
      } : {}),
      load_avg: loadavg().slice(0, 2).map((x) => Math.round(x * 100) / 100), node: process.version, date: new Date().toISOString().slice(0, 10),
    })}\n`);
  } finally {
    for (const c of children) await stopProcess(c);
    rmSync(dir, { recursive: true, force: true });
  }
}
