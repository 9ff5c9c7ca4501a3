// Azure clouds: where ARM lives, where to sign in, and which token scope ARM accepts.
// Chosen by `cloud_environment_name`, or read from `metadata_host` when the user sets one.

import { AzchrootError } from '../errors.js';

export interface CloudEnvironment {
  /** Canonical name: AzurePublicCloud, AzureChinaCloud, AzureUSGovernmentCloud, or the metadata's name. */
  name: string;
  /** ARM base URL without trailing slash. */
  armEndpoint: string;
  /** Entra ID authority host without trailing slash. */
  authorityHost: string;
  /** Scope requested for ARM tokens. */
  armScope: string;
}

const publicCloud: CloudEnvironment = {
  name: 'AzurePublicCloud',
  armEndpoint: 'https://management.azure.com',
  authorityHost: 'https://login.microsoftonline.com',
  armScope: 'https://management.azure.com/.default',
};
const chinaCloud: CloudEnvironment = {
  name: 'AzureChinaCloud',
  armEndpoint: 'https://management.chinacloudapi.cn',
  authorityHost: 'https://login.chinacloudapi.cn',
  armScope: 'https://management.chinacloudapi.cn/.default',
};
const usGovCloud: CloudEnvironment = {
  name: 'AzureUSGovernmentCloud',
  armEndpoint: 'https://management.usgovcloudapi.net',
  authorityHost: 'https://login.microsoftonline.us',
  armScope: 'https://management.usgovcloudapi.net/.default',
};

const byName: Record<string, CloudEnvironment> = {
  public: publicCloud, publiccloud: publicCloud, azurepubliccloud: publicCloud,
  china: chinaCloud, chinacloud: chinaCloud, azurechinacloud: chinaCloud,
  usgovernment: usGovCloud, usgovernmentcloud: usGovCloud, azureusgovernmentcloud: usGovCloud,
};

// Names the clouds carry in ARM's /metadata/endpoints answers.
const metadataNames: Record<string, string> = {
  AzurePublicCloud: 'azurecloud', AzureChinaCloud: 'azurechinacloud', AzureUSGovernmentCloud: 'azureusgovernment',
};

/** The cloud named by `cloud_environment_name` (case-insensitive); throws AZC_CLOUD_UNKNOWN otherwise. */
export function cloudByName(name: string | undefined): CloudEnvironment {
  const found = byName[(name ?? 'Public').trim().toLowerCase() || 'public'];
  if (!found) {
    throw new AzchrootError('AZC_CLOUD_UNKNOWN', `there is no cloud environment named "${name}"`, 'user', {
      hint: 'Use Public, China or USGovernment (or AzurePublicCloud, AzureChinaCloud, AzureUSGovernmentCloud).',
      exitCode: 2,
    });
  }
  return { ...found };
}

/** Reads endpoints from `https://<host>/metadata/endpoints`; `name` picks the entry when the host lists several clouds. Only https. */
export async function cloudFromMetadataHost(host: string, name: string | undefined, signal?: AbortSignal): Promise<CloudEnvironment> {
  const base = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host.replace(/\/+$/, '') : `https://${host.replace(/\/+$/, '')}`;
  const url = `${base}/metadata/endpoints?api-version=2022-09-01`;
  requireHttps(url, 'metadata_host');
  let body: unknown;
  try {
    const signals = [AbortSignal.timeout(180_000), ...(signal ? [signal] : [])];
    const response = await fetch(url, { signal: AbortSignal.any(signals) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (err) {
    throw new AzchrootError('AZC_CLOUD_METADATA', `could not read cloud endpoints from metadata_host ${url}: ${(err as Error).message}`, 'user', {
      hint: 'Check metadata_host, or remove it and set cloud_environment_name instead.',
      cause: err,
    });
  }
  return cloudFromMetadata(body, name, url);
}

/** Credentials and tokens travel to these endpoints: anything but https is refused. */
export function requireHttps(url: string, what: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new AzchrootError('AZC_CLOUD_METADATA', `${what} ${JSON.stringify(url)} is not a valid URL`, 'user', { hint: 'give an https:// URL or a host name', exitCode: 2 });
  }
  if (protocol !== 'https:') {
    throw new AzchrootError('AZC_CLOUD_INSECURE', `${what} ${url} is not https: azchroot sends credentials and tokens only over https`, 'user', {
      hint: 'use an https:// metadata_host (a bare host name means https), or cloud_environment_name',
      exitCode: 2,
    });
  }
}

/** The cloud described by a /metadata/endpoints answer (`url` for messages); its endpoints must be https. */
export function cloudFromMetadata(body: unknown, name: string | undefined, url: string): CloudEnvironment {
  const entries = (Array.isArray(body) ? body : [body]) as MetadataEntry[];
  const wanted = (name ?? '').toLowerCase();
  const canonical = byName[wanted]?.name;
  const accepted = [wanted, canonical?.toLowerCase(), canonical ? metadataNames[canonical] : undefined].filter(Boolean);
  const entry = entries.find((e) => accepted.includes(e?.name?.toLowerCase())) ?? (entries.length === 1 ? entries[0] : undefined);
  const arm = entry?.resourceManager;
  const login = entry?.authentication?.loginEndpoint;
  if (!entry || typeof arm !== 'string' || typeof login !== 'string') {
    throw new AzchrootError('AZC_CLOUD_METADATA', `metadata_host ${url} lists no usable cloud${name ? ` named "${name}"` : ''} (need resourceManager and authentication.loginEndpoint)`, 'user', {
      hint: 'Set cloud_environment_name to the name of one of the clouds the host describes.',
    });
  }
  requireHttps(arm, `the resourceManager endpoint that metadata_host ${url} returned,`);
  requireHttps(login, `the loginEndpoint that metadata_host ${url} returned,`);
  const armEndpoint = arm.replace(/\/+$/, '');
  const audience = (entry.authentication?.audiences ?? []).find((a) => a.replace(/\/+$/, '') === armEndpoint) ?? armEndpoint;
  return {
    name: entry.name ?? 'custom',
    armEndpoint,
    authorityHost: login.replace(/\/+$/, ''),
    armScope: `${audience.replace(/\/+$/, '')}/.default`,
  };
}

interface MetadataEntry {
  name?: string;
  resourceManager?: string;
  authentication?: { loginEndpoint?: string; audiences?: string[] };
}
