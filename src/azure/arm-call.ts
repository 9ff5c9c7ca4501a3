// Running one ARM call: Azure's errors become AzureError (keeping Azure's code and text), Ctrl-C
// becomes CancelledError, and long-running operations wait with the configured interval and limit.

import type { OperationState, PollerLike } from '@azure/core-lro';
import { AzureError, CancelledError } from '../errors.js';
import { ArmCallError, type CallTarget } from './arm-error.js';
import type { OperationOptions } from './ports.js';
import type { RetryClock, RetryRunner } from './retry-policy.js';

/** Shared settings of one AzurePort. */
export interface CallSettings {
  /** The retry policy every operation runs under. */
  retry: RetryRunner;
  clock: RetryClock;
  /** LRO poll interval, ms. */
  pollIntervalMs: number;
  /** Limit for an LRO when the caller gives none, ms. */
  defaultTimeoutMs: number;
}

export { ArmCallError, retryAfterMs, type CallTarget, type FailureKind } from './arm-error.js';

/** Runs a plain (non-LRO) request; `notFound` is returned instead of throwing on HTTP 404. */
export async function call<T, N = never>(target: CallTarget, o: OperationOptions | undefined, run: (signal?: AbortSignal) => Promise<T>, notFound?: () => N): Promise<T | N> {
  try {
    return await run(o?.signal);
  } catch (err) {
    if (notFound && statusOf(err) === 404) return notFound();
    throw toAzchrootError(err, target, o?.signal);
  }
}

/** Starts an LRO with `start(options)` and waits for it, honouring signal and timeoutMs; 404 → `notFound()` when given. */
export async function callLro<T, N = never>(
  target: CallTarget,
  o: OperationOptions | undefined,
  settings: CallSettings,
  start: (options: { abortSignal: AbortSignal; updateIntervalInMs: number }) => PollerLike<OperationState<T>, T>,
  notFound?: () => N,
): Promise<T | N> {
  const timeoutMs = o?.timeoutMs ?? settings.defaultTimeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const abortSignal = AbortSignal.any(o?.signal ? [o.signal, timeout] : [timeout]);
  try {
    const poller = start({ abortSignal, updateIntervalInMs: settings.pollIntervalMs });
    // pollUntilDone's own signal also cuts the wait between polls short.
    return await poller.pollUntilDone({ abortSignal });
  } catch (err) {
    if (notFound && statusOf(err) === 404) return notFound();
    if (timeout.aborted && !o?.signal?.aborted) {
      throw new AzureError(`gave up after ${formatDuration(timeoutMs)} waiting for Azure to ${target.action} ${target.id}`, {
        azureCode: 'Timeout',
        hint: 'The operation may still finish in Azure: check the resource in the portal before retrying, and raise the time limit if it is legitimately slow.',
        cause: err,
      });
    }
    throw toAzchrootError(err, target, o?.signal);
  }
}

/** HTTP status of a RestError, if any. */
export function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Maps an SDK error to AzureError/CancelledError, keeping Azure's code and message. */
export function toAzchrootError(err: unknown, target: CallTarget, signal?: AbortSignal): Error {
  if (signal?.aborted) {
    return new CancelledError(`cancelled while waiting for Azure to ${target.action} ${target.id}`, { cause: err });
  }
  if (err instanceof AzureError || err instanceof CancelledError) return err;
  const e = err as { name?: string; code?: unknown; statusCode?: unknown; message?: string };
  const message = e?.message ?? String(err);
  const status = statusOf(err);
  if (e?.name === 'RestError' && status !== undefined) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    return new ArmCallError(`Azure refused to ${target.action} ${target.id}: ${code ? `${code}: ` : ''}${message}`, 'refused', {
      azureCode: code,
      statusCode: status,
      hint: hintFor(status, code),
      cause: err,
    });
  }
  if (e?.name === 'RestError') {
    // No HTTP status: the request never got an answer (DNS, TLS, connection refused).
    return new ArmCallError(`could not reach Azure to ${target.action} ${target.id}: ${message}`, 'noAnswer', {
      azureCode: typeof e.code === 'string' ? e.code : undefined,
      hint: 'Check the network path to the ARM endpoint (proxy, DNS, firewall) and try again.',
      cause: err,
    });
  }
  // core-lro reports a failed operation as "The long-running operation has failed. <code>. <message>".
  const lro = /^The long-running operation has failed\. ([^.\s]+)\. ([\s\S]*)$/.exec(message);
  if (lro) {
    return new ArmCallError(`Azure failed to ${target.action} ${target.id}: ${lro[1]}: ${lro[2]}`, 'operationFailed', { azureCode: lro[1], cause: err });
  }
  if (/long-running operation has failed/i.test(message)) {
    return new ArmCallError(`Azure failed to ${target.action} ${target.id}: the operation ended as Failed without details`, 'operationFailed', { cause: err });
  }
  if (message === 'Operation was canceled') {
    // core-lro's words for an operation that ended Canceled (Azure cancels a preempted operation).
    return new ArmCallError(`Azure canceled the operation to ${target.action} ${target.id}`, 'operationCanceled', { azureCode: 'OperationCanceled', cause: err });
  }
  if (e?.name === 'AbortError') {
    // Not the caller's signal (handled above): the per-request time limit of arm-clients.ts.
    return new ArmCallError(`Azure did not answer in time to ${target.action} ${target.id}`, 'noAnswer', {
      azureCode: 'RequestTimeout',
      hint: 'Azure (or the network path to it) is slow; the request is retried until the operation\'s deadline.',
      cause: err,
    });
  }
  if ((err as Error)?.name === 'AuthenticationError' || (err as Error)?.name === 'CredentialUnavailableError') {
    return new AzureError(`could not get an Azure token to ${target.action} ${target.id}: ${message}`, {
      azureCode: 'AuthenticationFailed',
      hint: 'Check the authentication settings (client_id, client_secret, tenant_id...) or the VM\'s managed identity.',
      cause: err,
    });
  }
  return new AzureError(`could not ${target.action} ${target.id}: ${message}`, { cause: err });
}

function hintFor(status: number, code: string | undefined): string | undefined {
  if (status === 401) return 'The token was refused: check tenant_id and the identity\'s credentials.';
  if (status === 403) return 'The identity lacks permission: grant it a role (e.g. Contributor) on the resource group or subscription.';
  if (code === 'SubscriptionNotFound') return 'Check subscription_id and that the identity can see that subscription.';
  return undefined;
}

function formatDuration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}
