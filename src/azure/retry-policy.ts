// The one retry policy of every ARM call. An attempt is one call (or one long-running operation
// waited for to its end); when it fails with something Azure itself says will pass, the whole
// attempt is made again after a back-off, until the operation's deadline:
// - HTTP 408, 429, 500, 502, 503, 504 and requests that got no answer (connection reset, our
//   per-request time limit). 429 and 503 wait what Retry-After says, capped.
// - HTTP 409 with the codes Azure uses for a concurrent operation on the same VM or disk.
// - Long-running operations that ended Failed (or Canceled) with a transient code: the operation
//   is issued again (every operation azchroot makes is a PUT, DELETE or idempotent POST).
// Anything else fails at once with Azure's code and message. The SDK's own retries are off
// (arm-clients.ts), so the two never multiply.

import { CancelledError } from '../errors.js';
import { ArmCallError, retryAfterMs, type CallTarget } from './arm-error.js';
import { sleep as timerSleep } from './sleep.js';

/** 409 codes of a concurrent operation on the VM or disk: the same request succeeds once it is over. */
export const RETRIABLE_CONFLICT_CODES: readonly string[] = [
  'Conflict', // "The request failed due to conflict with a concurrent request."
  'OperationNotAllowed', // "... is still in progress" / "wait for an ongoing one to complete"
  'AttachDiskWhileBeingDetached',
  'OperationPreempted',
  'AnotherOperationInProgress',
  'RetryableError',
];

/** Codes of a long-running operation that ended Failed but will succeed when issued again. */
export const RETRIABLE_OPERATION_CODES: readonly string[] = [
  'OperationPreempted', // "Operation execution has been preempted by a more recent operation."
  'InternalExecutionError',
  'InternalOperationError',
  'RetryableError', // "A retryable error occurred."
  'InternalServerError',
  'ServiceUnavailable',
  'AttachDiskWhileBeingDetached',
  'Conflict',
  'TooManyRequests',
];

/** HTTP statuses retried whatever their code. */
export const RETRIABLE_STATUSES: readonly number[] = [408, 429, 500, 502, 503, 504];

export interface RetrySettings {
  /** Time budget of one operation including every retry, ms. */
  deadlineMs: number;
  /** First back-off delay, ms (doubles each time, ±50 % jitter). */
  baseDelayMs: number;
  /** Longest back-off delay, ms. */
  maxDelayMs: number;
  /** Longest wait a Retry-After header may impose, ms. */
  maxRetryAfterMs: number;
  /** At most this many attempts (default: as many as the deadline allows). */
  maxAttempts?: number;
}

export const DEFAULT_RETRY_SETTINGS: RetrySettings = {
  deadlineMs: 10 * 60_000,
  baseDelayMs: 2000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 120_000,
};

/** Time and randomness, injectable so that tests run without real waits. */
export interface RetryClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

export const REAL_CLOCK: RetryClock = { now: () => Date.now(), sleep: timerSleep, random: Math.random };

/** What the policy makes of one failed attempt. */
export interface RetryDecision {
  retry: boolean;
  /** Why, for the debug log: `HTTP 503`, `409 OperationNotAllowed`, `operation ended OperationPreempted`. */
  reason: string;
  /** Server-requested wait (Retry-After), ms. */
  retryAfterMs?: number;
  /** A 409 conflict: the resource or VM is busy (deletes wait for it to settle first). */
  conflict?: boolean;
}

/** Classifies an error thrown by call()/callLro() (an AzchrootError keeping the SDK error as cause). */
export function classify(err: unknown): RetryDecision {
  if (err instanceof CancelledError) return { retry: false, reason: 'cancelled' };
  if (!(err instanceof ArmCallError)) return { retry: false, reason: 'not an ARM call error' };
  const cause = (err as { cause?: unknown }).cause;
  const status = err.statusCode;
  const code = err.azureCode;
  if (code === 'Timeout') return { retry: false, reason: 'operation time limit' };
  if (status !== undefined) {
    if (status === 409) {
      const retry = code !== undefined && RETRIABLE_CONFLICT_CODES.some((c) => c.toLowerCase() === code.toLowerCase());
      return { retry, reason: `409 ${code ?? ''}`.trim(), conflict: retry };
    }
    if (RETRIABLE_STATUSES.includes(status)) {
      const after = status === 429 || status === 503 ? retryAfterMs(cause) : undefined;
      return { retry: true, reason: `HTTP ${status}${code ? ` ${code}` : ''}`, ...(after !== undefined ? { retryAfterMs: after } : {}) };
    }
    return { retry: false, reason: `HTTP ${status}` };
  }
  if (err.failure === 'operationCanceled') return { retry: true, reason: 'operation ended Canceled' };
  if (err.failure === 'operationFailed') {
    const retry = code !== undefined && RETRIABLE_OPERATION_CODES.some((c) => c.toLowerCase() === code.toLowerCase());
    return { retry, reason: `operation ended ${code ?? 'Failed'}` };
  }
  if (err.failure === 'noAnswer') return { retry: true, reason: err.azureCode === 'RequestTimeout' ? 'no answer in time' : 'no answer' };
  return { retry: false, reason: 'unclassified' };
}

