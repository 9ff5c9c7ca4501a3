// The Instance Metadata Service over plain HTTP: instance metadata (every compute value a string,
// as Packer decodes it into map[string]string) and managed-identity tokens.
//
// Identities: the VM's system-assigned identity (SYSTEM_ASSIGNED_CLIENT_ID) by default; a
// client_id, object_id or msi_res_id must name a user-assigned identity of the directory
// (identity/directory.ts), as IMDS answers 400 "Identity not found" for one the VM does not have.
// Tokens are the same JWTs Entra issues, with xms_mirid naming the identity's resource id.

import { supportedVersions } from './arm/api-version-check.js';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { ArmError, parseRequestUrl, send, type HttpAnswer } from './http-kit.js';
import type { ResolvedOptions } from './defaults.js';
import type { RequestLogger } from './request-log.js';
import type { ResourceStore } from './resource-store.js';
import type { TokenService } from './tokens.js';
import { derivedGuid, type Directory } from './identity/directory.js';

export const SYSTEM_ASSIGNED_CLIENT_ID = '5a1e0000-0000-4000-8000-00000000a2c0';

export interface ImdsDeps {
  options: ResolvedOptions;
  store: ResourceStore;
  tokens: TokenService;
  directory: Directory;
  logger: RequestLogger;
  vmId: string;
}

const bad = (description: string): HttpAnswer => ({ status: 400, body: { error: 'invalid_request', error_description: description } });

/** The compute section: every value a string; tags as "k:v;k2:v2". */
export function computeMetadata(deps: ImdsDeps): Record<string, string> {
  const o = deps.options;
  const vm = deps.store.get(deps.vmId)?.body ?? {};
  const p = (vm.properties ?? {}) as Record<string, any>;
  const image = p.storageProfile?.imageReference ?? {};
  const tags = Object.entries((vm.tags ?? {}) as Record<string, string>).map(([k, v]) => `${k}:${v}`).join(';');
  return {
    azEnvironment: 'AzurePublicCloud',
    location: o.location,
    name: o.vmName,
    offer: String(image.offer ?? ''),
    osType: 'Linux',
    placementGroupId: '',
    platformFaultDomain: '0',
    platformUpdateDomain: '0',
    provider: 'Microsoft.Compute',
    publisher: String(image.publisher ?? ''),
    resourceGroupName: o.resourceGroup,
    resourceId: deps.vmId,
    sku: String(image.sku ?? ''),
    subscriptionId: o.subscriptionId,
    tags,
    version: String(image.exactVersion ?? ''),
    vmId: String(p.vmId ?? ''),
    vmScaleSetName: '',
    vmSize: String(p.hardwareProfile?.vmSize ?? ''),
    zone: o.zone ?? '',
  };
}

function route(deps: ImdsDeps, req: IncomingMessage, url: URL, setOp: (op: string) => void): HttpAnswer | { text: string } {
  const path = url.pathname.replace(/\/+/g, '/').replace(/\/$/, '');
  const isToken = path === '/metadata/identity/oauth2/token';
  setOp(isToken ? 'imds.token' : path.startsWith('/metadata/instance') ? 'imds.instance' : 'imds.unknown');
  if (String(req.headers.metadata ?? '').toLowerCase() !== 'true') return bad('Required metadata header not specified');
  if (req.headers['x-forwarded-for']) return bad('Request contains the X-Forwarded-For header; IMDS does not accept proxied requests');
  if (!url.searchParams.get('api-version')) {
    return { status: 400, body: { error: 'Bad request. api-version was not specified in the request. For more information refer to aka.ms/azureimds', 'newest-versions': ['2023-07-01', '2021-12-13', '2021-11-15'] } };
  }
  const version = url.searchParams.get('api-version')!;
  if (!isToken && !supportedVersions('imds').includes(version)) {
    // The same shape as the missing-version answer, naming the newest versions (learn.microsoft.com
    // instance-metadata-service, "Versioning"); the exact text for an unknown version is not published.
    return { status: 400, body: { error: `Bad request. api-version '${version}' is invalid. For more information refer to aka.ms/azureimds`, 'newest-versions': supportedVersions('imds').slice(-3).reverse() } };
  }
  if (isToken) {
    const resource = url.searchParams.get('resource');
    if (!resource) return bad("Required query variable 'resource' is missing");
    const by = { clientId: url.searchParams.get('client_id') ?? undefined, objectId: url.searchParams.get('object_id') ?? url.searchParams.get('principal_id') ?? undefined, resourceId: url.searchParams.get('msi_res_id') ?? url.searchParams.get('mi_res_id') ?? undefined };
    let identity: { clientId: string; principalId: string; resourceId: string };
    if (by.clientId || by.objectId || by.resourceId) {
      const found = deps.directory.userAssignedIdentity(by, deps.options.subscriptionId, deps.options.resourceGroup);
      if (!found) return bad('Identity not found');
      identity = found;
    } else {
      identity = { clientId: SYSTEM_ASSIGNED_CLIENT_ID, principalId: derivedGuid(`system:${deps.vmId}`), resourceId: deps.vmId.replace('/resourceGroups/', '/resourcegroups/') };
    }
    const clientId = identity.clientId;
    if (!/^https:\/\/management\.(azure\.com|core\.windows\.net)\/?$/.test(resource) && !/^https:\/\/graph\.microsoft\.com\/?$/.test(resource)) {
      return bad(`Failed to get token for the resource '${resource}': the resource principal was not found in the tenant`);
    }
    const t = deps.tokens.issue({ clientId, objectId: identity.principalId, resource, authMethod: 'certificate', managedIdentityResourceId: identity.resourceId });
    const expiresIn = Math.round((t.expiresAt - t.issuedAt) / 1000);
    return {
      status: 200,
      body: {
        access_token: t.token,
        client_id: clientId,
        expires_in: String(expiresIn),
        expires_on: String(Math.floor(t.expiresAt / 1000)),
        ext_expires_in: String(expiresIn),
        not_before: String(Math.floor(t.issuedAt / 1000)),
        resource,
        token_type: 'Bearer',
      },
    };
  }
  const compute = computeMetadata(deps);
  const network = {
    interface: [{ ipv4: { ipAddress: [{ privateIpAddress: '10.0.0.4', publicIpAddress: '' }], subnet: [{ address: '10.0.0.0', prefix: '24' }] }, ipv6: { ipAddress: [] }, macAddress: '000D3A000001' }],
  };
  if (path === '/metadata/instance') return { status: 200, body: { compute, network } };
  if (path === '/metadata/instance/compute') return { status: 200, body: compute };
  if (path === '/metadata/instance/network') return { status: 200, body: network };
  const leaf = /^\/metadata\/instance\/compute\/([A-Za-z]+)$/.exec(path)?.[1];
  if (leaf && leaf in compute) {
    return url.searchParams.get('format') === 'json' ? { status: 200, body: compute[leaf] } : { text: compute[leaf]! };
  }
  return { status: 404, body: { error: 'Not found' } };
}

/** The IMDS HTTP server (not yet listening). */
export function createImdsServer(deps: ImdsDeps): Server {
  return createServer((req, res) => {
    const setOp = deps.logger.track(req, res);
    req.resume();
    try {
      const answer = route(deps, req, parseRequestUrl(req.url, 'http://imds'), setOp);
      if ('text' in answer) {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(answer.text);
      } else {
        send(res, answer);
      }
    } catch (e) {
      send(res, { status: 500, body: { error: 'internal_error', error_description: e instanceof ArmError ? e.message : String(e) } });
    }
  });
}
