// Sparse file primitives for blobs: create, copy (reflink when the file system allows it, holes kept
// otherwise) and grow. Multi-GB disks are mostly holes; nothing here reads a blob into memory.

import { open, stat, truncate } from 'node:fs/promises';
import { runArgv } from '../../host/exec.js';
import { AzchrootError } from '../../errors.js';

/** Creates (or truncates) `path` as a sparse file of exactly `sizeBytes`. */
export async function createSparseFile(path: string, sizeBytes: number): Promise<void> {
  assertSize(sizeBytes);
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.truncate(sizeBytes);
  } finally {
    await handle.close();
  }
}

/** Copies `from` to `to` with `cp --reflink=auto --sparse=always`, so holes stay holes. */
export async function copySparseFile(from: string, to: string): Promise<void> {
  await runArgv(['cp', '--reflink=auto', '--sparse=always', '--', from, to]);
}

/** Extends `path` to `sizeBytes` (the new tail is a hole); never shrinks. */
export async function growFile(path: string, sizeBytes: number): Promise<void> {
  assertSize(sizeBytes);
  const current = (await stat(path)).size;
  if (sizeBytes > current) await truncate(path, sizeBytes);
}

/** The apparent size of `path` in bytes. */
export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}

function assertSize(sizeBytes: number): void {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes <= 0) {
    throw new AzchrootError('AZC_EMULATOR_DISK_SIZE', `invalid disk size ${sizeBytes} bytes`, 'internal', {
      hint: 'disk sizes must be positive whole numbers of bytes',
    });
  }
}
