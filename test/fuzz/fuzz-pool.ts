// Runs fuzz cases on worker threads. A case still running after `hangMs` is recorded as slow and
// its worker is replaced, so one hang cannot stop the run.

import { Worker } from 'node:worker_threads';
import type { FuzzCase } from './mutations.js';
import type { CaseResult } from './fuzz-outcome.js';

export interface PoolOptions {
  workers: number;
  /** A case running longer than this is ended and counted as slow. */
  hangMs: number;
  onResult?: (c: FuzzCase, r: CaseResult) => void;
}

const WORKER = new URL('./fuzz-worker.js', import.meta.url);
// A memory bomb ends the worker (ERR_WORKER_OUT_OF_MEMORY, counted as internal), not the run.
const spawn = (): Worker => new Worker(WORKER, { resourceLimits: { maxOldGenerationSizeMb: 1536 } });

/** Validates every case; resolves with the results in case order. */
export async function runPool(cases: Iterable<FuzzCase>, o: PoolOptions): Promise<CaseResult[]> {
  const it = cases[Symbol.iterator]();
  const results: CaseResult[] = [];
  // The HCL parse cache would fill the user's cache directory with thousands of entries.
  process.env.AZCHROOT_CACHE_DIR = 'off';
  const lane = async (): Promise<void> => {
    let worker = spawn();
    try {
      for (let next = it.next(); !next.done; next = it.next()) {
        const c = next.value;
        const r = await new Promise<CaseResult>((resolve) => {
          const timer = setTimeout(() => {
            worker.removeAllListeners('message');
            worker.removeAllListeners('error');
            void worker.terminate();
            worker = spawn();
            resolve({ id: c.id, ms: o.hangMs, outcome: 'slow', message: `still running after ${o.hangMs} ms` });
          }, o.hangMs);
          worker.once('message', (m: CaseResult) => {
            clearTimeout(timer);
            worker.removeAllListeners('error');
            resolve(m);
          });
          worker.once('error', (err) => {
            clearTimeout(timer);
            worker.removeAllListeners('message');
            worker = spawn();
            resolve({ id: c.id, ms: 0, outcome: 'internal', message: `worker died: ${err.stack ?? err.message}` });
          });
          worker.postMessage({ id: c.id, fileName: c.fileName, data: c.data });
        });
        results.push(r);
        o.onResult?.(c, r);
      }
    } finally {
      worker.postMessage('stop');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
  };
  await Promise.all(Array.from({ length: o.workers }, lane));
  return results.sort((a, b) => a.id - b.id);
}
