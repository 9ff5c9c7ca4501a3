// What ARM handlers get: the emulator's parts and the parsed request.

import type { DiskBackend } from '../disk-backend.js';
import type { ResolvedOptions } from '../defaults.js';
import type { FaultRegistry } from '../faults.js';
import { asObject, type HttpAnswer } from '../http-kit.js';
import type { LatencyKey, LatencyModel } from '../latency.js';
import { lroHeaders, type OperationRecord, type OperationRegistry, type PollingHeaders } from '../operations.js';
import type { ResourceStore } from '../resource-store.js';
import type { Variety } from '../variety.js';
import type { Throttling } from './throttling.js';
import type { ArmRoute } from './paths.js';

export interface ArmContext {
  options: ResolvedOptions;
  store: ResourceStore;
  backend: DiskBackend;
  operations: OperationRegistry;
  faults: FaultRegistry;
  latency: LatencyModel;
  /** Runs VM changes one after another (attach/detach of one VM never interleave). */
  vmQueue: <T>(task: () => Promise<T>) => Promise<T>;
  /** Canonical id of the emulated VM. */
  vmId: string;
  /** The VM's latest write operation (Azure runs one at a time per VM). */
  vmOps: { latest?: OperationRecord };
  /** Which of Azure's legal answers to give (polite: always the same; real: seeded choice). */
  variety: Variety;
  /** Compute's request budgets and (real mode) transient throttling. */
  throttling: Throttling;
}

export interface ArmRequest {
  method: string;
  route: ArmRoute;
  query: URLSearchParams;
  body: unknown;
  apiVersion: string;
  /** https://host:port as the client addressed us (used in polling URLs and nextLinks). */
  baseUrl: string;
  /** e.g. disks.createOrUpdate */
  operation: string;
  /** The request path as sent (nextLinks repeat it). */
  path?: string;
}

export interface LroSpec {
  key: LatencyKey;
  count?: number;
  /** Status of the initial answer (201/202/200). */
  status: number;
  body?: unknown;
  work: () => Promise<unknown>;
  onFailure?: (error: { code: string; message: string }) => Promise<void> | void;
  /** End the operation Failed with this error (a refusal Azure gives in the operation, not at the request). */
  failWith?: { code: string; message: string };
  /** Gets the operation record as soon as it exists. */
  onStart?: (op: OperationRecord) => void;
}

/**
 * Starts a long-running operation and answers as Azure may: with its polling headers (both, or the
 * one Azure uses for the verb), or, for quick operations, synchronously once the work is done (200
 * with the result). Polite mode always answers with both headers; real mode picks per request.
 */
export function startLro(ctx: ArmContext, req: ArmRequest, spec: LroSpec): HttpAnswer | Promise<HttpAnswer> {
  const fail = ctx.faults.takeFailLro(req.operation);
  const failWith = fail ? { code: fail.code ?? 'InternalExecutionError', message: fail.message ?? `Injected failure of ${req.operation}.` } : spec.failWith;
  const delayMs = ctx.latency.delayFor(spec.key, spec.count);
  const shape = lroShape(ctx, req, failWith !== undefined);
  const op = ctx.operations.start({ name: req.operation, delayMs, work: spec.work, onFailure: spec.onFailure, failWith });
  op.retryAfterSeconds = retryAfterSeconds(ctx, delayMs);
  op.polling = shape === 'sync' ? 'both' : shape;
  spec.onStart?.(op);
  if (shape === 'sync') {
    return op.settled.then((): HttpAnswer => {
      if (op.status === 'Succeeded') return req.method === 'DELETE' || op.output === undefined ? { status: 200 } : { status: 200, body: op.output };
      const error = op.error ?? { code: 'InternalOperationError', message: `operation ${op.id} ${op.status}` };
      return { status: error.code === 'Conflict' ? 409 : 400, body: { error } };
    });
  }
  const headers = lroHeaders(req.baseUrl, ctx.options.subscriptionId, ctx.options.location, op, req.apiVersion);
  return { status: spec.status, body: spec.body, headers };
}

/**
 * Which answer a request gets. Compute answers VM writes asynchronously, always with both headers
 * (POST results are read from Location); other PUT/PATCH may carry only Azure-AsyncOperation, DELETE
 * only Location, and quick operations of disks, snapshots, images and galleries may complete at once
 * (Azure/typespec-azure#16 lists the three header patterns ARM allows).
 */
function lroShape(ctx: ArmContext, req: ArmRequest, failing: boolean): 'sync' | PollingHeaders {
  if (ctx.variety.mode === 'polite') return 'both';
  const vm = req.operation.startsWith('virtualMachines.');
  const sync = !vm && !failing ? (['sync'] as const) : [];
  switch (req.method) {
    case 'PUT':
    case 'PATCH':
      return ctx.variety.pick(vm ? (['both', 'async'] as const) : (['both', 'async', ...sync] as const));
    case 'DELETE':
      return ctx.variety.pick(['both', 'location', ...sync] as const);
    default:
      return ctx.variety.pick(['both', ...sync] as const);
  }
}

/**
 * Retry-After of an operation expected to take `delayMs`: ARM's RPC guidance bounds it to 10 s - 10
 * min (Azure/azure-resource-manager-rpc, Addendum "202 Accepted and Location Headers"); the emulator
 * suggests polling about four times over the operation, within those bounds, scaled with
 * latencyScale. The instant profile answers 0 (poll at once).
 */
export function retryAfterSeconds(ctx: ArmContext, delayMs: number): number {
  const scale = ctx.options.latencyScale;
  if (ctx.options.latency !== 'azure' || scale <= 0) return 0;
  const azureSeconds = Math.min(600, Math.max(10, Math.ceil(delayMs / scale / 1000 / 4)));
  return Math.round(azureSeconds * scale);
}

/** The request body as an object (an absent body is an empty object). */
export function bodyObject(req: ArmRequest): Record<string, unknown> {
  return asObject(req.body) ?? {};
}

/** A serial queue: each task starts when the previous one settled. */
export function createSerialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
