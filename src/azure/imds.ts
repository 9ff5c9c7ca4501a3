// Instance Metadata Service client: who and where is the VM azchroot runs on. One successful
// request per client; transport errors are retried twice, HTTP errors are not.

import { HostError } from '../errors.js';
import type { ImdsPort, VmIdentity } from './ports.js';
import { sleep } from './sleep.js';

export const defaultImdsEndpoint = 'http://169.254.169.254';
const apiVersion = '2021-02-01';
const timeoutMs = 5000;
const retryDelaysMs = [500, 1500];
const hint = 'azchroot build must run on an Azure VM; to try it without Azure, use --emulator';

/** An ImdsPort reading `<endpoint>/metadata/instance`; the result is cached for the client's lifetime. */
export function createImdsClient(endpoint = defaultImdsEndpoint): ImdsPort {
  let cached: Promise<VmIdentity> | undefined;
  return {
    getInstance(signal?: AbortSignal): Promise<VmIdentity> {
      if (!cached) {
        cached = fetchInstance(endpoint, signal);
        // Only success is cached: a later call (e.g. after the user fixed the network) may try again.
        cached.catch(() => { cached = undefined; });
      }
      return cached;
    },
  };
}

async function fetchInstance(endpoint: string, signal?: AbortSignal): Promise<VmIdentity> {
  const url = `${endpoint.replace(/\/+$/, '')}/metadata/instance?api-version=${apiVersion}`;
  let response: Response | undefined;
  let lastError: unknown;
  for (let attempt = 0; attempt <= retryDelaysMs.length && !response; attempt++) {
    if (attempt > 0) await sleep(retryDelaysMs[attempt - 1] ?? 1000, signal);
    try {
      const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
      response = await fetch(url, { headers: { Metadata: 'true' }, signal: AbortSignal.any(signals) });
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      lastError = err;
    }
  }
  if (!response) {
    throw new HostError('AZC_IMDS_UNREACHABLE', `the Azure Instance Metadata Service at ${endpoint} did not answer (3 attempts): ${describe(lastError)}`, { hint, cause: lastError });
  }
  const text = await response.text();
  if (!response.ok) {
    throw new HostError('AZC_IMDS_UNREACHABLE', `the Azure Instance Metadata Service at ${endpoint} answered HTTP ${response.status}: ${text.slice(0, 300)}`, { hint });
  }
  return parseInstance(text, endpoint);
}

/** Turns the IMDS instance document into a VmIdentity; throws HostError AZC_IMDS_INVALID when fields are missing. */
export function parseInstance(text: string, endpoint = defaultImdsEndpoint): VmIdentity {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid(endpoint, `the answer is not JSON: ${text.slice(0, 200)}`);
  }
  const compute = (doc as { compute?: Record<string, unknown> } | null)?.compute;
  if (!compute || typeof compute !== 'object') throw invalid(endpoint, 'the answer has no "compute" object');
  const str = (key: string): string => (typeof compute[key] === 'string' ? (compute[key] as string) : '');
  const missing = ['name', 'resourceGroupName', 'subscriptionId', 'location'].filter((k) => str(k) === '');
  if (missing.length > 0) throw invalid(endpoint, `compute.${missing.join(', compute.')} missing`);
  const name = str('name');
  const resourceGroup = str('resourceGroupName');
  const subscriptionId = str('subscriptionId');
  const composed = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachines/${name}`;
  // IMDS returns resourceId with a leading slash already; Packer prefixed another one. Keep exactly one.
  const resourceId = str('resourceId') === '' ? composed : `/${str('resourceId').replace(/^\/+/, '')}`;
  return {
    name,
    resourceGroup,
    subscriptionId,
    location: str('location'),
    zone: str('zone') || undefined,
    resourceId,
    vmScaleSetName: str('vmScaleSetName') || undefined,
  };
}

function invalid(endpoint: string, what: string): HostError {
  return new HostError('AZC_IMDS_INVALID', `the Azure Instance Metadata Service at ${endpoint} gave an unusable answer: ${what}`, { hint });
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? cause.message : '';
    if (err.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
    return detail ? `${err.message} (${detail})` : err.message;
  }
  return String(err);
}
