// Starts an emulator on a fake backend in a temp state dir for one test, with clients for it.
// Everything is stopped and removed in t.after.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { ComputeManagementClient } from '@azure/arm-compute';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { EmulatorOptions, RunningEmulator } from '../../../src/emulator/api.js';
import type { EmulatorTuning } from '../../../src/emulator/defaults.js';
import { startEmulatorWith } from '../../../src/emulator/start.js';
import type { DiskBackend } from '../../../src/emulator/disk-backend.js';
import { createFakeDiskBackend, type FakeDiskBackend } from './fake-disk-backend.js';

export interface Harness {
  emu: RunningEmulator;
  backend: FakeDiskBackend;
  stateDir: string;
  ca: Buffer;
  /** A token from the emulator's IMDS. */
  token(): Promise<string>;
  /** ComputeManagementClient on the emulator (IMDS token credential, no retries). */
  client(): ComputeManagementClient;
  /** Raw ARM request; `token: null` sends no Authorization header. */
  arm(method: string, path: string, opts?: { body?: unknown; token?: string | null; headers?: Record<string, string> }): Promise<RawResponse>;
  /** Full resource id in the emulator's subscription and group. */
  id(typeAndName: string): string;
  sub: string;
  rg: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  text: string;
}

/** An https request trusting `ca`. */
export function httpsRequest(url: string, ca: Buffer, method: string, body?: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca, headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A credential fetching tokens from the emulator's IMDS. */
export function imdsCredential(imdsEndpoint: string): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      const res = await fetch(`${imdsEndpoint}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F`, { headers: { Metadata: 'true' } });
      const json = (await res.json()) as { access_token: string; expires_on: string };
      return { token: json.access_token, expiresOnTimestamp: Number(json.expires_on) * 1000 };
    },
  };
}

/** Starts an emulator for test `t`. */
export async function startHarness(t: TestContext, options: Partial<EmulatorOptions> & EmulatorTuning = {}, backend?: DiskBackend): Promise<Harness> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'azemu-test-'));
  const fake = createFakeDiskBackend();
  const emu = await startEmulatorWith({ quiet: true, ...options, stateDir }, backend ?? fake);
  t.after(async () => {
    await emu.stop();
    if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
  });
  const ca = readFileSync(emu.endpoints.caCertPath);
  const e = emu.endpoints;
  const cred = imdsCredential(e.imdsEndpoint);
  const h: Harness = {
    emu,
    backend: fake,
    stateDir,
    ca,
    sub: e.subscriptionId,
    rg: e.resourceGroup,
    token: async () => (await cred.getToken('https://management.azure.com/.default'))!.token,
    client: () => new ComputeManagementClient(cred, e.subscriptionId, { endpoint: e.armEndpoint, tlsOptions: { ca }, retryOptions: { maxRetries: 0 } }),
    async arm(method, path, opts = {}) {
      const token = opts.token === undefined ? await h.token() : opts.token;
      const headers: Record<string, string> = { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(opts.headers ?? {}) };
      return httpsRequest(`${e.armEndpoint}${path}`, ca, method, opts.body === undefined ? undefined : JSON.stringify(opts.body), headers);
    },
    id: (typeAndName) => `/subscriptions/${e.subscriptionId}/resourceGroups/${e.resourceGroup}/providers/Microsoft.Compute/${typeAndName}`,
  };
  return h;
}

/** Poll options that make SDK LROs fast. */
export const FAST = { updateIntervalInMs: 10 } as const;
