// Looking inside a build's result the way a user would: export it from the emulator to a raw file,
// attach that read-only, mount its first partition read-only, read files, then undo all of it.

import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { exportCommand } from '../../../src/cli/commands/emulator-files.js';
import { run, tryRun } from './host.js';

/** Runs `inspect(root)` with the first partition of resource `id` mounted read-only at `root`. */
export async function withExportedRoot<T>(state: string, id: string, workDir: string, inspect: (root: string) => Promise<T>): Promise<T> {
  const file = join(workDir, 'export.raw');
  const root = join(workDir, 'export-root');
  await exportCommand({ state, resourceId: id, file, format: 'raw' });
  let loop: string | undefined;
  let mounted = false;
  try {
    loop = (await run('losetup', ['-r', '--find', '--show', file])).trim();
    await tryRun('partx', ['--add', loop]);
    await mkdir(root, { recursive: true });
    // noload: never replay the journal on a read-only device.
    await run('mount', ['-o', 'ro,noload', `${loop}p1`, root]);
    mounted = true;
    return await inspect(root);
  } finally {
    if (mounted) await tryRun('umount', [root]);
    if (loop) {
      await tryRun('partx', ['--delete', loop]);
      await tryRun('losetup', ['-d', loop]);
    }
    await rm(file, { force: true });
  }
}

/** The text of `path` inside the mounted root, or undefined when it does not exist. */
export async function readInImage(root: string, path: string): Promise<string | undefined> {
  return readFile(join(root, path), 'utf8').catch(() => undefined);
}
