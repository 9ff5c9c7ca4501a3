// Atomic file replacement for a state directory that a running server reads concurrently:
// readers see either the old file or the complete new one, never a half-written file.

import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temp path next to `finalPath` (same directory, so rename is atomic and never crosses file systems). */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Runs `produce(tempPath)`, then renames the temp file over `finalPath`; removes the temp file on failure. */
export async function replaceAtomically<T>(finalPath: string, produce: (tempPath: string) => Promise<T>): Promise<T> {
  const temp = tempPathFor(finalPath);
  try {
    const result = await produce(temp);
    await rename(temp, finalPath);
    return result;
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Writes `value` as pretty JSON to `path` atomically. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await replaceAtomically(path, (temp) => writeFile(temp, JSON.stringify(value, null, 2) + '\n', { mode: 0o600, flag: 'wx' }));
}
