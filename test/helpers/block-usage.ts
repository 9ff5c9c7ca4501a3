// Inspecting files and loop devices the way the disk tests need to: allocated size (to prove holes
// are kept) and which loop devices still back files under a directory (to prove nothing leaked).

import { execFileSync } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import { sep } from 'node:path';

/** Bytes actually allocated on disk for `path` (st_blocks * 512). */
export function allocatedBytes(path: string): number {
  return statSync(path).blocks * 512;
}

/** Loop devices whose backing file lies under `dir`. */
export function loopsUnder(dir: string): string[] {
  const root = realpathSync(dir) + sep;
  const out = execFileSync('losetup', ['--list', '--noheadings', '--raw', '--output', 'NAME,BACK-FILE'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(' '))
    .filter((line) => line.slice(line.indexOf(' ') + 1).replace(/\\x20/g, ' ').startsWith(root))
    .map((line) => line.slice(0, line.indexOf(' ')));
}

/** Mount points (from /proc/<pid>/mounts, default this process) that lie under `dir` or use a device in `devices`. */
export function mountsMatching(dir: string, devices: readonly string[] = [], pid: number | 'self' = 'self'): string[] {
  const text = execFileSync('cat', [`/proc/${pid}/mounts`], { encoding: 'utf8' });
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([source, target]) => (target ?? '').startsWith(dir) || devices.some((d) => source === d || (source ?? '').startsWith(`${d}p`)))
    .map(([source, target]) => `${source} on ${target}`);
}
