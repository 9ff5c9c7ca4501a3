// Files azchroot writes for itself (log, journal, manifest, emulator state): never through a
// symlink planted at their path, and with modes that keep what they hold from other users.

import { closeSync, constants as C, fchmodSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** Flags to append to a file, creating it, without following a symlink at its path. */
export const APPEND_NOFOLLOW = C.O_WRONLY | C.O_APPEND | C.O_CREAT | C.O_NOFOLLOW;

/**
 * Opens `path` for appending (created with `mode`), refusing a symlink (ELOOP) or anything but a
 * regular file; a file of ours with a wider mode is narrowed through the descriptor, never by path.
 */
export function openAppendPrivate(path: string, mode = 0o600): number {
  const fd = openSync(path, APPEND_NOFOLLOW | C.O_NONBLOCK, mode);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'EINVAL' });
    if ((st.mode & 0o777 & ~mode) !== 0 && st.uid === process.getuid?.()) fchmodSync(fd, mode);
    return fd;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** A temp name next to `path` (same directory, so the rename is atomic). */
export function siblingTemp(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes `data` to `path` by creating a fresh temp file (O_EXCL: never a planted link) and renaming it over `path`. */
export function writeFileReplacing(path: string, data: string | Uint8Array, mode = 0o600): void {
  const tmp = siblingTemp(path);
  const fd = openSync(tmp, C.O_WRONLY | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW, mode);
  try {
    writeFileSync(fd, data);
    fchmodSync(fd, mode);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** mkdir -p with mode 0700 for directories azchroot owns (state, journal). */
export function makePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
}
