// LVM test images (needs device-mapper): GPT with p1 = /boot (ext4) and p2 = an LVM PV holding VG
// `vg` with LVs root (ext4 BusyBox; fstab names /boot by UUID) and swap. Also a throwaway host VG.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { populateRoot } from '../e2e/helpers/base-image.js';
import { BOOT_UUID } from './boot-image.js';

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Why LVM end-to-end tests cannot run here, or undefined. */
export function lvmSkipReason(): string | undefined {
  for (const tool of ['/usr/sbin/pvcreate', '/usr/sbin/vgimportclone', '/usr/sbin/mkfs.xfs']) {
    if (!existsSync(tool) && !existsSync(tool.replace('/usr', ''))) return `${tool} is missing (apt-get install lvm2 xfsprogs)`;
  }
  if (!readFileSync('/proc/misc', 'utf8').includes('device-mapper')) return 'the kernel has no device-mapper: LVM volumes cannot be activated on this machine';
  return undefined;
}

/** Attaches `file` (partitions scanned); returns the loop device. */
export function attach(file: string, readOnly = false): string {
  const loop = run('losetup', [...(readOnly ? ['-r'] : []), '--find', '--show', '--partscan', file]).trim();
  try {
    run('partx', ['--add', loop]);
  } catch {
    // --partscan added them already.
  }
  return loop;
}

/** Writes the LVM image to `file`. */
export function makeLvmImage(file: string, workDir: string, vg: string): string {
  const root = join(workDir, 'lvm-root');
  const boot = join(workDir, 'lvm-boot');
  populateRoot(root, 'lvm');
  mkdirSync(join(root, 'boot'));
  writeFileSync(join(root, 'etc/fstab'), `/dev/mapper/${vg}-root / ext4 defaults 0 1\nUUID=${BOOT_UUID} /boot ext4 defaults 0 2\n/dev/mapper/${vg}-swap none swap sw 0 0\n`);
  mkdirSync(boot);
  writeFileSync(join(boot, 'azc-boot-marker'), 'lvm\n');
  run('truncate', ['-s', '96M', file]);
  execFileSync('sfdisk', ['--quiet', file], { input: 'label: gpt\nstart=2048, size=32768, type=L\nstart=34816, type=E6D6D379-F507-44C2-A23C-238F2A3DF928\n', stdio: ['pipe', 'pipe', 'pipe'] });
  const loop = attach(file);
  let active = false;
  try {
    run('mkfs.ext4', ['-q', '-F', '-L', 'boot', '-U', BOOT_UUID, '-d', boot, `${loop}p1`]);
    run('pvcreate', ['-q', `${loop}p2`]);
    run('vgcreate', ['-q', vg, `${loop}p2`]);
    active = true;
    run('lvcreate', ['-q', '-y', '-L', '40M', '-n', 'root', vg]);
    run('lvcreate', ['-q', '-y', '-L', '8M', '-n', 'swap', vg]);
    run('mkfs.ext4', ['-q', '-F', '-L', 'root', '-d', root, `/dev/${vg}/root`]);
    run('mkswap', [`/dev/${vg}/swap`]);
    return file;
  } finally {
    if (active) run('vgchange', ['-an', vg]);
    run('losetup', ['--detach', loop]);
    rmSync(root, { recursive: true, force: true });
    rmSync(boot, { recursive: true, force: true });
  }
}

/** A host VG named `vg` with one active LV on a loop file; returns the undo function. */
export function makeHostVg(file: string, vg: string): () => void {
  run('truncate', ['-s', '32M', file]);
  const loop = run('losetup', ['--find', '--show', file]).trim();
  run('pvcreate', ['-q', loop]);
  run('vgcreate', ['-q', vg, '--devices', loop, loop]);
  run('lvcreate', ['-q', '-y', '-L', '8M', '-n', 'hostlv', '--devices', loop, vg]);
  return () => {
    try {
      run('vgchange', ['-an', '--devices', loop, vg]);
      run('vgremove', ['-q', '-f', '--devices', loop, vg]);
    } finally {
      run('losetup', ['--detach', loop]);
      rmSync(file, { force: true });
    }
  };
}

/** Reads files of the exported LVM image: root LV paths and /boot partition paths, under a unique VG name; and the VG name on disk. */
export function inspectLvmExport(file: string, mnt: string, rootPaths: string[], bootPaths: string[]): { vgOnDisk: string; root: (string | undefined)[]; boot: (string | undefined)[] } {
  const loop = attach(file);
  const pv = `${loop}p2`;
  const tmp = `azcinspect${process.pid}`;
  let imported = false;
  const read = (dev: string, paths: string[]): (string | undefined)[] => {
    mkdirSync(mnt, { recursive: true });
    run('mount', ['-o', 'ro', dev, mnt]);
    try {
      return paths.map((p) => (existsSync(join(mnt, p)) ? readFileSync(join(mnt, p), 'utf8') : undefined));
    } finally {
      run('umount', [mnt]);
    }
  };
  try {
    const vgOnDisk = run('pvs', ['--noheadings', '-o', 'vg_name', '--devices', pv, pv]).trim();
    run('vgimportclone', ['--basevgname', tmp, pv]);
    imported = true;
    run('vgchange', ['-ay', tmp]);
    return { vgOnDisk, root: read(`/dev/${tmp}/root`, rootPaths), boot: read(`${loop}p1`, bootPaths) };
  } finally {
    if (imported) run('vgchange', ['-an', tmp]);
    run('losetup', ['--detach', loop]);
    rmSync(mnt, { recursive: true, force: true });
  }
}
