// A host-wide lock held while choosing a LUN and attaching (parallel builds on one VM would otherwise
// pick the same LUN). It is a real flock(2) held by a `flock` child process: the kernel releases it
// when that child exits, and the child exits when our stdin pipe closes — also when we crash.

import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CancelledError, HostError } from '../errors.js';

export interface HostLock {
  release(): Promise<void>;
}

export interface LockOptions {
  signal?: AbortSignal;
  /** Give up after this long (default 10 min). */
  timeoutMs?: number;
  /** Called once if the lock is busy, so the user knows why nothing happens. */
  onWait?(): void;
}

/** Waits for the exclusive lock on `path` and returns a handle to release it. */
export async function acquireHostLock(path: string, options: LockOptions = {}): Promise<HostLock> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const timeoutMs = options.timeoutMs ?? 600_000;
  // The child prints "locked" once flock(2) succeeded, then holds the lock until its stdin closes.
  const child = spawn('flock', ['--exclusive', '--timeout', String(Math.ceil(timeoutMs / 1000)), path, '/bin/sh', '-c', 'echo locked; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // No answer within 200 ms almost always means another build holds the lock.
  const waitTimer = setTimeout(() => options.onWait?.(), 200);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.once('error', () => undefined);
  child.stdin.on('error', () => undefined);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const onAbort = (): void => void child.kill('SIGKILL');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const locked = await new Promise<boolean>((resolve, reject) => {
      child.stdout.once('data', () => resolve(true));
      child.once('error', (e) => reject(new HostError('AZC_HOST_LOCK', `cannot run flock to lock ${path}: ${e.message}`, { hint: 'install util-linux (it provides flock)' })));
      void exited.then(() => resolve(false));
    });
    if (!locked) {
      if (options.signal?.aborted) throw new CancelledError('interrupted while waiting for the attach lock');
      throw new HostError('AZC_HOST_LOCK', `could not lock ${path} within ${timeoutMs} ms${stderr ? `: ${stderr.trim()}` : ''}`, {
        hint: 'another azchroot build on this VM holds the lock; wait for it or check for a hung build',
      });
    }
  } finally {
    clearTimeout(waitTimer);
    options.signal?.removeEventListener('abort', onAbort);
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      child.stdin.end();
      await exited;
    },
  };
}

/** The lock under `stateDir` that every attach and detach on this VM holds. */
export function attachLockPath(stateDir: string): string {
  return join(stateDir, 'lock', 'attach.lock');
}
