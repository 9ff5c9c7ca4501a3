// Sandboxes for tests that must talk to "Azure": a fresh network namespace with only `lo` (plus
// 169.254.169.254/32 on lo, so IMDS is local), /etc/hosts mapping the Azure host names to 127.0.0.1,
// and a private mount namespace with a tmpfs on /dev/disk. Nothing can leave the namespace (it has
// no route), and everything is torn down even when the test fails.

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { acquireDevDisk, releaseDevDisk } from './dev-disk-dir.js';
import { deferStack, type AfterHook } from './temp-dir.js';

export const AZURE_HOSTS = ['management.azure.com', 'login.microsoftonline.com', 'login.windows.net'];

export interface Sandbox {
  /** Network namespace name, azc-<pid>-<n>. */
  name: string;
  /** PID of the process holding the private mount namespace (its /proc/<pid>/mounts shows the sandbox's mounts). */
  holderPid: number;
  /** argv prefix that runs a command inside the sandbox (network and mount namespace). */
  enter: readonly string[];
  /** Starts a command inside the sandbox; it is killed at teardown if still running. */
  spawn(argv: readonly string[], options?: SpawnOptions): ChildProcess;
  /** Runs a command inside the sandbox to completion. */
  run(argv: readonly string[], options?: SpawnOptions & { timeoutMs?: number }): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Kills what is still running, deletes the namespace and its files. Idempotent. */
  teardown(): Promise<void>;
}

let counter = 0;

/** Creates a sandbox and registers its teardown with the test. */
export async function createSandbox(t: AfterHook): Promise<Sandbox> {
  const sandbox = await openSandbox();
  deferStack(t)(() => sandbox.teardown());
  return sandbox;
}

/** Creates a sandbox; the caller must call teardown() (use createSandbox in tests). */
export async function openSandbox(): Promise<Sandbox> {
  const name = `azc-${process.pid}-${counter++}`;
  const children = new Set<ChildProcess>();
  let holder: ChildProcess | undefined;
  let devDisk = false;
  let madeEtcNetns = false;
  let tornDown = false;

  const teardown = async (): Promise<void> => {
    if (tornDown) return;
    tornDown = true;
    const errors: unknown[] = [];
    const step = async (fn: () => unknown): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        errors.push(err);
      }
    };
    for (const child of children) await step(() => stopProcess(child));
    if (holder) await step(() => stopProcess(holder as ChildProcess));
    if (devDisk) await step(() => releaseDevDisk(name));
    await step(() => execFileSync('ip', ['netns', 'delete', name], { stdio: 'pipe' }));
    await step(() => rm(`/etc/netns/${name}`, { recursive: true, force: true }));
    // /etc/netns itself goes too when this sandbox made it and no other sandbox uses it.
    if (madeEtcNetns) await step(() => rmdir('/etc/netns').catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOTEMPTY' && e.code !== 'ENOENT') throw e; }));
    if (errors.length > 0) throw new AggregateError(errors, `sandbox ${name} teardown failed`);
  };

  try {
    execFileSync('ip', ['netns', 'add', name], { stdio: 'pipe' });
    madeEtcNetns = !existsSync('/etc/netns');
    await mkdir(`/etc/netns/${name}`, { recursive: true });
    // `ip netns exec` bind-mounts this file over /etc/hosts inside the namespace.
    await writeFile(`/etc/netns/${name}/hosts`, `127.0.0.1 localhost\n::1 localhost\n127.0.0.1 ${AZURE_HOSTS.join(' ')}\n`);
    execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up'], { stdio: 'pipe' });
    execFileSync('ip', ['-n', name, 'addr', 'add', '169.254.169.254/32', 'dev', 'lo'], { stdio: 'pipe' });
    acquireDevDisk(name);
    devDisk = true;
    holder = await startHolder(name);
  } catch (err) {
    await teardown().catch(() => undefined);
    throw err;
  }

  const holderPid = holder.pid as number;
  const enter = ['nsenter', '--target', String(holderPid), '--mount', '--net', '--'];
  const spawnInside = (argv: readonly string[], options: SpawnOptions = {}): ChildProcess => {
    if (tornDown) throw new Error(`sandbox ${name} is already torn down`);
    const child = spawn(enter[0] as string, [...enter.slice(1), ...argv], options);
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  };

  return {
    name,
    holderPid,
    enter,
    spawn: spawnInside,
    async run(argv, options = {}) {
      const child = spawnInside(argv, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
      child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
      const [code] = (await once(child, 'close')) as [number | null];
      if (timer) clearTimeout(timer);
      return { code, stdout, stderr };
    },
    teardown,
  };
}

// The holder keeps the private mount namespace alive: `ip netns exec` (network namespace, /etc/hosts)
// → `unshare -m --propagation private` (so our mounts never reach the host) → tmpfs on /dev/disk.
// ip, unshare and sh exec without forking, so the spawned pid is the holder's pid.
async function startHolder(name: string): Promise<ChildProcess> {
  const script = 'mount -t tmpfs -o mode=0755 azc-devdisk /dev/disk && mkdir -p /dev/disk/azure/scsi1 && echo ready && exec sleep 2147483647';
  const holder = spawn('ip', ['netns', 'exec', name, 'unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  holder.stderr?.setEncoding('utf8').on('data', (s: string) => (output += s));
  const ready = new Promise<void>((resolve, reject) => {
    holder.stdout?.setEncoding('utf8').on('data', (s: string) => {
      if (s.includes('ready')) resolve();
    });
    holder.once('exit', (code) => reject(new Error(`sandbox ${name}: mount namespace setup exited with ${code}: ${output.trim()}`)));
    holder.once('error', reject);
  });
  try {
    await ready;
  } catch (err) {
    await stopProcess(holder).catch(() => undefined);
    throw err;
  }
  return holder;
}

/** SIGTERM, then SIGKILL after 10 s; resolves when the process has exited. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
