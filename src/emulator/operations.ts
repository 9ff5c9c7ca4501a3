// Long-running operations. A mutating request starts an operation: after its latency the work
// runs (data copied, loop device attached...); a poll after the latency waits for the work, so
// state changes are done before the status says Succeeded.

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ArmError, type HttpAnswer } from './http-kit.js';

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';

export interface OperationRecord {
  id: string;
  name: string;
  startTime: string;
  endTime?: string;
  status: OperationStatus;
  error?: { code: string; message: string };
  /** Body for the Location (monitor) URL once done: the resource, or a POST's result. */
  output?: unknown;
  readyAt: number;
  settled: Promise<void>;
  /** Set when a newer operation on the same VM preempted this one; its status is then final. */
  preempted?: boolean;
  /** Retry-After (seconds) the initial answer and the polls carry; 0 when absent. */
  retryAfterSeconds?: number;
  /** Which polling headers the initial answer carries (Azure uses all three patterns). */
  polling?: PollingHeaders;
}

/** Azure-AsyncOperation only, Location only, or both (Azure/typespec-azure#16: the three ARM patterns). */
export type PollingHeaders = 'both' | 'async' | 'location';

/**
 * Azure's answer for an operation a newer one on the same VM replaced. It can reach a client as the
 * final status of an operation whose first answer was HTTP 200 (kubernetes-sigs/cloud-provider-azure#1356:
 * "httpStatusCode 200, resultCode OperationPreempted, Operation execution has been preempted by a more
 * recent operation."; the same text in osbuild/osbuild-composer#1447).
 */
export const PREEMPTED = { code: 'OperationPreempted', message: 'Operation execution has been preempted by a more recent operation.' } as const;

export interface StartOptions {
  /** Operation name for the status body, e.g. disks.createOrUpdate. */
  name: string;
  delayMs: number;
  /** Does the state change; resolves to the monitor output. */
  work: () => Promise<unknown>;
  /** End as Failed with this error instead of running `work` (fault injection). */
  failWith?: { code: string; message: string };
  /** Runs after a failure (e.g. mark the resource Failed). */
  onFailure?: (error: { code: string; message: string }) => Promise<void> | void;
}

export interface OperationRegistry {
  start(options: StartOptions): OperationRecord;
  get(id: string): OperationRecord | undefined;
  /** Ends `id` at once as Failed with OperationPreempted; its work still runs (the newer operation relies on it being idempotent). */
  preempt(id: string): void;
  /** Status as seen by a poll now: waits for the work when the latency has passed. */
  poll(id: string): Promise<OperationRecord | undefined>;
  /** Cancels pending delays and waits for running work. */
  drain(): Promise<void>;
}

/** An in-memory registry (operations do not survive a restart). */
export function createOperationRegistry(): OperationRegistry {
  const ops = new Map<string, OperationRecord>();
  const abort = new AbortController();
  return {
    start(options) {
      const op: OperationRecord = {
        id: randomUUID(),
        name: options.name,
        startTime: new Date().toISOString(),
        status: 'InProgress',
        readyAt: Date.now() + options.delayMs,
        settled: Promise.resolve(),
      };
      op.settled = (async () => {
        // The caller gets the record (and registers it, e.g. as the VM's latest operation) before
        // the operation can settle: an instant failure must not run onFailure against a stale view.
        await Promise.resolve();
        try {
          if (options.delayMs > 0) await sleep(options.delayMs, undefined, { signal: abort.signal });
          if (options.failWith) throw new ArmError(500, options.failWith.code, options.failWith.message);
          const output = await options.work();
          if (op.preempted) return;
          op.output = output;
          op.status = 'Succeeded';
        } catch (e) {
          if (op.preempted) return;
          const canceled = abort.signal.aborted;
          op.status = canceled ? 'Canceled' : 'Failed';
          op.error = e instanceof ArmError ? { code: e.code, message: e.message } : { code: canceled ? 'OperationCanceled' : 'InternalOperationError', message: String((e as Error)?.message ?? e) };
          try {
            await options.onFailure?.(op.error);
          } catch {
            // The failure is already recorded; a failing cleanup must not hide it.
          }
        } finally {
          op.endTime ??= new Date().toISOString();
        }
      })();
      ops.set(op.id, op);
      return op;
    },
    get: (id) => ops.get(id.toLowerCase()),
    preempt(id) {
      const op = ops.get(id.toLowerCase());
      if (!op || op.status !== 'InProgress') return;
      op.preempted = true;
      op.status = 'Failed';
      op.error = { ...PREEMPTED };
      op.endTime = new Date().toISOString();
    },
    async poll(id) {
      const op = ops.get(id.toLowerCase());
      if (!op) return undefined;
      if (op.status === 'InProgress' && Date.now() >= op.readyAt) await op.settled;
      return op;
    },
    async drain() {
      abort.abort();
      await Promise.all([...ops.values()].map((o) => o.settled));
    },
  };
}

/** The Azure-AsyncOperation status body. */
export function statusBody(op: OperationRecord): Record<string, unknown> {
  const body: Record<string, unknown> = { name: op.id, status: op.status, startTime: op.startTime };
  if (op.endTime && op.status !== 'InProgress') body.endTime = op.endTime;
  if (op.error) body.error = op.error;
  if (op.status === 'Succeeded' && op.output !== undefined) body.properties = { output: op.output };
  return body;
}

/** The status URL of an operation (Azure-AsyncOperation; with &monitor=true, the Location URL). */
export function operationUrl(baseUrl: string, subscriptionId: string, location: string, op: OperationRecord, apiVersion: string): string {
  return `${baseUrl}/subscriptions/${subscriptionId}/providers/Microsoft.Compute/locations/${encodeURIComponent(location)}/operations/${op.id}?api-version=${encodeURIComponent(apiVersion)}`;
}

/** Headers that make a response an LRO for both @azure/core-lro and go-autorest. */
export function lroHeaders(baseUrl: string, subscriptionId: string, location: string, op: OperationRecord, apiVersion: string): Record<string, string> {
  const url = operationUrl(baseUrl, subscriptionId, location, op, apiVersion);
  // Retry-After must be an integer (go-autorest panics otherwise); 0 makes Packer poll at once.
  const headers: Record<string, string> = { 'Retry-After': String(op.retryAfterSeconds ?? 0) };
  const polling = op.polling ?? 'both';
  if (polling !== 'location') headers['Azure-AsyncOperation'] = url;
  if (polling !== 'async') headers.Location = `${url}&monitor=true`;
  return headers;
}

/** Answer of a poll on the status URL (monitor=false) or the Location URL (monitor=true). */
export function pollAnswer(op: OperationRecord, monitor: boolean, statusUrl: string): HttpAnswer {
  if (!monitor) {
    return { status: 200, body: statusBody(op), headers: op.status === 'InProgress' ? { 'Retry-After': String(op.retryAfterSeconds ?? 0) } : {} };
  }
  if (op.status === 'InProgress') return { status: 202, headers: { Location: `${statusUrl}&monitor=true`, 'Retry-After': String(op.retryAfterSeconds ?? 0) } };
  // 200 even without a result: @azure/arm-compute checks final-GET statuses against 200/201/202 for POSTs.
  if (op.status === 'Succeeded') return op.output === undefined ? { status: 200 } : { status: 200, body: op.output };
  return { status: 400, body: { error: op.error ?? { code: 'OperationFailed', message: `operation ${op.id} ${op.status}` } } };
}
