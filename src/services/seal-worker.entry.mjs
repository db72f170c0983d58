// Worker-thread entry for the seal pool. On Node 20 a worker does not inherit ESM loader hooks
// (execArgv `--import tsx` is ignored for workers), so the worker registers tsx itself before
// loading the TypeScript worker module.
import { register } from 'tsx/esm/api';

register();
await import('./seal-worker.ts');
