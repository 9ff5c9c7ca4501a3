// The one entry point the build runner calls: work out cloud, VM, subscription, tenant and
// credential, prove the credential works, and hand back the ports. Imported lazily (it loads @azure/*).

import { readFile } from 'node:fs/promises';
import type { AuthConfig } from '../config/model.js';
import type { Endpoints } from '../emulator/api.js';
import { AzchrootError } from '../errors.js';
import type { Reporter } from '../report/reporter.js';
import { createAzurePort } from './arm.js';
import { chooseAuthMethod, needsTenant } from './auth-method.js';
import { cliDefaultSubscription } from './azure-cli-profile.js';
import { cloudByName, cloudFromMetadataHost, type CloudEnvironment } from './clouds.js';
import { createCredential } from './credentials.js';
import { createImdsClient } from './imds.js';
import { requestTimeoutFromEnv, retrySettingsFromEnv } from './retry-env.js';
import type { AzurePort, ImdsPort, VmIdentity } from './ports.js';
import { discoverTenant } from './tenant-discovery.js';
import { tokenClaims } from './token-claims.js';

export interface ConnectOptions {
  auth: AuthConfig;
  /** Point everything (ARM, IMDS, sign-in, CA) at this emulator, ignoring the template's cloud settings. */
  emulator?: Endpoints;
  /** IMDS origin (default http://169.254.169.254); ignored with `emulator`. */
  imdsEndpoint?: string;
  /** The build VM when the caller already read IMDS (saves a request). */
  vm?: VmIdentity;
  reporter?: Reporter;
  signal?: AbortSignal;
}

export interface AzureConnection {
  azure: AzurePort;
  imds: ImdsPort;
  /** Who the build runs as, for the start-up line. */
  identity: string;
  vm: VmIdentity;
  subscriptionId: string;
}

/** Connects to Azure (or the emulator) as `auth` says; throws AzchrootError with a hint on every failure. */
export async function connectAzure(options: ConnectOptions): Promise<AzureConnection> {
  const { emulator, reporter, signal } = options;
  let auth = options.auth;
  const cloud = emulator ? emulatorCloud(emulator) : await resolveCloud(auth, signal);
  const ca = emulator ? await readFile(emulator.caCertPath, 'utf8') : undefined;
  const imds = createImdsClient(emulator?.imdsEndpoint ?? options.imdsEndpoint);
  const vm = options.vm ?? await imds.getInstance(signal);

  if (emulator) {
    // use_azure_cli_auth takes the token of an az signed in to the emulator (az reaches it as
    // login.microsoftonline.com and management.azure.com inside a network namespace).
    auth = { ...auth, subscriptionId: emulator.subscriptionId, ...(auth.tenantId || needsTenant(chooseAuthMethod(auth)) ? { tenantId: emulator.tenantId } : {}) };
  }
  const method = chooseAuthMethod(auth);
  const cli = method === 'azure-cli' ? await cliDefaultSubscription() : undefined;
  const subscriptionId = auth.subscriptionId || cli?.id || vm.subscriptionId;
  const tenantId = needsTenant(method) && !auth.tenantId
    ? await discoverTenant(cloud.armEndpoint, subscriptionId, { ca, signal })
    : auth.tenantId;

  const selected = await createCredential(auth, { cloud, tenantId, ca, imdsEndpoint: emulator?.imdsEndpoint ?? options.imdsEndpoint, signal });
  let identity = selected.description;
  try {
    const token = await selected.credential.getToken(cloud.armScope, { abortSignal: signal });
    const oid = token ? tokenClaims(token.token).oid : undefined;
    if (oid) identity += `, object id ${oid}`;
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    const message = firstLine((err as Error).message);
    throw new AzchrootError('AZC_AUTH_FAILED', `could not sign in to Azure as ${selected.description}: ${message}`, 'azure', {
      hint: entraHint(message, auth) ?? hintFor(method),
      cause: err,
    });
  }

  const warn = (m: string) => reporter?.warn(m);
  const requestTimeoutMs = requestTimeoutFromEnv(process.env, warn);
  const azure = createAzurePort({
    credential: selected.credential,
    subscriptionId,
    endpoint: cloud.armEndpoint,
    ca,
    scope: cloud.armScope,
    // The emulator finishes operations fast: poll and back off fast.
    ...(emulator ? { pollIntervalMs: 20 } : {}),
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    retry: { ...(emulator ? { baseDelayMs: 50, maxDelayMs: 1000 } : {}), ...retrySettingsFromEnv(process.env, warn) },
    // The first retry of a call is said, so that a long wait (a delete refused for minutes) is never
    // silent; the later ones go to the --debug log.
    log: (line, attempt) => (attempt === 1 ? reporter?.say(`${line} (further retries are in the --debug log)`) : reporter?.debug(line)),
  });
  // The runner prints the identity itself; this line is for --debug.
  reporter?.debug(`Signed in to ${emulator ? 'the Azure emulator' : cloud.name} as ${identity}; subscription ${subscriptionId}; build VM ${vm.name} in ${vm.location}${vm.zone ? ` zone ${vm.zone}` : ''}`);
  return { azure, imds, identity, vm, subscriptionId };
}

