// What ARM handlers get: the emulator's parts and the parsed request.

import type { DiskBackend } from '../disk-backend.js';
import type { ResolvedOptions } from '../defaults.js';
import type { FaultRegistry } from '../faults.js';
import { asObject, type HttpAnswer } from '../http-kit.js';
import type { LatencyKey, LatencyModel } from '../latency.js';
import { lroHeaders, type OperationRecord, type OperationRegistry } from '../operations.js';
import type { ResourceStore } from '../resource-store.js';
import type { Variety } from '../variety.js';
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

/** Starts a long-running operation and answers with its polling headers. */
export function startLro(ctx: ArmContext, req: ArmRequest, spec: LroSpec): HttpAnswer {
  const fail = ctx.faults.takeFailLro(req.operation);
  const op = ctx.operations.start({
    name: req.operation,
    delayMs: ctx.latency.delayFor(spec.key, spec.count),
    work: spec.work,
    onFailure: spec.onFailure,
    failWith: fail ? { code: fail.code ?? 'InternalExecutionError', message: fail.message ?? `Injected failure of ${req.operation}.` } : spec.failWith,
  });
  spec.onStart?.(op);
  const headers = lroHeaders(req.baseUrl, ctx.options.subscriptionId, ctx.options.location, op, req.apiVersion);
  return { status: spec.status, body: spec.body, headers };
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
