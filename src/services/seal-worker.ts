import { parentPort, workerData } from 'node:worker_threads';
import { keysFromMaterial, sealTasks } from './seal-tasks.ts';
import type { SealTaskName, WorkerKeyMaterial } from './seal-tasks.ts';

/** A sealing worker thread: runs seal tasks beside the database writer on the main thread. */
const keys = keysFromMaterial(workerData as WorkerKeyMaterial);

parentPort!.on('message', (msg: { id: number; task: SealTaskName; input: never }) => {
  try {
    const output = sealTasks[msg.task](keys, msg.input);
    parentPort!.postMessage({ id: msg.id, output });
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : 'sealing failed' });
  }
});
