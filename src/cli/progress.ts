import cliProgress from 'cli-progress';

/**
 * Progress for long jobs: a bar on a terminal, plain lines (at most one every few seconds, and at
 * the end) when stderr is a file or a pipe. Counts only; never a personal value.
 */
export interface Progress {
  start(total: number, label?: string): void;
  update(done: number, total?: number): void;
  stop(): void;
}

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar({
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`,
      stream, hideCursor: true, etaBuffer: 50,
    }, cliProgress.Presets.shades_classic);
    let started = false;
    return {
      start: (total) => { bar.start(total, 0); started = true; },
      update: (done, total) => { if (total !== undefined) bar.setTotal(total); bar.update(done); },
      stop: () => { if (started) bar.stop(); },
    };
  }
  let total = 0;
  let done = 0;
  let printed = -1;
  let lastAt = 0;
  const startedAt = Date.now();
  const line = () => {
    const pct = total > 0 ? ` (${Math.floor((done / total) * 100)}%)` : '';
    stream.write(`${label}: ${done}/${total}${pct} ${((Date.now() - startedAt) / 1000).toFixed(1)}s\n`);
    printed = done;
    lastAt = Date.now();
  };
  return {
    start: (t) => { total = t; done = 0; line(); },
    update: (d, t) => {
      done = d;
      if (t !== undefined) total = t;
      if (Date.now() - lastAt >= 2000) line();
    },
    stop: () => { if (printed !== done) line(); },
  };
}
