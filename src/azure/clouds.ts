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

/** Reads endpoints from `https://<host>/metadata/endpoints`; `name` picks the entry when the host lists several clouds. */
export async function cloudFromMetadataHost(host: string, name: string | undefined, signal?: AbortSignal): Promise<CloudEnvironment> {
  const base = /^https?:\/\//i.test(host) ? host.replace(/\/+$/, '') : `https://${host.replace(/\/+$/, '')}`;
  const url = `${base}/metadata/endpoints?api-version=2022-09-01`;
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
  const entries = (Array.isArray(body) ? body : [body]) as MetadataEntry[];
  const wanted = (name ?? '').toLowerCase();
  const canonical = byName[wanted]?.name;
  const accepted = [wanted, canonical?.toLowerCase(), canonical ? metadataNames[canonical] : undefined].filter(Boolean);
  const entry = entries.find((e) => accepted.includes(e?.name?.toLowerCase())) ?? (entries.length === 1 ? entries[0] : undefined);
  const arm = entry?.resourceManager;
  const login = entry?.authentication?.loginEndpoint;
  if (!entry || !arm || !login) {
    throw new AzchrootError('AZC_CLOUD_METADATA', `metadata_host ${url} lists no usable cloud${name ? ` named "${name}"` : ''} (need resourceManager and authentication.loginEndpoint)`, 'user', {
      hint: 'Set cloud_environment_name to the name of one of the clouds the host describes.',
    });
  }
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
