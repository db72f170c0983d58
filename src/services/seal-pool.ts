import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { materialOf, sealTasks, sealTransports } from './seal-tasks.ts';
import type { RootKey } from '../crypto/index.ts';
import type { SealTaskInput, SealTaskName, SealTaskOutput, SealTransport, WorkerKeys } from './seal-tasks.ts';

/** Buffers cross a thread as Uint8Array; turn them back into Buffers (no copy) for the drivers. */
function revive(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i]);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = revive(o[k]);
  }
  return value;
}

interface Pending { task: SealTaskName; resolve: (v: unknown) => void; reject: (e: Error) => void }

/**
 * Runs seal tasks on worker threads so that encryption overlaps the database writes of the main
 * thread. With `size` 0 tasks run inline (same results, no overlap). Results come back per call;
 * callers keep a few batches in flight and consume them in order.
 */
export class SealPool {
  readonly #workers: Worker[] = [];
  readonly #pending = new Map<number, Pending>();
  #closing = false;
  #next = 0;
  #rr = 0;

  #broken: Error | null = null;

  /** The root key the workers wrap new data keys with, for the pool's whole life (see key-currency.ts). */
  get sealingRoot(): RootKey {
    return this.keys.root;
  }

  constructor(private readonly keys: WorkerKeys, size = SealPool.defaultSize()) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./seal-worker.entry.mjs', import.meta.url), { workerData: materialOf(keys) });
      w.on('message', (msg: { id: number; output?: unknown; packed?: unknown; error?: string }) => {
        const p = this.#pending.get(msg.id);
        if (!p) return;
        this.#pending.delete(msg.id);
        if (msg.error !== undefined) {
          p.reject(new Error(`sealing worker: ${msg.error}`));
          return;
        }
        try {
          // Packed outputs (seal-transport.ts) come back as a few arrays; the others as posted.
          p.resolve(msg.packed !== undefined ? (sealTransports[p.task] as SealTransport<unknown>).unpack(msg.packed) : revive(msg.output));
        } catch (e) {
          p.reject(e as Error);
        }
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => { if (!this.#closing) this.fail(new Error(`sealing worker exited with code ${code}`)); });
      this.#workers.push(w);
    }
  }

  /** One worker beside the main thread on small machines; EPIVAULT_SEAL_WORKERS overrides (0 = inline). */
  static defaultSize(): number {
    const env = process.env.EPIVAULT_SEAL_WORKERS;
    if (env !== undefined && /^\d+$/.test(env)) return Number(env);
    return Math.max(1, Math.min(4, availableParallelism() - 1));
  }

  get size(): number {
    return this.#workers.length;
  }

  run<T extends SealTaskName>(task: T, input: SealTaskInput<T>): Promise<SealTaskOutput<T>> {
    if (this.#workers.length === 0) {
      try {
        return Promise.resolve(sealTasks[task](this.keys, input as never) as SealTaskOutput<T>);
      } catch (e) {
        return Promise.reject(e as Error);
      }
    }
    if (this.#broken) return Promise.reject(this.#broken);
    const id = this.#next++;
    const worker = this.#workers[this.#rr++ % this.#workers.length]!;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { task, resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, task, input });
    });
  }

  /** A worker failed: every pending and later call rejects (a batch is never silently lost). */
  private fail(e: Error): void {
    this.#broken ??= e;
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#workers.map((w) => w.terminate()));
    this.#workers.length = 0;
  }
}
