import { parentPort, workerData } from 'node:worker_threads';
import { keysFromMaterial, sealTasks, sealTransports } from './seal-tasks.ts';
import type { SealTaskName, SealTransport, WorkerKeyMaterial } from './seal-tasks.ts';

/** A sealing worker thread: runs seal tasks beside the database writer on the main thread. */
const keys = keysFromMaterial(workerData as WorkerKeyMaterial);

parentPort!.on('message', (msg: { id: number; task: SealTaskName; input: never }) => {
  try {
    const output = sealTasks[msg.task](keys, msg.input);
    const transport = sealTransports[msg.task] as SealTransport<unknown> | undefined;
    if (transport) {
      const { packed, transfer } = transport.pack(output);
      parentPort!.postMessage({ id: msg.id, packed }, transfer);
    } else {
      parentPort!.postMessage({ id: msg.id, output });
    }
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : 'sealing failed' });
  }
});
