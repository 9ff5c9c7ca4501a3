// Temporary directories and cleanup stacks for tests: everything is undone when the test ends,
// passed or failed, in reverse order of creation (node:test runs t.after hooks first-in first-out).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AfterHook {
  after(fn: () => unknown): void;
}

export type Defer = (fn: () => unknown) => void;

const stacks = new WeakMap<AfterHook, Array<() => unknown>>();

/** Returns `defer(fn)` for test `t`: all deferred functions run after the test, last-in first-out, even if some fail. */
export function deferStack(t: AfterHook): Defer {
  let stack = stacks.get(t);
  if (!stack) {
    const fns: Array<() => unknown> = [];
    stack = fns;
    stacks.set(t, fns);
    t.after(async () => {
      let first: unknown;
      while (fns.length > 0) {
        const fn = fns.pop();
        try {
          await fn?.();
        } catch (err) {
          first ??= err;
        }
      }
      if (first !== undefined) throw first;
    });
  }
  const target = stack;
  return (fn) => {
    target.push(fn);
  };
}

/** Creates a temp dir that is removed after the test (after everything deferred later). */
export async function makeTempDir(t: AfterHook, prefix = 'azc-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  deferStack(t)(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
