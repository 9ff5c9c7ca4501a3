// Which way of signing in an AuthConfig asks for, in Packer's precedence (azure-chroot plugin):
// Azure CLI → managed identity → client secret → certificate → GitHub OIDC → client JWT.

import { AzchrootError } from '../errors.js';
import type { AuthConfig } from '../config/model.js';

export type AuthMethod = 'azure-cli' | 'managed-identity' | 'client-secret' | 'client-certificate' | 'github-oidc' | 'client-jwt';

/** The sign-in method `auth` selects; throws AZC_AUTH_CONFIG when a service-principal method lacks client_id. */
export function chooseAuthMethod(auth: AuthConfig): AuthMethod {
  if (auth.useAzureCliAuth) return 'azure-cli';
  const spKeys = [auth.clientSecret, auth.clientJwt, auth.clientCertPath, auth.tenantId, auth.oidcRequestToken, auth.oidcRequestUrl];
  if (spKeys.every((v) => !v)) return 'managed-identity';
  const method: AuthMethod = auth.clientSecret
    ? 'client-secret'
    : auth.clientCertPath
      ? 'client-certificate'
      : auth.oidcRequestToken
        ? 'github-oidc'
        : 'client-jwt';
  if (!auth.clientId) {
    throw new AzchrootError('AZC_AUTH_CONFIG', `${labels[method]} authentication needs client_id, which is not set`, 'user', {
      hint: 'Set client_id to the application (client) id of the service principal, or remove the service-principal settings to use the VM\'s managed identity.',
      exitCode: 2,
    });
  }
  if (method === 'github-oidc' && !auth.oidcRequestUrl) {
    throw new AzchrootError('AZC_AUTH_CONFIG', 'oidc_request_token is set but oidc_request_url is not', 'user', {
      hint: 'In GitHub Actions use ACTIONS_ID_TOKEN_REQUEST_URL for oidc_request_url (the job needs "permissions: id-token: write").',
      exitCode: 2,
    });
  }
  if (method === 'client-jwt' && !auth.clientJwt) {
    const set = auth.oidcRequestUrl ? 'oidc_request_url' : 'tenant_id';
    throw new AzchrootError('AZC_AUTH_CONFIG', `${set} is set but none of client_secret, client_cert_path, oidc_request_token or client_jwt is, so there is no way to sign in as ${auth.clientId}`, 'user', {
      hint: 'Add the service principal\'s secret (client_secret), certificate (client_cert_path) or assertion (client_jwt); or remove tenant_id to use the managed identity.',
      exitCode: 2,
    });
  }
  return method;
}

/** Whether the method signs in through an Entra ID authority and needs a tenant id. */
export function needsTenant(method: AuthMethod): boolean {
  return method !== 'azure-cli' && method !== 'managed-identity';
}

const labels: Record<AuthMethod, string> = {
  'azure-cli': 'Azure CLI',
  'managed-identity': 'managed identity',
  'client-secret': 'client_secret',
  'client-certificate': 'client_cert_path',
  'github-oidc': 'GitHub OIDC',
  'client-jwt': 'client_jwt',
};
