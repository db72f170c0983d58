/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function and inclusive
 * time of the heaviest functions, as shares of the profiled time; with --fn, the inclusive time
 * of the named functions (in any file), also per row with --rows. Usage:
 *   node --import tsx bench/lib/cpuprofile-summary.ts FILE.cpuprofile [--top 30] [--match TEXT] [--fn NAME ...] [--rows N]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface FunctionTime { name: string; selfMs: number; totalMs: number }

const frameName = (f: CallFrame) => {
  const file = f.url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules\/|src\/|bench\/)/, '$1');
  return `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
};

export function summarize(profile: CpuProfile): { totalMs: number; functions: FunctionTime[]; byBareName: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  // Inclusive time by bare function name (any file), each sample counted once per name.
  const bare = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const name = frameName(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + us);
    // Inclusive: every distinct function on the stack gets the sample once.
    const seen = new Set<string>();
    const seenBare = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      const b = frame.functionName || '(anonymous)';
      if (!seenBare.has(b)) {
        seenBare.add(b);
        bare.set(b, (bare.get(b) ?? 0) + us);
      }
      const n = frameName(frame);
      if (seen.has(n)) continue;
      seen.add(n);
      total.set(n, (total.get(n) ?? 0) + us);
    }
  }
  const totalMs = profile.timeDeltas.reduce((a, b) => a + b, 0) / 1000;
  const functions = [...total.keys()].map((name) => ({ name, selfMs: (self.get(name) ?? 0) / 1000, totalMs: (total.get(name) ?? 0) / 1000 }));
  return { totalMs, functions, byBareName: new Map([...bare].map(([k, v]) => [k, v / 1000])) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' }, match: { type: 'string', multiple: true }, fn: { type: 'string', multiple: true }, rows: { type: 'string' } } });
  const top = Number(values.top);
  for (const file of positionals) {
    const { totalMs, functions, byBareName } = summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
    const pct = (ms: number) => `${((ms / totalMs) * 100).toFixed(1).padStart(5)}%`;
    console.log(`# ${file}: ${(totalMs / 1000).toFixed(1)} s profiled`);
    console.log('## self time');
    for (const f of [...functions].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) console.log(`${pct(f.selfMs)}  ${f.name}`);
    console.log('## inclusive time');
    for (const f of [...functions].sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) console.log(`${pct(f.totalMs)}  ${f.name}`);
    if (values.fn) {
      const rows = values.rows ? Number(values.rows) : 0;
      console.log(`## functions (inclusive${rows ? `; µs per row over ${rows} rows` : ''})`);
      for (const fn of values.fn) {
        const ms = byBareName.get(fn) ?? 0;
        const self = functions.filter((f) => f.name.split(' ')[0] === fn).reduce((a, f) => a + f.selfMs, 0);
        console.log(`${pct(ms)}  ${(ms / 1000).toFixed(2).padStart(7)} s${rows ? `  ${((ms * 1000) / rows).toFixed(1).padStart(7)} µs/row` : ''}  (self ${pct(self)})  ${fn}`);
      }
    }
    for (const m of values.match ?? []) {
      console.log(`## matching "${m}" (inclusive)`);
      for (const f of functions.filter((x) => x.name.includes(m)).sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) console.log(`${pct(f.totalMs)}  ${f.name}`);
    }
  }
}
