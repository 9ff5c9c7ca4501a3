// Entra ID (Azure AD) sign-in on the ARM server's port: OpenID configuration (v2 and v1), the
// signing keys (jwks_uri), instance discovery, the v2 token endpoint and the v1 endpoint Packer's
// adal uses. Client credentials are checked against the directory (identity/directory.ts) as Entra
// checks them: the app must be registered, a client secret must be one of its unexpired secrets, a
// client assertion must be signed by one of its certificates or match one of its federated
// credentials. Refusals carry Entra's AADSTS codes.

import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readBody, type HttpAnswer } from './http-kit.js';
import { ARM_AUDIENCES, type TokenService, type TokenSubject } from './tokens.js';
import { checkClientAssertion, GITHUB_ISSUER } from './identity/client-assertion.js';
import { derivedGuid, type Directory } from './identity/directory.js';
import { jwks, type SigningKeys } from './identity/signing-keys.js';

export interface EntraConfig {
  tenantId: string;
  tokens: TokenService;
  directory: Directory;
  keys: SigningKeys;
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Resources (audiences) the emulated tenant knows besides ARM: Microsoft Graph. */
const OTHER_RESOURCES = ['https://graph.microsoft.com', 'https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000'];
/** Host names Entra answers on (MSAL and az send these as authority and assertion audience). */
const ENTRA_HOSTS = ['https://login.microsoftonline.com', 'https://login.windows.net', 'https://login.microsoft.com'];

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
  if (rest === 'discovery/v2.0/keys' || rest === 'discovery/keys') return 'entra.keys';
  if (rest === 'discovery/instance') return 'entra.instanceDiscovery';
  if (rest === 'oauth2/v2.0/token') return 'entra.token';
  if (rest === 'oauth2/token') return 'entra.tokenV1';
  return undefined;
}

function openIdConfiguration(root: string, v2: boolean): HttpAnswer {
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

/** Handles an Entra request (path already known to be one, see entraOperation). */
export async function handleEntra(cfg: EntraConfig, req: IncomingMessage, url: URL, baseUrl: string): Promise<HttpAnswer> {
  const seg = url.pathname.split('/').filter(Boolean);
  const tenant = seg[0] ?? '';
  const op = entraOperation(url.pathname);
  const tenantLow = tenant.toLowerCase();
  const anyTenant = tenantLow === 'organizations' || tenantLow === 'common';
  if (op === 'entra.instanceDiscovery') {
    const host = new URL(baseUrl).host;
    return {
      status: 200,
      body: {
        tenant_discovery_endpoint: `${baseUrl}/${tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      },
    };
  }
  if (tenantLow !== cfg.tenantId.toLowerCase() && !anyTenant) {
    await readBody(req);
    return aadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. The emulator serves tenant ${cfg.tenantId}.`);
  }
  if (op === 'entra.keys') return { status: 200, body: jwks(cfg.keys.entra, op && url.pathname.includes('/v2.0/') ? `${baseUrl}/${cfg.tenantId}/v2.0` : undefined) };
  if (op === 'entra.openidConfiguration') return openIdConfiguration(`${baseUrl}/${tenant}`, url.pathname.toLowerCase().includes('/v2.0/'));
  if ((req.method ?? 'GET').toUpperCase() !== 'POST') return aadError(405, 'invalid_request', 900561, `The endpoint only accepts POST requests.`);
  const form = new URLSearchParams((await readBody(req)).toString('utf8'));
  const grant = form.get('grant_type');
  if (grant !== 'client_credentials') return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'; the emulator supports client_credentials.`);
  // client_secret_basic: credentials in the Authorization header.
  const basic = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
  const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent) : [];
  const clientId = form.get('client_id') ?? basicId;
  if (!clientId) return aadError(400, 'invalid_request', 900144, `The request body must contain the following parameter: 'client_id'.`);
  const secret = form.get('client_secret') ?? basicSecret;
  const assertion = form.get('client_assertion');
  if (!secret && !assertion) return aadError(401, 'invalid_client', 7000218, `The request body must contain the following parameter: 'client_assertion' or 'client_secret'.`);

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

  const app = cfg.directory.application(clientId);
  if (!app) {
    return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${cfg.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
  }
  let authMethod: TokenSubject['authMethod'];
  if (assertion) {
    const type = form.get('client_assertion_type');
    if (type !== JWT_BEARER) return aadError(400, 'invalid_request', 50027, `JWT token is invalid or malformed: client_assertion_type must be '${JWT_BEARER}', got '${type ?? ''}'.`);
    const endpoints = [baseUrl, ...ENTRA_HOSTS].flatMap((h) => [tenant, cfg.tenantId].flatMap((t) => [`${h}/${t}/oauth2/v2.0/token`, `${h}/${t}/oauth2/token`]));
    const check = checkClientAssertion(assertion, { app, tokenEndpoints: endpoints, issuerKeys: { [GITHUB_ISSUER]: cfg.keys.github }, now: Date.now() });
    if (!check.ok) return aadError(check.status, check.error, check.code, check.description);
    authMethod = 'certificate';
  } else {
    const now = Date.now();
    const secrets = (app.secrets ?? []).map((s) => (typeof s === 'string' ? { value: s } : s));
    const valid = secrets.filter((s) => !s.expiresOn || Date.parse(s.expiresOn) > now);
    if (!valid.some((s) => s.value === secret)) {
      if (secrets.some((s) => s.value === secret)) return aadError(401, 'invalid_client', 7000222, `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app.`);
      return aadError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
    }
    authMethod = 'secret';
  }
  if (!ARM_AUDIENCES.includes(resource) && !OTHER_RESOURCES.includes(resource)) {
    return aadError(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${cfg.tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
  }
  const token = cfg.tokens.issue({ clientId: app.appId, objectId: app.objectId ?? derivedGuid(`sp:${app.appId}`), resource, authMethod });
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
