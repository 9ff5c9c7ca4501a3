// Building the TokenCredential an AuthConfig asks for. MSAL-based credentials always get
// disableInstanceDiscovery (no call to login.microsoftonline.com/common/discovery) and the cloud's authority.

import {
  AzureCliCredential, ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential,
} from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import type { AuthConfig } from '../config/model.js';
import { AzchrootError } from '../errors.js';
import { chooseAuthMethod, needsTenant, type AuthMethod } from './auth-method.js';
import type { CloudEnvironment } from './clouds.js';
import { defaultImdsEndpoint } from './imds.js';
import { imdsRedirectClient } from './imds-redirect-client.js';
import { githubOidcAssertion } from './oidc-assertion.js';
import { pfxToPem } from './pfx-to-pem.js';

export interface CredentialOptions {
  cloud: CloudEnvironment;
  /** Tenant for the service-principal methods (required for them; see tenant-discovery.ts). */
  tenantId?: string;
  /** Extra CA to trust for the authority (the emulator's). */
  ca?: string | Buffer;
  /** Managed identity asks this IMDS origin instead of 169.254.169.254 (the emulator's). */
  imdsEndpoint?: string;
  signal?: AbortSignal;
}

export interface SelectedCredential {
  credential: TokenCredential;
  method: AuthMethod;
  /** Which identity, for the start-up line: `managed identity (system-assigned)`, `service principal <id> (client secret) in tenant <t>`. */
  description: string;
}

/** The credential for `auth` in Packer's precedence; throws AzchrootError on unusable settings. */
export async function createCredential(auth: AuthConfig, options: CredentialOptions): Promise<SelectedCredential> {
  const method = chooseAuthMethod(auth);
  if (method === 'azure-cli') {
    return { method, credential: new AzureCliCredential(auth.tenantId ? { tenantId: auth.tenantId } : {}), description: 'Azure CLI login' + (auth.tenantId ? ` in tenant ${auth.tenantId}` : '') };
  }
  if (method === 'managed-identity') {
    const imds = options.imdsEndpoint && options.imdsEndpoint.replace(/\/+$/, '') !== defaultImdsEndpoint ? options.imdsEndpoint : undefined;
    // Caution: msal-node keeps the first managed-identity source, with its HTTP client, in a static
    // for the whole process; azchroot makes one credential per process, so that is harmless here.
    const credential = new ManagedIdentityCredential({
      ...(auth.clientId ? { clientId: auth.clientId } : {}),
      ...(imds ? { httpClient: imdsRedirectClient(imds) } : {}),
    });
    const which = auth.clientId ? `user-assigned, client id ${auth.clientId}` : 'system-assigned';
    return { method, credential, description: `managed identity (${which})` };
  }
  const tenantId = options.tenantId ?? auth.tenantId;
  if (needsTenant(method) && !tenantId) {
    throw new AzchrootError('AZC_AUTH_TENANT', `no tenant id for ${method} authentication of ${auth.clientId}`, 'user', { hint: 'Set tenant_id in the template.' });
  }
  const clientId = auth.clientId ?? '';
  const tenant = tenantId ?? '';
  const common = msalOptions(options.cloud, options.ca);
  const who = (how: string): string => `service principal ${clientId} (${how}) in tenant ${tenant}`;
  switch (method) {
    case 'client-secret':
      return { method, credential: new ClientSecretCredential(tenant, clientId, auth.clientSecret ?? '', common), description: who('client secret') };
    case 'client-certificate': {
      const certificate = await pfxToPem(auth.clientCertPath ?? '', auth.clientCertPassword ?? '');
      // sendCertificateChain: subject-name/issuer authentication needs the x5c header.
      const credential = new ClientCertificateCredential(tenant, clientId, { certificate }, { ...common, sendCertificateChain: true });
      return { method, credential, description: who(`certificate ${auth.clientCertPath}`) };
    }
    case 'github-oidc': {
      const assertion = githubOidcAssertion(auth.oidcRequestUrl ?? '', auth.oidcRequestToken ?? '', options.ca);
      return { method, credential: new ClientAssertionCredential(tenant, clientId, assertion, common), description: who('GitHub Actions OIDC') };
    }
    case 'client-jwt': {
      const jwt = auth.clientJwt ?? '';
      return { method, credential: new ClientAssertionCredential(tenant, clientId, async () => jwt, common), description: who('client JWT') };
    }
  }
}

/** Options every MSAL-based credential gets: the cloud's authority, no instance discovery, the extra CA. */
export function msalOptions(cloud: CloudEnvironment, ca?: string | Buffer): { authorityHost: string; disableInstanceDiscovery: true; tlsOptions?: { ca: string } } {
  // Without disableInstanceDiscovery MSAL asks login.microsoftonline.com about the authority, even a local one.
  return { authorityHost: cloud.authorityHost, disableInstanceDiscovery: true, ...(ca ? { tlsOptions: { ca: String(ca) } } : {}) };
}
