// Look inside what a build produced: export an image, version, disk or snapshot (or one data disk
// of it) to a raw file, attach it read-only, mount partition 1 read-only, read, then undo it all.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { exportCommand } from '../../../src/cli/commands/emulator-files.js';
import { exportBlob } from '../../../src/emulator/disks/index.js';
import { layout, resourceKey, type StoredResource } from '../../../src/emulator/state-layout.js';

/** A file in the image: its text, or the target of a symlink; undefined when missing. */
export type Entry = { kind: 'file'; text: string; mode: number } | { kind: 'link'; target: string } | { kind: 'dir' };

export interface Mounted {
  root: string;
  read(path: string): Promise<Entry | undefined>;
  text(path: string): Promise<string | undefined>;
}

/** Size in bytes of the exported data of `resourceId` (or its data disk at `lun`). */
export async function exportedSize(stateDir: string, resourceId: string, lun?: number): Promise<number> {
  const r = JSON.parse(await readFile(join(layout.resourcesDir(stateDir), `${resourceKey(resourceId)}.json`), 'utf8')) as StoredResource;
  const blob = lun === undefined ? r.blobId : r.dataBlobs?.[String(lun)];
  if (!blob) throw new Error(`${resourceId} has no data${lun === undefined ? '' : ` at LUN ${lun}`}`);
  return (await stat(layout.blob(stateDir, blob))).size;
}

/** Exports `resourceId` under `workDir`, mounts it read-only, runs `fn`, and removes every trace. */
export async function withMountedExport<T>(stateDir: string, resourceId: string, workDir: string, fn: (m: Mounted) => Promise<T>, lun?: number): Promise<T> {
  const dir = await mkdtemp(join(workDir, 'export-'));
  const file = join(dir, 'disk.raw');
  const root = join(dir, 'root');
  await mkdir(root);
  let loop: string | undefined;
  let mounted = false;
  try {
    if (lun === undefined) await exportCommand({ state: stateDir, resourceId, file, format: 'raw' });
    else {
      const r = JSON.parse(await readFile(join(layout.resourcesDir(stateDir), `${resourceKey(resourceId)}.json`), 'utf8')) as StoredResource;
      const blob = r.dataBlobs?.[String(lun)];
      if (!blob) throw new Error(`${resourceId} has no data disk at LUN ${lun} (has ${JSON.stringify(Object.keys(r.dataBlobs ?? {}))})`);
      await exportBlob(layout.blob(stateDir, blob), file, 'raw');
    }
    loop = execFileSync('losetup', ['-r', '--find', '--show', file], { encoding: 'utf8' }).trim();
    execFileSync('partx', ['--add', loop], { stdio: 'pipe' });
    // noload: a read-only device cannot replay a journal.
    execFileSync('mount', ['-o', 'ro,noload', `${loop}p1`, root], { stdio: 'pipe' });
    mounted = true;
    return await fn(mountedView(root));
  } finally {
    if (mounted) execFileSync('umount', [root]);
    if (loop) {
      try {
        execFileSync('partx', ['--delete', loop], { stdio: 'ignore' });
      } catch {
        // No partitions were added.
      }
      execFileSync('losetup', ['--detach', loop]);
    }
    await rm(dir, { recursive: true, force: true });
  }
}

function mountedView(root: string): Mounted {
  const read = async (path: string): Promise<Entry | undefined> => {
    const full = join(root, path);
    const info = await lstat(full).catch(() => undefined);
    if (!info) return undefined;
    if (info.isSymbolicLink()) return { kind: 'link', target: await readlink(full) };
    if (info.isDirectory()) return { kind: 'dir' };
    return { kind: 'file', text: await readFile(full, 'utf8'), mode: info.mode & 0o7777 };
  };
  return {
    root,
    read,
    async text(path) {
      const e = await read(path);
      return e?.kind === 'file' ? e.text : undefined;
    },
  };
}

/** SHA-256 of the raw export of `resourceId` (its whole disk, partition table included). */
export async function exportedHash(stateDir: string, resourceId: string, workDir: string): Promise<string> {
  const dir = await mkdtemp(join(workDir, 'hash-'));
  try {
    const file = join(dir, 'disk.raw');
    await exportCommand({ state: stateDir, resourceId, file, format: 'raw' });
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
