/** Progress lines on stderr (at most one every few seconds) and small formatting helpers for benches. */
import { performance } from 'node:perf_hooks';

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export class ProgressLine {
  readonly #label: string;
  readonly #total: number;
  readonly #every: number;
  readonly #started = performance.now();
  #last = performance.now();

  constructor(label: string, total: number, everyMs = 5000) {
    this.#label = label;
    this.#total = total;
    this.#every = everyMs;
  }

  update(done: number): void {
    const now = performance.now();
    if (now - this.#last < this.#every) return;
    this.#last = now;
    const s = (now - this.#started) / 1000;
    log(`  ${this.#label}: ${fmt(done)}/${fmt(this.#total)} rows (${Math.floor((done / this.#total) * 100)}%), ${s.toFixed(0)} s, ${fmt(done / s)} rows/s`);
  }
}
