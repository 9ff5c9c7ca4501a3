// Host facts and commands for the failure end-to-end tests: why a test must be skipped, and
// asynchronous command runs (the emulator serves from this same process, so nothing may block it).

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const TOOLS = ['losetup', 'partx', 'sfdisk', 'mkfs.ext4', 'mount', 'umount', 'chroot', 'busybox'];

/** Why these tests cannot run here, or undefined when they can. */
export function skipReason(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux (loop devices, mount, chroot)';
  if (process.getuid?.() !== 0) return 'needs root (loop devices, mount, chroot)';
  const path = (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').concat('/usr/sbin', '/sbin', '/bin');
  const missing = TOOLS.filter((tool) => !path.some((dir) => existsSync(join(dir, tool))));
  if (missing.length > 0) return `missing host tools: ${missing.join(', ')} (apt-get install util-linux fdisk e2fsprogs busybox-static)`;
  if (!existsSync('/bin/busybox')) return 'the templates copy /bin/busybox into the image: install busybox-static';
  return undefined;
}

/** Runs a host command without blocking the event loop; returns its stdout, throws on failure. */
export async function run(command: string, args: readonly string[]): Promise<string> {
  const { stdout } = await execFileAsync(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Like run(), but never throws (for cleanup paths). */
export async function tryRun(command: string, args: readonly string[]): Promise<void> {
  await run(command, args).catch(() => undefined);
}

/** Polls `check` every 50 ms until it returns a value other than undefined; throws after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
