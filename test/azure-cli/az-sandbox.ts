// Debian's Azure CLI (az 2.45) as a client of the emulator: a sandbox (network namespace with only
// lo, Azure host names on 127.0.0.1, 169.254.169.254 on lo) with the emulator on :443 and :80,
// and `az` run inside it with telemetry off, a private AZURE_CONFIG_DIR, the emulator's CA in
// REQUESTS_CA_BUNDLE and the one allowed shim (shim/sitecustomize.py) on PYTHONPATH.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DirectoryEntries, Endpoints } from '../../src/emulator/api.js';
import { openSandbox, type Sandbox } from '../helpers/netns.js';
import { EMULATOR_INDEX, startSandboxedEmulator, type SandboxedEmulator } from '../packer/packer-scenario.js';

export const AZ = '/usr/bin/az';
const SHIM = fileURLToPath(new URL('../../../test/azure-cli/shim', import.meta.url));

export const azSkip = process.getuid?.() !== 0 ? 'needs root' : !existsSync(AZ) ? `${AZ} is not installed (apt-get install azure-cli)` : !existsSync(EMULATOR_INDEX) ? 'the emulator is not built' : false;

export interface AzResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (undefined when empty). */
  json: any;
}

export interface AzWorld {
  sandbox: Sandbox;
  emulator: SandboxedEmulator;
  endpoints: Endpoints;
  dir: string;
  /** The environment az (and azchroot with use_azure_cli_auth) runs with inside the sandbox. */
  env: Record<string, string>;
  /** Runs `az args...` inside the sandbox with its own config directory. */
  az(...args: string[]): Promise<AzResult>;
  /** Like az(), but fails the test with az's output when az exits non-zero. */
  ok(...args: string[]): Promise<any>;
  close(): Promise<void>;
}

/** Opens the sandbox, starts the emulator in it with `directory`, and returns an az runner. */
export async function openAzWorld(dir: string, directory: DirectoryEntries): Promise<AzWorld> {
  const sandbox = await openSandbox();
  let emulator: SandboxedEmulator | undefined;
  try {
    emulator = await startSandboxedEmulator(sandbox, `${dir}/state`, { devroot: '/dev', directory, recordTraffic: true });
    const endpoints = emulator.endpoints;
    const env: Record<string, string> = {
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: dir,
      AZURE_CONFIG_DIR: `${dir}/azure-config`,
      AZURE_CORE_COLLECT_TELEMETRY: 'false',
      AZURE_CORE_NO_COLOR: 'true',
      AZURE_CORE_ONLY_SHOW_ERRORS: 'true',
      AZURE_CORE_SURVEY_MESSAGE: 'false',
      REQUESTS_CA_BUNDLE: endpoints.caCertPath,
      PYTHONPATH: SHIM,
      // No __pycache__ in the source tree.
      PYTHONDONTWRITEBYTECODE: '1',
    };
    const az = async (...args: string[]): Promise<AzResult> => {
      const r = await sandbox.run(['env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), AZ, ...args, '--only-show-errors'], { timeoutMs: 180_000 });
      let json: unknown;
      try {
        json = r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
      } catch {
        json = undefined;
      }
      return { ...r, json };
    };
    const running = emulator;
    return {
      sandbox, emulator: running, endpoints, dir, env, az,
      async ok(...args) {
        const r = await az(...args, '-o', 'json');
        if (r.code !== 0) throw new Error(`az ${args.join(' ')} exited with ${r.code}:\n${r.stderr}\n${r.stdout}\nemulator stderr:\n${running.stderr()}`);
        return r.json;
      },
      async close() {
        try {
          await running.stop();
        } finally {
          await sandbox.teardown();
        }
      },
    };
  } catch (err) {
    await emulator?.stop().catch(() => undefined);
    await sandbox.teardown().catch(() => undefined);
    throw err;
  }
}
