// The AzurePort implemented with @azure/arm-compute 24.1.0.

import type { TokenCredential } from '@azure/core-auth';
import type { CallSettings } from './arm-call.js';
import { createClientCache } from './arm-clients.js';
import { diskOperations } from './arm-disks.js';
import { galleryOperations } from './arm-gallery.js';
import { vmOperations } from './arm-vm.js';
import type { AzurePort } from './ports.js';

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
  /** SDK retries of throttled and 5xx requests (default 3). */
  maxRetries?: number;
  /** Limit for an LRO when the caller gives none, ms (default 30 min). */
  defaultTimeoutMs?: number;
  /** Retries of attach/detach answered 409/429 (default 6), first back-off delay ms (default 2000). */
  conflictRetries?: number;
  retryBaseMs?: number;
}

/** An AzurePort talking to ARM with one lazily created client per subscription. */
export function createAzurePort(options: AzurePortOptions): AzurePort {
  const clientFor = createClientCache(options);
  const settings: CallSettings = {
    pollIntervalMs: options.pollIntervalMs ?? 5000,
    defaultTimeoutMs: options.defaultTimeoutMs ?? 30 * 60_000,
  };
  return {
    ...diskOperations(clientFor, settings),
    ...galleryOperations(clientFor, options.subscriptionId, settings),
    ...vmOperations(clientFor, { ...settings, conflictRetries: options.conflictRetries ?? 6, retryBaseMs: options.retryBaseMs ?? 2000 }),
  };
}