export interface RetryOptions {
  settings: RetrySettings;
  clock?: RetryClock;
  signal?: AbortSignal;
  /** Runs before each retry (after the back-off): e.g. wait for a busy resource to settle until `deadline` (clock ms). */
  beforeRetry?(decision: RetryDecision, err: unknown, deadline: number): Promise<void>;
  /** Told about each retry, for the debug log. */
  onRetry?(info: { attempt: number; waitMs: number; decision: RetryDecision; err: unknown }): void;
}

/** Runs `attempt` until it succeeds, fails for good, or the deadline would pass. */
export async function withRetry<T>(target: CallTarget, attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const clock = options.clock ?? REAL_CLOCK;
  const { settings, signal } = options;
  const start = clock.now();
  const deadline = start + settings.deadlineMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (signal?.aborted) throw asCancelled(err, target, signal);
      const decision = classify(err);
      if (!decision.retry) throw err;
      const backoff = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (n - 1)) * (0.5 + clock.random());
      const waitMs = Math.round(decision.retryAfterMs !== undefined ? Math.min(decision.retryAfterMs, settings.maxRetryAfterMs) : backoff);
      if (clock.now() + waitMs > deadline || (settings.maxAttempts !== undefined && n >= settings.maxAttempts)) {
        throw gaveUp(err, target, n, clock.now() - start);
      }
      options.onRetry?.({ attempt: n, waitMs, decision, err });
      try {
        await clock.sleep(waitMs, signal);
        await options.beforeRetry?.(decision, err, deadline);
      } catch (e) {
        if (signal?.aborted) throw asCancelled(e, target, signal);
        throw e;
      }
    }
  }
}

function asCancelled(err: unknown, target: CallTarget, _signal: AbortSignal): Error {
  if (err instanceof CancelledError) return err;
  return new CancelledError(`cancelled while waiting for Azure to ${target.action} ${target.id}`, { cause: err });
}

/** The last error, saying how long Azure was given. */
function gaveUp(err: unknown, _target: CallTarget, attempts: number, elapsedMs: number): Error {
  if (!(err instanceof ArmCallError)) return err as Error;
  const tail = attempts > 1 ? ` (gave up after ${attempts} attempts in ${formatDuration(elapsedMs)})` : '';
  return new ArmCallError(`${err.message}${tail}`, err.failure, {
    azureCode: err.azureCode,
    statusCode: err.statusCode,
    hint: err.hint ?? `Azure kept answering this way for ${formatDuration(elapsedMs)}; try again later, or give each Azure operation more time with AZCHROOT_AZURE_RETRY_DEADLINE_MS (ms).`,
    cause: err,
  });
}

function formatDuration(ms: number): string {
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  if (ms >= 1000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms)} ms`;
}

/** Runs one ARM operation under the policy; `beforeRetry` as in RetryOptions. */
export type RetryRunner = <T>(target: CallTarget, signal: AbortSignal | undefined, attempt: () => Promise<T>, beforeRetry?: RetryOptions['beforeRetry']) => Promise<T>;

/** A RetryRunner with fixed settings and clock; `log` gets one line per retry, with the attempt that failed. */
export function createRetryRunner(settings: RetrySettings, clock: RetryClock = REAL_CLOCK, log?: (line: string, attempt: number) => void): RetryRunner {
  return (target, signal, attempt, beforeRetry) => withRetry(target, attempt, {
    settings,
    clock,
    signal,
    beforeRetry,
    onRetry: log ? ({ attempt: n, waitMs, decision }) => log(`Azure: ${target.action} ${target.id}: attempt ${n} failed (${decision.reason}); retrying in ${waitMs} ms`, n) : undefined,
  });
}

/** Provisioning states of a resource that an operation is still changing. */
const BUSY_STATES = new Set(['creating', 'updating', 'deleting', 'pending', 'inprogress', 'migrating', 'accepted']);

/** True while an operation is still changing a resource in `state` (undefined: no state given). */
export function isBusy(state: string | undefined): boolean | undefined {
  return state === undefined ? undefined : BUSY_STATES.has(state.toLowerCase());
}

/**
 * Polls `readState` (the resource's provisioningState, undefined when it is gone) every `pollMs` until
 * it is no longer busy or `deadline` (clock ms) comes. A failed read ends the wait: the retry tells.
 */
export async function waitUntilSettled(readState: () => Promise<string | undefined>, o: { pollMs: number; deadline: number; clock?: RetryClock; signal?: AbortSignal }): Promise<void> {
  const clock = o.clock ?? REAL_CLOCK;
  for (;;) {
    let state: string | undefined;
    try {
      state = await readState();
    } catch {
      return;
    }
    if (state === undefined || !BUSY_STATES.has(state.toLowerCase())) return;
    if (clock.now() + o.pollMs > o.deadline) return;
    await clock.sleep(o.pollMs, o.signal);
  }
}
