// The end-to-end harness: one emulator per test file (with base images registered), a directory per
// test whose leftovers are checked and cleaned in t.after, and builds through the CLI or build().

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOutcome } from '../../../src/build.js';
import { connectAzure } from '../../../src/azure/connect.js';
import type { AzurePort, VmIdentity } from '../../../src/azure/ports.js';
import type { AuthConfig } from '../../../src/config/model.js';
import type { EmulatorOptions, Endpoints, RunningEmulator } from '../../../src/emulator/api.js';
import { startEmulator } from '../../../src/emulator/index.js';
import { formatDiagnostic } from '../../../src/diagnostics.js';
import { TemplateError } from '../../../src/errors.js';
import { MemoryReporter } from '../../../src/report/reporter.js';
import { deferStack, type AfterHook, type Defer } from '../../helpers/temp-dir.js';
import { registerBaseImages, type RegisteredImage } from './base-image.js';
import { findLeftovers, forceCleanup } from './leftovers.js';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
export const BIN = join(REPO, 'bin', 'azchroot');

/** Why this file's tests cannot run here, or undefined when they can. */
export function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'end-to-end builds need root (loop devices, mount, chroot)';
  for (const tool of ['/bin/busybox', '/usr/sbin/sfdisk', '/usr/bin/partx', '/usr/sbin/mkfs.ext4', '/usr/sbin/losetup']) {
    if (!existsSync(tool) && !existsSync(tool.replace('/usr', ''))) return `${tool} is missing (apt-get install busybox-static fdisk e2fsprogs util-linux)`;
  }
  return undefined;
}

export interface E2eEnv {
  dir: string;
  stateDir: string;
  endpoints: Endpoints;
  emulator: RunningEmulator;
  azure: AzurePort;
  vm: VmIdentity;
  images: RegisteredImage[];
  /** /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Compute */
  prefix: string;
  close(): Promise<void>;
}

export interface ImageSet { publisher: string; offer: string; sku: string; versions: string[]; label?: 'dos' | 'gpt'; hyperVGeneration?: 'V1' | 'V2' }

/** The Debian-like URN the seed examples use, with an older and a newer version. */
export const DEBIAN: ImageSet = { publisher: 'credativ', offer: 'Debian', sku: '9', versions: ['9.20190101.0', '9.20200722.0'] };

/** Starts an emulator in a fresh directory and registers `imageSets`. Call from before(); close() from after(). */
export async function startE2e(imageSets: ImageSet[] = [DEBIAN], emulatorOptions: Partial<EmulatorOptions> = {}): Promise<E2eEnv> {
  const dir = await mkdtemp(join(tmpdir(), 'azc-e2e-'));
  const stateDir = join(dir, 'emulator');
  let emulator: RunningEmulator | undefined;
  try {
    const images: RegisteredImage[] = [];
    for (const set of imageSets) images.push(...(await registerBaseImages(stateDir, dir, set)));
    emulator = await startEmulator({ ...emulatorOptions, stateDir, quiet: true });
    const endpoints = emulator.endpoints;
    const auth: AuthConfig = { cloudEnvironmentName: 'Public', useAzureCliAuth: false };
    const { azure, vm } = await connectAzure({ auth, emulator: endpoints });
    const prefix = `/subscriptions/${endpoints.subscriptionId}/resourceGroups/${endpoints.resourceGroup}/providers/Microsoft.Compute`;
    const running = emulator;
    return {
      dir, stateDir, endpoints, emulator: running, azure, vm, images, prefix,
      async close() {
        await forceCleanup(stateDir, [dir], azure, vm);
        await running.stop();
        await forceCleanup(stateDir, [dir], undefined, undefined);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await emulator?.stop().catch(() => undefined);
    await forceCleanup(stateDir, [dir], undefined, undefined);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

export interface TestDir {
  dir: string;
  /** Journal and lock directory for --state-dir. */
  journal: string;
  /** Parent of per-test mount paths: use `${mnt}/{{.Device}}`. */
  mnt: string;
  /** Runs `fn` after the test, before the leftover check (last deferred runs first). */
  defer: Defer;
}

let counter = 0;

/** A directory for one test; after the test, leftovers are asserted (and then removed anyway). */
export async function testDir(t: AfterHook, env: E2eEnv): Promise<TestDir> {
  counter += 1;
  const dir = join(env.dir, `t${counter}`);
  const defer = deferStack(t);
  const td: TestDir = { dir, journal: join(dir, 'journal'), mnt: join(dir, 'mnt'), defer };
  await mkdir(td.mnt, { recursive: true });
  await mkdir(td.journal, { recursive: true });
  // Registered first, so it runs after everything the test defers itself (LIFO).
  defer(async () => {
    const dirs = [dir, env.stateDir];
    const left = findLeftovers(env.stateDir, env.vm.name, dirs);
    await forceCleanup(env.stateDir, dirs, env.azure, env.vm);
    await rm(dir, { recursive: true, force: true });
    if (left.length > 0) throw new Error(`the test left behind:\n  ${left.join('\n  ')}`);
  });
  return td;
}

export interface CliResult { code: number | null; stdout: string; stderr: string; output: string }

/** Runs bin/azchroot with `args` (asynchronously: the emulator in this process must keep serving). */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? REPO, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; output += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; output += s; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, output });
    });
  });
}

/** `azchroot build --emulator <state> --state-dir <journal> [extra] <template>`, from the test directory. */
export function cliBuild(env: E2eEnv, td: TestDir, template: string, extra: string[] = [], cliEnv: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(['build', '--emulator', env.stateDir, '--state-dir', td.journal, ...extra, template], { cwd: td.dir, env: cliEnv });
}

/** Builds through the programmatic API; returns outcomes and the recorded messages. */
export async function apiBuild(env: E2eEnv, td: TestDir, template: string, opts: { vars?: [string, string][]; env?: Record<string, string | undefined> } = {}): Promise<{ outcomes: BuildOutcome[]; reporter: MemoryReporter }> {
  const reporter = new MemoryReporter();
  const outcomes = await build(template, {
    vars: opts.vars,
    env: opts.env ?? process.env,
    cwd: td.dir,
    reporter,
    addSecrets: () => undefined,
    signal: new AbortController().signal,
    view: 'plain',
    onError: 'cleanup',
    force: false,
    stateDir: td.journal,
    emulatorStateDir: env.stateDir,
  }).catch((err: unknown) => {
    // Name every diagnostic and the build's messages: "the template has 1 error(s)" alone says little.
    const diagnostics = err instanceof TemplateError ? err.diagnostics.map((d) => formatDiagnostic(d)).join('\n') : '';
    throw new Error(`${(err as Error).message}\n${diagnostics}\n--- build output ---\n${reporter.text()}`, { cause: err });
  });
  return { outcomes, reporter };
}

/** Full id of a managed image in the emulator's resource group. */
export function imageId(env: E2eEnv, name: string): string {
  return `${env.prefix}/images/${name}`;
}

/** Full id of a version of an image definition in the starter gallery. */
export function versionId(env: E2eEnv, definition: string, version: string): string {
  return `${env.prefix}/galleries/azchroot_gallery/images/${definition}/versions/${version}`;
}
