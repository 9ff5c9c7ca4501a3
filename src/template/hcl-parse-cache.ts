// A content-addressed cache of the HCL syntax layer's output. Starting the WebAssembly parser costs
// a few hundred milliseconds per process; a template that has not changed since the last run (cron,
// validate-then-build) is read from the cache instead. Only successful parses are cached; the key is
// the parser's version plus the file's bytes, so an edited file is always parsed again.
// AZCHROOT_CACHE_DIR picks the directory; AZCHROOT_CACHE_DIR=off disables the cache.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const PARSER_ID = '@cdktn/hcl2json@0.24.0';

/** The cache directory, or undefined when caching is off. */
export function cacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const explicit = env.AZCHROOT_CACHE_DIR;
  if (explicit === 'off' || explicit === '0') return undefined;
  if (explicit) return explicit;
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'azchroot', 'hcl');
}

function keyOf(text: string): string {
  return createHash('sha256').update(PARSER_ID).update('\0').update(text).digest('hex');
}

/** The cached parse of `text`, if any. */
export function readCachedParse(text: string, dir = cacheDir()): Record<string, unknown> | undefined {
  if (!dir) return undefined;
  try {
    return JSON.parse(readFileSync(join(dir, `${keyOf(text)}.json`), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Stores a successful parse; any failure (read-only home, full disk) is ignored: the cache is only an optimisation. */
export function writeCachedParse(text: string, body: Record<string, unknown>, dir = cacheDir()): void {
  if (!dir) return;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `${keyOf(text)}.json`);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(body), { mode: 0o600 });
    renameSync(tmp, path);
  } catch {
    // ignored on purpose
  }
}
