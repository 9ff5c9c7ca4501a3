// Emulator options with their defaults filled in.

import { resolve } from 'node:path';
import type { EmulatorOptions, FaultRule, LatencyProfile } from './api.js';
import type { AzureMode } from './variety.js';

/** Knobs beyond the public contract, for tests and the serve command. */
export interface EmulatorTuning {
  /** Items per page of list operations (gallery image versions); default 100. */
  listPageSize?: number;
  /** Clock skew ARM and Entra allow on token times, seconds; default 300 (Azure's). */
  tokenClockSkewSeconds?: number;
  /** Also write <state>/traffic.jsonl: every ARM request and answer with bodies (tests; sign-in traffic is left out). */
  recordTraffic?: boolean;
}

export interface ListenAddress {
  host: string;
  port: number;
}

export interface ResolvedOptions {
  stateDir: string;
  armListen: ListenAddress;
  imdsListen: ListenAddress;
  devroot: string;
  subscriptionId: string;
  tenantId: string;
  resourceGroup: string;
  vmName: string;
  location: string;
  zone?: string;
  latency: LatencyProfile;
  latencyScale: number;
  tokenLifetimeSeconds: number;
  faults: FaultRule[];
  quiet: boolean;
  listPageSize: number;
  azureMode: AzureMode;
  seed: number;
  vmConcurrency?: 'refuse' | 'preempt';
  /** Delay before device links appear after an attach (udev's work), ms. */
  linkDelayMs: number;
  tokenClockSkewSeconds: number;
  recordTraffic: boolean;
  directory: import('./identity/directory.js').DirectoryEntries;
}

/** Fills in defaults and checks values; throws a TypeError naming a bad value. */
export function resolveOptions(options: EmulatorOptions & EmulatorTuning): ResolvedOptions {
  const stateDir = resolve(options.stateDir);
  const latency = options.latency ?? 'instant';
  if (latency !== 'instant' && latency !== 'azure') throw new TypeError(`latency profile must be "instant" or "azure", got "${String(latency)}"`);
  const pageSize = options.listPageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new TypeError(`listPageSize must be a positive integer, got ${pageSize}`);
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  if (options.azureMode !== undefined && options.azureMode !== 'polite' && options.azureMode !== 'real') {
    throw new TypeError(`azureMode must be "polite" or "real", got "${String(options.azureMode)}"`);
  }
  if (options.vmConcurrency !== undefined && options.vmConcurrency !== 'refuse' && options.vmConcurrency !== 'preempt') {
    throw new TypeError(`vmConcurrency must be "refuse" or "preempt", got "${String(options.vmConcurrency)}"`);
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new TypeError(`seed must be a whole number, got ${options.seed}`);
  if (options.linkDelayMs !== undefined && !(Number.isInteger(options.linkDelayMs) && options.linkDelayMs >= 0)) {
    throw new TypeError(`linkDelayMs must be a whole number of ms >= 0, got ${options.linkDelayMs}`);
  }
  if (!(lifetime > 0)) throw new TypeError(`tokenLifetimeSeconds must be > 0, got ${lifetime}`);
  return {
    stateDir,
    armListen: parseListen(options.armListen ?? '127.0.0.1:0', 'armListen'),
    imdsListen: parseListen(options.imdsListen ?? '127.0.0.1:0', 'imdsListen'),
    devroot: resolve(options.devroot ?? `${stateDir}/dev`),
    subscriptionId: options.subscriptionId ?? '00000000-0000-0000-0000-000000000001',
    tenantId: options.tenantId ?? '00000000-0000-0000-0000-0000000000aa',
    resourceGroup: options.resourceGroup ?? 'azchroot-rg',
    vmName: options.vmName ?? 'golden-vm',
    location: options.location ?? 'westeurope',
    zone: options.zone,
    latency,
    latencyScale: options.latencyScale ?? 1,
    tokenLifetimeSeconds: lifetime,
    faults: options.faults ?? [],
    quiet: options.quiet ?? false,
    listPageSize: pageSize,
    azureMode: options.azureMode ?? 'polite',
    seed: options.seed ?? 1,
    vmConcurrency: options.vmConcurrency,
    linkDelayMs: options.linkDelayMs ?? 0,
    tokenClockSkewSeconds: options.tokenClockSkewSeconds ?? 300,
    recordTraffic: options.recordTraffic ?? false,
    directory: options.directory ?? {},
  };
}

/** Parses `host:port`, `[v6]:port` or `port`. */
export function parseListen(value: string, what: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value) ?? /^()()(\d+)$/.exec(value);
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`${what} must be host:port (e.g. 127.0.0.1:0), got "${value}"`);
  }
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

/** The URL host part clients should use for a listen address (wildcards become loopback). */
export function advertisedHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
