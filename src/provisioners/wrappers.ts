// Packer's provisioner wrappers, in Packer's order: pause_before, else timeout (ignored when a pause
// is set), then max_retries around that. Everything stops at once when the build is cancelled.

import { setTimeout as sleep } from 'node:timers/promises';
import { AzchrootError, CancelledError } from '../errors.js';
import type { ProvisionerCommon } from '../config/model.js';
import type { Reporter } from '../report/reporter.js';

/** One attempt of a provisioner, cancelled through `signal`. */
export type Attempt = (signal: AbortSignal) => Promise<void>;

export interface WrapOptions {
  reporter: Reporter;
  step: string;
  /** The build's cancellation signal. */
  signal: AbortSignal;
  /** Delay between retries (Packer: 2 s). */
  retryDelayMs?: number;
}

/** Formats milliseconds like Go's time.Duration: `500ms`, `10s`, `1m30s`, `1h0m0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = `${(ms % 60_000) / 1000}s`;
  if (h > 0) return `${h}h${m}m${s}`;
  if (m > 0) return `${m}m${s}`;
  return s;
}

/** Runs `attempt` with the pause/timeout/retry behaviour of `common`; throws CancelledError when `signal` fires. */
export async function runWrapped(common: ProvisionerCommon, attempt: Attempt, o: WrapOptions): Promise<void> {
  const once = async (): Promise<void> => {
    if (common.pauseBeforeMs && common.pauseBeforeMs > 0) {
      o.reporter.say(`Pausing ${formatDuration(common.pauseBeforeMs)} before the next provisioner...`, o.step);
      await cancellableSleep(common.pauseBeforeMs, o.signal);
      return guard(() => attempt(o.signal), o.signal);
    }
    if (common.timeoutMs && common.timeoutMs > 0) return withTimeout(common.timeoutMs, attempt, o);
    return guard(() => attempt(o.signal), o.signal);
  };

  let left = common.maxRetries;
  for (;;) {
    try {
      await once();
      return;
    } catch (err) {
      if (o.signal.aborted || err instanceof CancelledError || left <= 0) throw err;
      left -= 1;
      o.reporter.say(`Provisioner failed with "${(err as Error).message}", retrying with ${left} trie(s) left`, o.step);
      await cancellableSleep(o.retryDelayMs ?? 2000, o.signal);
    }
  }
}

async function withTimeout(ms: number, attempt: Attempt, o: WrapOptions): Promise<void> {
  o.reporter.say(`Setting a ${formatDuration(ms)} timeout for the next provisioner...`, o.step);
  const timer = new AbortController();
  const handle = setTimeout(() => timer.abort(), ms);
  try {
    await guard(() => attempt(AbortSignal.any([o.signal, timer.signal])), o.signal);
  } catch (err) {
    if (timer.signal.aborted && !o.signal.aborted) {
      o.reporter.error('Cancelling provisioner after a timeout...', o.step);
      throw new AzchrootError('AZC_PROVISIONER_TIMEOUT', `the provisioner did not finish within its timeout of ${formatDuration(ms)}`, 'user', {
        hint: 'raise "timeout" on this provisioner, or find out why it hangs (its output is above)',
        cause: err,
      });
    }
    throw err;
  } finally {
    clearTimeout(handle);
  }
}

/** Turns any failure that happens because the build was cancelled into a CancelledError. */
async function guard(run: () => Promise<void>, signal: AbortSignal): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (signal.aborted && !(err instanceof CancelledError)) throw new CancelledError(undefined, { cause: err });
    throw err;
  }
  if (signal.aborted) throw new CancelledError();
}

async function cancellableSleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (err) {
    if (signal.aborted) throw new CancelledError(undefined, { cause: err });
    throw err;
  }
}
