// Reading the mount table: which mounts exist at or below a path (mountinfo-style octal escapes decoded).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface MountEntry {
  source: string;
  target: string;
  fstype: string;
  options: string;
}

/** Parses /proc/self/mounts (or `file`), in mount order. */
export function readMounts(file = '/proc/self/mounts'): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [source, target, fstype, options] = line.split(' ');
    if (!source || !target || !fstype) continue;
    out.push({ source: unescape(source), target: unescape(target), fstype, options: options ?? '' });
  }
  return out;
}

/** Mount targets equal to `root` or below it, in mount order (duplicates kept: stacked mounts). */
export function mountsUnder(root: string, file?: string): string[] {
  const base = resolve(root);
  return readMounts(file)
    .map((m) => m.target)
    .filter((t) => isWithin(t, base));
}

/** True when `path` is a mount target. */
export function isMountPoint(path: string, file?: string): boolean {
  const p = resolve(path);
  return readMounts(file).some((m) => m.target === p);
}

/** True when `path` is `base` or inside it (string-wise, both absolute). */
export function isWithin(path: string, base: string): boolean {
  if (base === '/') return path.startsWith('/');
  return path === base || path.startsWith(base + '/');
}

function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}
