// Runs fuzz cases in worker processes (one case at a time each, so CPU time is the case's own).
// A case still running after `hangMs` of wall time is recorded as slow and its worker replaced, so
// one hang cannot stop the run.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FuzzCase } from './mutations.js';
import type { CaseResult } from './fuzz-outcome.js';

export interface PoolOptions {
  workers: number;
  /** A case running longer than this is ended and counted as slow. */
  hangMs: number;
  onResult?: (c: FuzzCase, r: CaseResult) => void;
}

const WORKER = fileURLToPath(new URL('./fuzz-worker.js', import.meta.url));
// A memory bomb ends the worker (counted as internal), not the run.
const spawn = (): ChildProcess => fork(WORKER, [], { execArgv: ['--max-old-space-size=1536'], serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });

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
            worker.removeAllListeners('exit');
            worker.kill('SIGKILL');
            worker = spawn();
            resolve({ id: c.id, ms: o.hangMs, outcome: 'slow', message: `still running after ${o.hangMs} ms` });
          }, o.hangMs);
          worker.once('message', (m: CaseResult) => {
            clearTimeout(timer);
            worker.removeAllListeners('exit');
            resolve(m);
          });
          worker.once('exit', (code, signal) => {
            clearTimeout(timer);
            worker.removeAllListeners('message');
            worker = spawn();
            resolve({ id: c.id, ms: 0, outcome: 'internal', message: `the worker died (exit ${code}, ${signal ?? 'no signal'})` });
          });
          worker.send({ id: c.id, fileName: c.fileName, data: c.data });
        });
        results.push(r);
        o.onResult?.(c, r);
      }
    } finally {
      const last = worker;
      const exited = new Promise((resolve) => last.once('exit', resolve));
      last.send('stop');
      await exited;
    }
  };
  await Promise.all(Array.from({ length: o.workers }, lane));
  return results.sort((a, b) => a.id - b.id);
}
