// Entra ID (Azure AD) sign-in on the ARM server's port: OpenID configuration (v2 and v1), the v2
// token endpoint (client credentials with client_secret or client_assertion) and the v1 endpoint
// Packer's adal uses.
//
// Which credentials work: only the configured tenant (or "organizations"); any non-empty
// client_id; any non-empty client_secret or client_assertion, except secrets starting with
// "invalid", which are refused with AADSTS7000215 so tests can exercise a wrong secret.

import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readBody, type HttpAnswer } from './http-kit.js';
import type { TokenStore } from './tokens.js';

export interface EntraConfig {
  tenantId: string;
  tokens: TokenStore;
  lifetimeSeconds: number;
}

function aadError(status: number, error: string, code: number, description: string): HttpAnswer {
  const now = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${now}`,
      error_codes: [code],
      timestamp: now,
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    },
  };
}

/** Operation name of an Entra path, or undefined when the path is not an Entra endpoint. */
export function entraOperation(path: string): string | undefined {
  const seg = path.split('/').filter(Boolean);
  const rest = seg.slice(1).join('/').toLowerCase();
  if (seg.length < 2) return undefined;
  if (rest === 'v2.0/.well-known/openid-configuration' || rest === '.well-known/openid-configuration') return 'entra.openidConfiguration';
  if (rest === 'oauth2/v2.0/token') return 'entra.token';
  if (rest === 'oauth2/token') return 'entra.tokenV1';
  return undefined;
}

/** Handles an Entra request (path already known to be one, see entraOperation). */
export async function handleEntra(cfg: EntraConfig, req: IncomingMessage, url: URL, baseUrl: string): Promise<HttpAnswer> {
  const seg = url.pathname.split('/').filter(Boolean);
  const tenant = seg[0] ?? '';
  const op = entraOperation(url.pathname);
  if (tenant.toLowerCase() !== cfg.tenantId.toLowerCase() && tenant.toLowerCase() !== 'organizations') {
    await readBody(req);
    return aadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. The emulator serves tenant ${cfg.tenantId}.`);
  }
  if (op === 'entra.openidConfiguration') {
    const v2 = url.pathname.toLowerCase().includes('/v2.0/');
    const root = `${baseUrl}/${tenant}`;
    return {
      status: 200,
      body: {
        token_endpoint: v2 ? `${root}/oauth2/v2.0/token` : `${root}/oauth2/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${root}/discovery/${v2 ? 'v2.0/' : ''}keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        // MSAL requires the issuer on the same scheme, host and port as the authority.
        issuer: v2 ? `${root}/v2.0` : `${root}/`,
        request_uri_parameter_supported: false,
        authorization_endpoint: v2 ? `${root}/oauth2/v2.0/authorize` : `${root}/oauth2/authorize`,
        device_authorization_endpoint: `${root}/oauth2/${v2 ? 'v2.0/' : ''}devicecode`,
        end_session_endpoint: `${root}/oauth2/${v2 ? 'v2.0/' : ''}logout`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
      },
    };
  }
  if ((req.method ?? 'GET').toUpperCase() !== 'POST') return aadError(405, 'invalid_request', 900561, `The endpoint only accepts POST requests.`);
  const form = new URLSearchParams((await readBody(req)).toString('utf8'));
  const grant = form.get('grant_type');
  if (grant !== 'client_credentials') return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'; the emulator supports client_credentials.`);
  const clientId = form.get('client_id');
  if (!clientId) return aadError(400, 'invalid_request', 900144, `The request body must contain the following parameter: 'client_id'.`);
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (!secret && !assertion) return aadError(401, 'invalid_client', 7000218, `The request body must contain the following parameter: 'client_assertion' or 'client_secret'.`);
  if (secret?.startsWith('invalid')) return aadError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
  let resource: string;
  if (op === 'entra.token') {
    const scope = form.get('scope') ?? '';
    const first = scope.split(' ').find((s) => s.endsWith('/.default'));
    if (!first) return aadError(400, 'invalid_scope', 1002012, `The provided value for scope '${scope}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`);
    resource = first.slice(0, -'/.default'.length);
  } else {
    resource = form.get('resource') ?? '';
    if (!resource) return aadError(400, 'invalid_request', 900144, `The request body must contain the following parameter: 'resource'.`);
  }
  const token = cfg.tokens.issue(clientId, resource);
  const expiresIn = Math.round((token.expiresAt - token.issuedAt) / 1000);
  if (op === 'entra.token') {
    return { status: 200, body: { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token.token } };
  }
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      expires_in: String(expiresIn),
      ext_expires_in: String(expiresIn),
      expires_on: String(Math.floor(token.expiresAt / 1000)),
      not_before: String(Math.floor(token.issuedAt / 1000)),
      resource,
      access_token: token.token,
    },
  };
}
