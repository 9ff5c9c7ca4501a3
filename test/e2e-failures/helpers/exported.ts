// Looking inside a build's result the way a user would: export it from the emulator to a raw file,
// attach that read-only, mount its first partition read-only, read files, then undo all of it.

import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { exportCommand } from '../../../src/cli/commands/emulator-files.js';
import { run, tryRun } from './host.js';

/** Runs `inspect(root)` with the first partition of resource `id` mounted read-only at `root`. */
export async function withExportedRoot<T>(state: string, id: string, workDir: string, inspect: (root: string) => Promise<T>): Promise<T> {
  const file = join(workDir, 'export.raw');
  try {
    await exportCommand({ state, resourceId: id, file, format: 'raw' });
    return await withRawRoot(file, workDir, inspect);
  } finally {
    await rm(file, { force: true });
  }
}

/**
 * Like withExportedRoot for a disk that is still mounted read-write at `mountPoint` (a build kept
 * it): the file system is frozen while exporting, which writes its journal out, so the copy is
 * consistent and mounts read-only without a journal replay.
 */
export async function withLiveDiskExported<T>(state: string, id: string, mountPoint: string, workDir: string, inspect: (root: string) => Promise<T>): Promise<T> {
  const file = join(workDir, 'export.raw');
  try {
    await run('fsfreeze', ['--freeze', mountPoint]);
    try {
      await exportCommand({ state, resourceId: id, file, format: 'raw' });
    } finally {
      await run('fsfreeze', ['--unfreeze', mountPoint]);
    }
    return await withRawRoot(file, workDir, inspect);
  } finally {
    await rm(file, { force: true });
  }
}

async function withRawRoot<T>(file: string, workDir: string, inspect: (root: string) => Promise<T>): Promise<T> {
  const root = join(workDir, 'export-root');
  let loop: string | undefined;
  let mounted = false;
  try {
    loop = (await run('losetup', ['-r', '--find', '--show', file])).trim();
    await tryRun('partx', ['--add', loop]);
    await mkdir(root, { recursive: true });
    // noload: never replay a journal on a read-only device.
    await run('mount', ['-o', 'ro,noload', `${loop}p1`, root]);
    mounted = true;
    return await inspect(root);
  } finally {
    if (mounted) await tryRun('umount', [root]);
    if (loop) {
      await tryRun('partx', ['--delete', loop]);
      await tryRun('losetup', ['-d', loop]);
    }
  }
}

/** The text of `path` inside the mounted root, or undefined when it does not exist. */
export async function readInImage(root: string, path: string): Promise<string | undefined> {
  return readFile(join(root, path), 'utf8').catch(() => undefined);
}
