// Finding a subscription's tenant without credentials, as Packer does: ARM answers an
// unauthenticated GET of the subscription with 401 and names the tenant in WWW-Authenticate.

import { request } from 'node:https';
import { AzchrootError } from '../errors.js';

/** Tenant id of `subscriptionId`, read from ARM's 401 challenge; `ca` trusts a private CA (the emulator's). */
export async function discoverTenant(armEndpoint: string, subscriptionId: string, options: { ca?: string | Buffer; signal?: AbortSignal } = {}): Promise<string> {
  const url = `${armEndpoint.replace(/\/+$/, '')}/subscriptions/${encodeURIComponent(subscriptionId)}?api-version=2022-12-01`;
  let header: string | undefined;
  let status = 0;
  try {
    ({ status, header } = await challenge(url, options.ca, options.signal));
  } catch (err) {
    throw discoveryError(`could not reach ${url} to find the tenant of subscription ${subscriptionId}: ${(err as Error).message}`, err);
  }
  const tenant = header ? tenantFromChallenge(header) : undefined;
  if (!tenant) {
    throw discoveryError(`could not find the tenant of subscription ${subscriptionId}: ${url} answered HTTP ${status}${header ? ` with WWW-Authenticate: ${header}` : ' without WWW-Authenticate'}`);
  }
  return tenant;
}

/** The tenant GUID in a `Bearer authorization_uri="https://login.../<tenant>"` challenge. */
export function tenantFromChallenge(header: string): string | undefined {
  return /authorization_uri="[^"]*\/([0-9a-fA-F-]{36})"/.exec(header)?.[1];
}

function challenge(url: string, ca: string | Buffer | undefined, signal: AbortSignal | undefined): Promise<{ status: number; header?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', ca, signal, timeout: 30_000 }, (res) => {
      res.resume();
      const raw = res.headers['www-authenticate'];
      resolve({ status: res.statusCode ?? 0, header: Array.isArray(raw) ? raw.join(', ') : raw });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end();
  });
}

function discoveryError(message: string, cause?: unknown): AzchrootError {
  return new AzchrootError('AZC_AUTH_TENANT', message, 'azure', {
    hint: 'Set tenant_id in the template (the Entra ID tenant of the service principal).',
    cause,
  });
}
