// The emulator's Entra ID directory: app registrations (client secrets, certificates, federated
// credentials), user-assigned managed identities, and the GitHub Actions jobs whose OIDC request
// tokens the emulator's Actions token service accepts. Kept in <state>/directory.json, re-read on
// every request (tests and `POST /_emulator/directory` change it while the server runs); options
// given at start are merged in.

import { createHash, X509Certificate } from 'node:crypto';
import { readJson, writeJsonAtomic } from '../json-files.js';

export interface AppSecret {
  value: string;
  /** ISO time after which the secret no longer works. */
  expiresOn?: string;
}

export interface FederatedCredential {
  issuer: string;
  subject: string;
  /** Default ["api://AzureADTokenExchange"], as the portal sets it. */
  audiences?: string[];
}

export interface AppRegistration {
  /** Application (client) id. */
  appId: string;
  displayName?: string;
  /** Object id of the service principal (the tokens' oid); derived from appId when absent. */
  objectId?: string;
  /** Client secrets: a value, or a value with an expiry. */
  secrets?: (string | AppSecret)[];
  /** Certificates (PEM) whose keys may sign client assertions. */
  certificates?: string[];
  federatedCredentials?: FederatedCredential[];
}

export interface UserAssignedIdentity {
  name: string;
  clientId: string;
  /** Object id; derived from clientId when absent. */
  principalId?: string;
  /** Resource group of the identity resource; default the emulator's. */
  resourceGroup?: string;
}

export interface GithubJob {
  /** The job's ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  requestToken: string;
  /** owner/repo */
  repository: string;
  /** Default refs/heads/main. */
  ref?: string;
  /** When set, the subject is repo:<repository>:environment:<environment>. */
  environment?: string;
}

export interface DirectoryEntries {
  applications?: AppRegistration[];
  userAssignedIdentities?: UserAssignedIdentity[];
  githubJobs?: GithubJob[];
}

export interface Directory {
  entries(): Required<DirectoryEntries>;
  /** Adds entries, replacing those with the same appId / clientId / requestToken. */
  add(entries: DirectoryEntries): void;
  clear(): void;
  application(appId: string): AppRegistration | undefined;
  userAssignedIdentity(by: { clientId?: string; objectId?: string; resourceId?: string }, subscriptionId: string, defaultGroup: string): (UserAssignedIdentity & { principalId: string; resourceId: string }) | undefined;
  githubJob(requestToken: string): GithubJob | undefined;
}

/** A stable GUID derived from `seed` (object ids of registrations that give none). */
export function derivedGuid(seed: string): string {
  const h = createHash('sha256').update(seed.toLowerCase()).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Checks the shape of directory entries; throws a TypeError naming the bad field. */
export function checkEntries(value: unknown): DirectoryEntries {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new TypeError('directory entries must be an object with applications, userAssignedIdentities and/or githubJobs');
  const v = value as Record<string, unknown>;
  const list = (k: string): Record<string, unknown>[] => {
    const a = v[k];
    if (a === undefined) return [];
    if (!Array.isArray(a) || a.some((x) => !x || typeof x !== 'object')) throw new TypeError(`${k} must be an array of objects`);
    return a as Record<string, unknown>[];
  };
  const str = (o: Record<string, unknown>, k: string, where: string): void => {
    if (typeof o[k] !== 'string' || o[k] === '') throw new TypeError(`${where}.${k} must be a non-empty string`);
  };
  list('applications').forEach((a, i) => {
    str(a, 'appId', `applications[${i}]`);
    for (const [j, pem] of ((a.certificates as unknown[]) ?? []).entries()) {
      try {
        new X509Certificate(String(pem));
      } catch (e) {
        throw new TypeError(`applications[${i}].certificates[${j}] is not a PEM certificate: ${(e as Error).message}`);
      }
    }
    ((a.federatedCredentials as Record<string, unknown>[]) ?? []).forEach((f, j) => {
      str(f, 'issuer', `applications[${i}].federatedCredentials[${j}]`);
      str(f, 'subject', `applications[${i}].federatedCredentials[${j}]`);
    });
  });
  list('userAssignedIdentities').forEach((u, i) => {
    str(u, 'name', `userAssignedIdentities[${i}]`);
    str(u, 'clientId', `userAssignedIdentities[${i}]`);
  });
  list('githubJobs').forEach((g, i) => {
    str(g, 'requestToken', `githubJobs[${i}]`);
    str(g, 'repository', `githubJobs[${i}]`);
  });
  return v as DirectoryEntries;
}

/** The directory kept in `file`. */
export function createDirectory(file: string): Directory {
  const entries = (): Required<DirectoryEntries> => {
    const d = readJson<DirectoryEntries>(file) ?? {};
    return { applications: d.applications ?? [], userAssignedIdentities: d.userAssignedIdentities ?? [], githubJobs: d.githubJobs ?? [] };
  };
  const same = (a: string, b: string | undefined): boolean => b !== undefined && a.toLowerCase() === b.toLowerCase();
  return {
    entries,
    add(more) {
      const d = entries();
      const merge = <T>(old: T[], add: T[] | undefined, key: (x: T) => string): T[] => [...old.filter((o) => !(add ?? []).some((n) => key(n).toLowerCase() === key(o).toLowerCase())), ...(add ?? [])];
      writeJsonAtomic(file, {
        applications: merge(d.applications, more.applications, (a) => a.appId),
        userAssignedIdentities: merge(d.userAssignedIdentities, more.userAssignedIdentities, (u) => u.clientId),
        githubJobs: merge(d.githubJobs, more.githubJobs, (g) => g.requestToken),
      });
    },
    clear: () => writeJsonAtomic(file, {}),
    application: (appId) => entries().applications.find((a) => same(a.appId, appId)),
    userAssignedIdentity(by, subscriptionId, defaultGroup) {
      const withIds = entries().userAssignedIdentities.map((u) => ({
        ...u,
        principalId: u.principalId ?? derivedGuid(`uai:${u.clientId}`),
        resourceId: `/subscriptions/${subscriptionId}/resourcegroups/${u.resourceGroup ?? defaultGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${u.name}`,
      }));
      return withIds.find((u) => same(u.clientId, by.clientId) || same(u.principalId, by.objectId) || same(u.resourceId, by.resourceId));
    },
    githubJob: (token) => entries().githubJobs.find((g) => g.requestToken === token),
  };
}
