// The emulator's public contract: how tests, `azchroot emulator serve` and `azchroot build --emulator`
// start it and find it. The emulator serves ARM (HTTPS), Entra ID sign-in (HTTPS, same port) and
// IMDS (HTTP) on loopback, and stores disks as sparse files that attach as loop devices.

import type { DirectoryEntries } from './identity/directory.js';
export type { AppRegistration, DirectoryEntries, FederatedCredential, GithubJob, UserAssignedIdentity } from './identity/directory.js';

/** Written to <state>/endpoints.json when the emulator is ready. */
export interface Endpoints {
  /** https://127.0.0.1:PORT */
  armEndpoint: string;
  /** http://127.0.0.1:PORT (serves /metadata/...) */
  imdsEndpoint: string;
  /** https://127.0.0.1:PORT (same server as ARM; /{tenant}/oauth2/v2.0/token...) */
  authorityHost: string;
  /** PEM of the CA that signed the server certificate. */
  caCertPath: string;
  subscriptionId: string;
  tenantId: string;
  resourceGroup: string;
  vmName: string;
  location: string;
  /** Where attached disks appear: <devroot>/disk/azure/scsi1/lun<N> -> ../../../loopX, <devroot>/disk/azure/data/by-lun/<N>, -part<P> links. */
  devroot: string;
  /** A sysfs-shaped view of the attached disks (<state>/sys): pass it to device discovery as its sysroot. */
  sysroot: string;
  /** Admin endpoint for fault rules and the directory: https://127.0.0.1:PORT/_emulator (same server as ARM). */
  adminEndpoint: string;
  /** ACTIONS_ID_TOKEN_REQUEST_URL for the GitHub Actions jobs of the directory: https://127.0.0.1:PORT/_github/idtoken?api-version=2.0 */
  githubTokenRequestUrl: string;
  /** PID of the serving process. */
  pid: number;
}

export type LatencyProfile = 'instant' | 'azure';

export interface FaultRule {
  /** Operation name, e.g. `disks.createOrUpdate`, `virtualMachines.attachDetachDataDisks`, `galleryImageVersions.createOrUpdate`, or `*`. */
  operation: string;
  /** Fail with this HTTP status (and Azure error code) `times` times. */
  status?: number;
  code?: string;
  message?: string;
  times?: number;
  /** Throttle: answer 429 with this Retry-After (seconds). */
  retryAfter?: number;
  /** Accept the request but end the long-running operation as Failed. */
  failLro?: boolean;
  /** A request that gets no answer: hold it this many ms (or until the client hangs up), then answer 504 GatewayTimeout without doing it. */
  hangMs?: number;
  /** Device link: delay its creation by this many ms, or never create it. */
  linkDelayMs?: number;
  neverLink?: boolean;
}

export interface EmulatorOptions {
  /** State directory: resources as JSON, disk files, certificates, endpoints.json, requests.jsonl. */
  stateDir: string;
  /** host:port; default 127.0.0.1:0 (OS picks). */
  armListen?: string;
  imdsListen?: string;
  /** Where /disk/azure/scsi1 links are made; default <stateDir>/dev. Use /dev only in a private mount namespace. */
  devroot?: string;
  subscriptionId?: string; // default 00000000-0000-0000-0000-000000000001
  tenantId?: string; // default 00000000-0000-0000-0000-0000000000aa
  resourceGroup?: string; // default azchroot-rg
  vmName?: string; // default golden-vm
  location?: string; // default westeurope
  zone?: string;
  latency?: LatencyProfile;
  /** Multiplies every latency (0.01 makes the azure profile 100x faster). */
  latencyScale?: number;
  /** Lifetime of issued tokens, seconds (default 3600). */
  tokenLifetimeSeconds?: number;
  faults?: FaultRule[];
  /**
   * `polite` (default): always the same legal answer. `real`: per request a seeded choice among the
   * answers Azure legally gives (sync 200 or 201/202, Azure-AsyncOperation and/or Location,
   * Retry-After, transient 429/503 with throttling headers, preemption of a running VM operation).
   */
  azureMode?: 'polite' | 'real';
  /** What a VM write meets while another runs: refused (409 Conflict) or preempting it; default: polite refuses, real picks. */
  vmConcurrency?: 'refuse' | 'preempt';
  /** Seed of the `real` mode's choices (default 1): the same seed replays the same choices. */
  seed?: number;
  /** Device links appear this many ms after an attach finished, as udev makes them (default 0). */
  linkDelayMs?: number;
  /** App registrations, user-assigned identities and GitHub Actions jobs, added to <state>/directory.json at start. */
  directory?: DirectoryEntries;
  /** Quiet: no ready line on stdout. */
  quiet?: boolean;
}

export interface RunningEmulator {
  endpoints: Endpoints;
  /** Add fault rules at run time. */
  addFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  /** The rules still active (with the times they have left). */
  listFaults(): FaultRule[];
  /** Detach everything the emulator attached, close the servers. Idempotent. */
  stop(): Promise<void>;
}
