// The AzurePort implemented with @azure/arm-compute 24.1.0.

import type { TokenCredential } from '@azure/core-auth';
import type { CallSettings } from './arm-call.js';
import { createClientCache } from './arm-clients.js';
import { diskOperations } from './arm-disks.js';
import { galleryOperations } from './arm-gallery.js';
import { vmOperations } from './arm-vm.js';
import type { AzurePort } from './ports.js';
import { createRetryRunner, DEFAULT_RETRY_SETTINGS, REAL_CLOCK, type RetryClock, type RetrySettings } from './retry-policy.js';

export interface AzurePortOptions {
  credential: TokenCredential;
  /** Subscription used for platform images; other calls use their resource id's subscription. */
  subscriptionId: string;
  /** ARM base URL; default https://management.azure.com. */
  endpoint?: string;
  /** PEM of an extra CA to trust (the emulator's); replaces the default roots for ARM calls. */
  ca?: string | Buffer;
  /** ARM token scope; default https://management.azure.com/.default. */
  scope?: string;
  /** LRO poll interval, ms (default 5000; use ~20 against the emulator). */
  pollIntervalMs?: number;
  /** SDK retries of throttled and 5xx requests (default 0: the retry policy below does it). */
  maxRetries?: number;
  /** Limit for one LRO when the caller gives none, ms (default 30 min). */
  defaultTimeoutMs?: number;
  /** Limit for one HTTP request, ms (default 120 s). */
  requestTimeoutMs?: number;
  /** The retry policy of every call (retry-policy.ts); unset fields keep their defaults. */
  retry?: Partial<RetrySettings>;
  /** Shorthands kept for callers: first back-off delay (retry.baseDelayMs), and retries after the first attempt (retry.maxAttempts - 1). */
  retryBaseMs?: number;
  conflictRetries?: number;
  /** Time source of the retry policy (tests). */
  clock?: RetryClock;
  /** One line per retry, with the attempt that failed. */
  log?: (line: string, attempt: number) => void;
}

/** An AzurePort talking to ARM with one lazily created client per subscription. */
export function createAzurePort(options: AzurePortOptions): AzurePort {
  const clientFor = createClientCache(options);
  const retrySettings: RetrySettings = {
    ...DEFAULT_RETRY_SETTINGS,
    ...(options.retryBaseMs !== undefined ? { baseDelayMs: options.retryBaseMs } : {}),
    ...(options.conflictRetries !== undefined ? { maxAttempts: options.conflictRetries + 1 } : {}),
    ...options.retry,
  };
  const clock = options.clock ?? REAL_CLOCK;
  const settings: CallSettings = {
    pollIntervalMs: options.pollIntervalMs ?? 5000,
    defaultTimeoutMs: options.defaultTimeoutMs ?? 30 * 60_000,
    clock,
    retry: createRetryRunner(retrySettings, clock, options.log),
  };
  return {
    ...diskOperations(clientFor, settings),
    ...galleryOperations(clientFor, options.subscriptionId, settings),
    ...vmOperations(clientFor, settings),
  };
}
