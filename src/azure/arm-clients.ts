// One ComputeManagementClient per subscription, made on first use: resources in another
// subscription (a cross-subscription gallery source) are read with that subscription's client.

import { ComputeManagementClient } from '@azure/arm-compute';
import type { TokenCredential } from '@azure/core-auth';

export interface ClientSettings {
  credential: TokenCredential;
  endpoint?: string;
  /** PEM of an extra CA to trust (the emulator's). */
  ca?: string | Buffer;
  /** ARM token scope, e.g. https://management.azure.com/.default. */
  scope?: string;
  /** SDK-level retries of throttled/5xx requests. */
  maxRetries?: number;
}

/** Returns `clientFor(subscriptionId)`, caching one client per subscription. */
export function createClientCache(settings: ClientSettings): (subscriptionId: string) => ComputeManagementClient {
  const clients = new Map<string, ComputeManagementClient>();
  return (subscriptionId) => {
    const key = subscriptionId.toLowerCase();
    let client = clients.get(key);
    if (!client) {
      client = new ComputeManagementClient(settings.credential, subscriptionId, {
        ...(settings.endpoint ? { endpoint: settings.endpoint.replace(/\/+$/, '') } : {}),
        // tlsOptions.ca replaces the default roots for this client: only set for the emulator.
        ...(settings.ca ? { tlsOptions: { ca: String(settings.ca) } } : {}),
        ...(settings.scope ? { credentials: { scopes: [settings.scope] } } : {}),
        retryOptions: { maxRetries: settings.maxRetries ?? 3 },
      });
      clients.set(key, client);
    }
    return client;
  };
}
