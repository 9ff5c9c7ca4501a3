// A small bootable-looking raw disk image for end-to-end builds: a DOS or GPT label with one Linux
// partition holding an ext4 BusyBox root, made without loop devices (mkfs.ext4 -d fills the file
// system from a directory, dd puts it at the partition's offset), then registered as a platform image.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { addImageCommand } from '../../../src/cli/commands/emulator-files.js';

export const DISK_MIB = 64;
const PART_START_SECTOR = 2048;
// Leave room at the end for the backup GPT header (33 sectors).
const PART_MIB = DISK_MIB - 2;

export interface BaseImageOptions {
  label: 'dos' | 'gpt';
  /** Written to /etc/azc-version; tells which registered image a build started from. */
  marker: string;
}

// What /usr/bin/apt-get does in the base image: log its arguments, succeed.
const APT_GET = '#!/bin/sh\nmkdir -p /var/log\necho "apt-get $*" >> /var/log/azc-apt-get.log\n';

/** Fills `root` with a minimal BusyBox system (like a cloud image: resolv.conf is a symlink into /run). */
export function populateRoot(root: string, marker: string): void {
  for (const d of ['bin', 'sbin', 'etc', 'usr/bin', 'usr/sbin', 'proc', 'sys', 'dev', 'tmp', 'run', 'root', 'var/log']) {
    mkdirSync(join(root, d), { recursive: true });
  }
  chmodSync(join(root, 'tmp'), 0o1777);
  copyFileSync('/bin/busybox', join(root, 'bin/busybox'));
  chmodSync(join(root, 'bin/busybox'), 0o755);
  // Same result as `busybox --install -s /bin`, without needing a chroot.
  const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const applet of applets) if (applet !== 'busybox') symlinkSync('busybox', join(root, 'bin', applet));
  writeFileSync(join(root, 'etc/os-release'), `NAME="azc test base"\nVERSION_ID="${marker}"\n`);
  writeFileSync(join(root, 'etc/azc-version'), `${marker}\n`);
  writeFileSync(join(root, 'run/resolv.conf'), 'nameserver 127.0.0.53\n');
  symlinkSync('../run/resolv.conf', join(root, 'etc/resolv.conf'));
  writeFileSync(join(root, 'usr/bin/apt-get'), APT_GET, { mode: 0o755 });
}

/** Writes a raw disk image to `file` (sparse, DISK_MIB MiB) with an ext4 BusyBox root on partition 1. */
export function makeBaseImage(file: string, workDir: string, options: BaseImageOptions): string {
  const root = join(workDir, `root-${options.marker}`);
  const part = join(workDir, `part-${options.marker}.img`);
  try {
    populateRoot(root, options.marker);
    execFileSync('mkfs.ext4', ['-q', '-F', '-L', 'root', '-d', root, part, `${PART_MIB}M`], { stdio: 'pipe' });
    execFileSync('truncate', ['-s', `${DISK_MIB}M`, file]);
    const sectors = (PART_MIB * 1024 * 1024) / 512;
    execFileSync('sfdisk', ['--quiet', file], { input: `label: ${options.label}\nstart=${PART_START_SECTOR}, size=${sectors}, type=L\n`, stdio: ['pipe', 'pipe', 'pipe'] });
    execFileSync('dd', [`if=${part}`, `of=${file}`, 'bs=1M', `seek=${PART_START_SECTOR * 512}`, 'oflag=seek_bytes', 'conv=notrunc,sparse', 'status=none']);
    return file;
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(part, { force: true });
  }
}

export interface RegisteredImage {
  urn: string;
  version: string;
  marker: string;
}

/** Makes one base image per version and registers each under `publisher:offer:sku:<version>`. */
export async function registerBaseImages(
  stateDir: string,
  workDir: string,
  spec: { publisher: string; offer: string; sku: string; versions: string[]; label?: 'dos' | 'gpt'; hyperVGeneration?: 'V1' | 'V2' },
): Promise<RegisteredImage[]> {
  const out: RegisteredImage[] = [];
  for (const version of spec.versions) {
    const marker = `${spec.sku}-${version}`;
    const file = join(workDir, `base-${marker}.raw`);
    makeBaseImage(file, workDir, { label: spec.label ?? 'dos', marker });
    const urn = `${spec.publisher}:${spec.offer}:${spec.sku}:${version}`;
    await addImageCommand({ state: stateDir, urn, file, hyperVGeneration: spec.hyperVGeneration });
    rmSync(file, { force: true });
    out.push({ urn, version, marker });
  }
  return out;
}
