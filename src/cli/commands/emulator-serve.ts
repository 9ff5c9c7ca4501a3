// `azchroot emulator serve`: runs the Azure emulator in the foreground until SIGINT/SIGTERM.

import { readFileSync } from 'node:fs';
import type { FaultRule, LatencyProfile } from '../../emulator/api.js';
import { startEmulator } from '../../emulator/index.js';
import { UsageError } from '../../errors.js';

export interface ServeOptions {
  state: string;
  armListen?: string;
  imdsListen?: string;
  devroot?: string;
  latency?: string;
  latencyScale?: number;
  /** Path of a JSON file with FaultRule[]. */
  faults?: string;
  location?: string;
  subscriptionId?: string;
  tenantId?: string;
  resourceGroup?: string;
  vmName?: string;
  zone?: string;
  tokenLifetimeSeconds?: number;
  listPageSize?: number;
  azureMode?: string;
  seed?: number;
  linkDelay?: number;
  /** Stops the server like a signal would (for embedding and tests). */
  signal?: AbortSignal;
}

function readFaults(path: string): FaultRule[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read fault rules from ${path}: ${(e as Error).message}`, { hint: 'give a JSON file holding an array of fault rules' });
  }
  if (!Array.isArray(parsed)) throw new UsageError(`${path} must hold a JSON array of fault rules, got ${typeof parsed}`);
  return parsed as FaultRule[];
}

/** Starts the emulator, prints one ready line, serves until SIGINT/SIGTERM (or `signal`), then stops cleanly. */
export async function serveCommand(opts: ServeOptions): Promise<void> {
  const latency = opts.latency ?? 'instant';
  if (latency !== 'instant' && latency !== 'azure') throw new UsageError(`--latency must be "instant" or "azure", got "${latency}"`);
  if (opts.latencyScale !== undefined && !(opts.latencyScale >= 0)) throw new UsageError(`--latency-scale must be a number >= 0, got ${opts.latencyScale}`);
  const faults = opts.faults ? readFaults(opts.faults) : undefined;
  const azureMode = opts.azureMode ?? process.env.AZCHROOT_EMULATOR_AZURE_MODE;
  if (azureMode !== undefined && azureMode !== 'polite' && azureMode !== 'real') throw new UsageError(`--azure-mode must be "polite" or "real", got "${azureMode}"`);
  const seedText = opts.seed ?? process.env.AZCHROOT_EMULATOR_SEED;
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number, got "${String(seedText)}"`);
  if (opts.linkDelay !== undefined && !(Number.isInteger(opts.linkDelay) && opts.linkDelay >= 0)) throw new UsageError(`--link-delay must be a whole number of ms >= 0, got ${opts.linkDelay}`);
  let emulator;
  try {
    emulator = await startEmulator({
      stateDir: opts.state,
      armListen: opts.armListen,
      imdsListen: opts.imdsListen,
      devroot: opts.devroot,
      latency: latency as LatencyProfile,
      latencyScale: opts.latencyScale,
      faults,
      location: opts.location,
      subscriptionId: opts.subscriptionId,
      tenantId: opts.tenantId,
      resourceGroup: opts.resourceGroup,
      vmName: opts.vmName,
      zone: opts.zone,
      tokenLifetimeSeconds: opts.tokenLifetimeSeconds,
      listPageSize: opts.listPageSize,
      azureMode: azureMode as 'polite' | 'real' | undefined,
      seed,
      linkDelayMs: opts.linkDelay,
      quiet: false,
    });
  } catch (e) {
    if (e instanceof TypeError) throw new UsageError(e.message, { cause: e });
    throw e;
  }
  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      opts.signal?.removeEventListener('abort', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (opts.signal?.aborted) done();
    else opts.signal?.addEventListener('abort', done, { once: true });
  });
  await emulator.stop();
}
