// Real disk data for the fake AzurePort: each disk is a sparse file; attach = losetup -P plus the
// relative link <devroot>/disk/azure/scsi1/lun<N> -> ../../../loopX, like the emulator and waagent.

import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FakeDiskBackend } from './fake-azure.js';

export interface LoopBackend extends FakeDiskBackend {
  fileOf(diskId: string): string;
  imageFile(imageId: string): string;
  /** Detaches every loop device this backend attached (test teardown). */
  dispose(): void;
}

const safe = (id: string): string => id.toLowerCase().replace(/[^a-z0-9.-]+/g, '_').slice(-100);

/** Backend storing disks under `dir`, links under `devroot`. */
export function createLoopBackend(dir: string, devroot: string): LoopBackend {
  mkdirSync(join(dir, 'disks'), { recursive: true });
  mkdirSync(join(dir, 'images'), { recursive: true });
  const loops = new Map<string, string>();
  const fileOf = (id: string): string => join(dir, 'disks', `${safe(id)}.img`);
  const imageFile = (id: string): string => join(dir, 'images', `${safe(id)}.img`);
  const linkOf = (lun: number): string => join(devroot, 'disk/azure/scsi1', `lun${lun}`);
  return {
    fileOf,
    imageFile,
    async create(id, spec) {
      writeFileSync(fileOf(id), '');
      truncateSync(fileOf(id), (spec.diskSizeGB ?? 1) * 1024 ** 3);
    },
    async attach(id, lun) {
      const loop = execFileSync('losetup', ['--find', '--show', '--partscan', fileOf(id)], { encoding: 'utf8' }).trim();
      loops.set(id.toLowerCase(), loop);
      mkdirSync(join(devroot, 'disk/azure/scsi1'), { recursive: true });
      symlinkSync(`../../../${basename(loop)}`, linkOf(lun));
    },
    async detach(id, lun) {
      rmSync(linkOf(lun), { force: true });
      const loop = loops.get(id.toLowerCase());
      if (loop) execFileSync('losetup', ['-d', loop]);
      loops.delete(id.toLowerCase());
    },
    async remove(id) {
      rmSync(fileOf(id), { force: true });
    },
    async captureImage(imageId, diskId) {
      execFileSync('cp', ['--sparse=always', fileOf(diskId), imageFile(imageId)]);
    },
    dispose() {
      for (const loop of loops.values()) {
        try {
          execFileSync('losetup', ['-d', loop]);
        } catch {
          // already gone
        }
      }
      loops.clear();
      if (existsSync(join(devroot, 'disk/azure/scsi1'))) rmSync(join(devroot, 'disk'), { recursive: true, force: true });
    },
  };
}