function emulatorCloud(e: Endpoints): CloudEnvironment {
  return { name: 'emulator', armEndpoint: e.armEndpoint, authorityHost: e.authorityHost, armScope: 'https://management.azure.com/.default' };
}

async function resolveCloud(auth: AuthConfig, signal?: AbortSignal): Promise<CloudEnvironment> {
  return auth.metadataHost ? cloudFromMetadataHost(auth.metadataHost, auth.cloudEnvironmentName, signal) : cloudByName(auth.cloudEnvironmentName);
}

function hintFor(method: ReturnType<typeof chooseAuthMethod>): string {
  switch (method) {
    case 'managed-identity': return 'Give the VM a managed identity (or set client_id to a user-assigned one), or configure a service principal (client_id, client_secret, tenant_id).';
    case 'azure-cli': return 'Run "az login" as the user running azchroot, or remove use_azure_cli_auth.';
    case 'github-oidc': return 'Check the federated credential of the app registration matches this workflow (subject, audience api://AzureADTokenExchange).';
    default: return 'Check client_id, tenant_id and the secret, certificate or assertion of the service principal.';
  }
}

/** What to do about the Entra ID (AADSTS) errors a template's settings cause. */
export function entraHint(message: string, auth: AuthConfig): string | undefined {
  const code = /AADSTS(\d+)/.exec(message)?.[1];
  switch (code) {
    case '7000215': return 'client_secret is wrong: use the secret\'s value (not its id) from the app registration\'s "Certificates & secrets".';
    case '7000222': return 'client_secret has expired: create a new secret for the app registration and update client_secret.';
    case '700016': return `client_id ${auth.clientId ?? ''} is not an app registered in tenant ${auth.tenantId ?? '(discovered)'}: check client_id and tenant_id.`;
    case '700024': return auth.clientJwt
      ? 'client_jwt has expired (or is not yet valid): make a new assertion whose exp lies after the end of the build.'
      : 'the client assertion is outside its validity window: check the clock of this machine.';
    case '700027': return 'the assertion is not signed by a certificate registered on the app: upload the certificate of client_cert_path (or of the key that signed client_jwt) to the app registration.';
    case '70021': return 'no federated credential of the app matches this workflow: add one for issuer https://token.actions.githubusercontent.com, this repository\'s subject and audience api://AzureADTokenExchange.';
    case '90002': return 'tenant_id names no tenant: check tenant_id (the Entra ID directory id).';
    case '50027': return 'the assertion is not a valid JWT for this token endpoint: check client_jwt (aud must be the tenant\'s token endpoint).';
    default: return undefined;
  }
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? text;
}
