// JSON files written atomically (temp file + rename), as state-layout.ts requires, because
// `emulator add-image` and `emulator export` read and write the same state while the server runs.

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Writes `value` as JSON to `file` atomically, creating the directory. */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeTextAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/** Writes `text` to `file` atomically (temp file + rename), creating the directory (0700; the file 0600 unless `mode`). */
export function writeTextAtomic(file: string, text: string, mode = 0o600): void {
  // State may hold tokens and keys: directories 0700, files 0600, created fresh (never through a link).
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, text, { mode, flag: 'wx' });
  renameSync(tmp, file);
}

/** Reads a JSON file; undefined when it does not exist. */
export function readJson<T>(file: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return JSON.parse(text) as T;
}

/** Removes a file; a missing file is fine. */
export function removeFile(file: string): void {
  rmSync(file, { force: true });
}
