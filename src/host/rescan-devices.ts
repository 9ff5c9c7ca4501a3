// Asking for the block devices' udev links (/dev/disk/by-uuid...) to be refreshed after the disk's
// partitions changed (pre_mount_commands may partition and format it), so that tools in the chroot
// (update-grub, for one) find them. Where udev runs: `udevadm trigger` + `udevadm settle`. Under the
// emulator, which has no udev, its device-link service listens on a socket in the devroot.

import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { runArgv } from './exec.js';

/** The emulator's device-link service socket, relative to the devroot (under disk/: with devroot /dev, that is a sandbox's private /dev/disk, never the shared devtmpfs). */
export const RESCAN_SOCKET = 'disk/.azchroot-rescan.sock';
const UDEV_CONTROL = '/run/udev/control';
const TIMEOUT_MS = 60_000;

/** Who refreshed the links: "udev", "the emulator's device-link service (3 links)", or why nobody did. */
export async function requestRescan(devroot: string, device: string, signal?: AbortSignal): Promise<string> {
  const socket = join(devroot, RESCAN_SOCKET);
  if (existsSync(socket)) return `the emulator's device-link service: ${await askService(socket, device)}`;
  if (existsSync(UDEV_CONTROL)) {
    await runArgv(['udevadm', 'trigger', '--action=change', '--subsystem-match=block'], { signal });
    await runArgv(['udevadm', 'settle', `--timeout=${TIMEOUT_MS / 1000}`], { signal });
    return 'udev (udevadm trigger, settle)';
  }
  return `nobody: udev is not running (no ${UDEV_CONTROL}), /dev/disk links are not refreshed`;
}

function askService(path: string, device: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const conn = connect(path);
    conn.setTimeout(TIMEOUT_MS, () => conn.destroy(new Error(`no answer from ${path} within ${TIMEOUT_MS / 1000} s`)));
    conn.setEncoding('utf8');
    conn.once('connect', () => conn.write(`trigger ${device}\n`));
    conn.on('data', (s: string) => { answer += s; });
    conn.once('error', reject);
    conn.once('close', () => {
      const line = answer.trim();
      if (line.startsWith('ok')) resolve(line.slice(2).trim() || 'done');
      else reject(new Error(`${path} answered ${JSON.stringify(line)}`));
    });
  });
}
