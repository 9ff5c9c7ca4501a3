// One ComputeManagementClient per subscription, made on first use: resources in another
// subscription (a cross-subscription gallery source) are read with that subscription's client.

import { ComputeManagementClient } from '@azure/arm-compute';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

export interface ClientSettings {
  credential: TokenCredential;
  endpoint?: string;
  /** PEM of an extra CA to trust (the emulator's). */
  ca?: string | Buffer;
  /** ARM token scope, e.g. https://management.azure.com/.default. */
  scope?: string;
  /** SDK-level retries of throttled/5xx requests: 0 (default), since retry-policy.ts retries every call. */
  maxRetries?: number;
  /** Time limit of one HTTP request (not of a long-running operation), ms; default 120 s. */
  requestTimeoutMs?: number;
}

/** Gives every request (initial, polls, pages) a time limit, so a request Azure never answers is retried. */
function requestTimeoutPolicy(ms: number): PipelinePolicy {
  return {
    name: 'azchrootRequestTimeout',
    sendRequest(request, next) {
      if (!request.timeout) request.timeout = ms;
      return next(request);
    },
  };
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
        // Off: our retry policy is the only one (the SDK's would multiply with it).
        retryOptions: { maxRetries: settings.maxRetries ?? 0 },
        additionalPolicies: [{ policy: requestTimeoutPolicy(settings.requestTimeoutMs ?? 120_000), position: 'perRetry' }],
      });
      clients.set(key, client);
    }
    return client;
  };
}
