// Test disk images with a separate /boot: partition 1 is the ext4 BusyBox root whose /etc/fstab names
// partition 2 (ext4, /boot) by UUID. Built without loop devices, like test/e2e's base images.

import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { populateRoot } from '../e2e/helpers/base-image.js';

export const BOOT_UUID = '6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7';
const ROOT_MIB = 40;
const BOOT_MIB = 16;
const START = 2048;

/** Writes a GPT disk image to `file`: p1 root (fstab: /boot by UUID), p2 /boot. Returns `file`. */
export function makeBootImage(file: string, workDir: string, marker: string): string {
  const root = join(workDir, `root-${marker}`);
  const boot = join(workDir, `boot-${marker}`);
  const rootImg = join(workDir, `root-${marker}.img`);
  const bootImg = join(workDir, `boot-${marker}.img`);
  try {
    populateRoot(root, marker);
    mkdirSync(join(root, 'boot'));
    writeFileSync(join(root, 'etc/fstab'), `# test image\nLABEL=root / ext4 defaults 0 1\nUUID=${BOOT_UUID} /boot ext4 defaults,nodev 0 2\n/dev/sda9 none swap sw 0 0\n`);
    mkdirSync(boot);
    writeFileSync(join(boot, 'azc-boot-marker'), `${marker}\n`);
    execFileSync('mkfs.ext4', ['-q', '-F', '-L', 'root', '-d', root, rootImg, `${ROOT_MIB}M`], { stdio: 'pipe' });
    execFileSync('mkfs.ext4', ['-q', '-F', '-L', 'boot', '-U', BOOT_UUID, '-d', boot, bootImg, `${BOOT_MIB}M`], { stdio: 'pipe' });
    execFileSync('truncate', ['-s', `${ROOT_MIB + BOOT_MIB + 4}M`, file]);
    const sectors = (mib: number): number => (mib * 1024 * 1024) / 512;
    const bootStart = START + sectors(ROOT_MIB);
    execFileSync('sfdisk', ['--quiet', file], {
      input: `label: gpt\nstart=${START}, size=${sectors(ROOT_MIB)}, type=L\nstart=${bootStart}, size=${sectors(BOOT_MIB)}, type=L\n`,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    for (const [img, sector] of [[rootImg, START], [bootImg, bootStart]] as const) {
      execFileSync('dd', [`if=${img}`, `of=${file}`, 'bs=1M', `seek=${sector * 512}`, 'oflag=seek_bytes', 'conv=notrunc,sparse', 'status=none']);
    }
    return file;
  } finally {
    for (const p of [root, boot, rootImg, bootImg]) rmSync(p, { recursive: true, force: true });
  }
}

/** Reads `paths` from partition `part` of a raw disk file (read-only loop, ro mount); missing → undefined. */
export function readFromPartition(file: string, part: number, paths: readonly string[], mnt: string): (string | undefined)[] {
  const loop = execFileSync('losetup', ['-r', '--find', '--show', '--partscan', file], { encoding: 'utf8' }).trim();
  mkdirSync(mnt, { recursive: true });
  let mounted = false;
  try {
    execFileSync('partx', ['--add', loop], { stdio: 'ignore' });
  } catch {
    // --partscan already added them.
  }
  try {
    execFileSync('mount', ['-o', 'ro,noload', `${loop}p${part}`, mnt], { stdio: 'pipe' });
    mounted = true;
    return paths.map((p) => {
      try {
        return execFileSync('cat', [join(mnt, p)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      } catch {
        return undefined;
      }
    });
  } finally {
    if (mounted) execFileSync('umount', [mnt]);
    execFileSync('losetup', ['--detach', loop]);
    rmSync(mnt, { recursive: true, force: true });
  }
}
