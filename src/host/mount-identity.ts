// Which mount is which: /proc/self/mountinfo gives every mount a mount id, the device number
// (major:minor) of its file system and its source; blkid gives the file system UUID. The ledger
// records this when a build mounts something and compares it before anything is unmounted, so a
// reused device name (loopN, sdX) or a mount path reused by another build is never taken for ours.

import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { probeDevice } from './lvm-query.js';

export interface MountInfo {
  mountId: number;
  /** "major:minor" of the mounted file system. */
  devno: string;
  target: string;
  fstype: string;
  source: string;
}

/** What the ledger records about a mount (all optional: older journals and intent-only records). */
export interface MountIdentity {
  mountId?: number;
  devno?: string;
  fstype?: string;
  source?: string;
  uuid?: string;
}

/** Parses /proc/self/mountinfo (or `file`), in mount order. */
export function readMountInfo(file = '/proc/self/mountinfo'): MountInfo[] {
  const out: MountInfo[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (fields.length < 10 || dash < 6) continue;
    out.push({
      mountId: Number(fields[0]),
      devno: fields[2]!,
      target: unescape(fields[4]!),
      fstype: fields[dash + 1]!,
      source: unescape(fields[dash + 2]!),
    });
  }
  return out;
}

/** The mounts at exactly `path`, oldest first (stacked mounts give several). */
export function mountsAt(path: string, file?: string): MountInfo[] {
  const p = resolve(path);
  return readMountInfo(file).filter((m) => m.target === p);
}

/** "major:minor" of a block device node, or undefined when it is not one. */
export function deviceNumber(path: string): string | undefined {
  try {
    const st = statSync(path);
    if (!st.isBlockDevice()) return undefined;
    return `${Math.floor(st.rdev / 256) & 0xfff}:${(st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00)}`;
  } catch {
    return undefined;
  }
}

/** The identity of the newest mount at `path` (with the file system UUID of a block device source). */
export async function captureMountIdentity(path: string, signal?: AbortSignal): Promise<MountIdentity | undefined> {
  const top = mountsAt(path).at(-1);
  if (!top) return undefined;
  const uuid = top.source.startsWith('/dev/') ? (await probeDevice(top.source, signal)).UUID : undefined;
  return { mountId: top.mountId, devno: top.devno, fstype: top.fstype, source: top.source, ...(uuid ? { uuid } : {}) };
}

/**
 * Why the mount at `path` is not the one recorded, or undefined when it is (or nothing is mounted
 * there). A recorded mount id must still be there; without one the device number, file system type
 * and source must match, and the UUID when both sides know it.
 */
export async function identityMismatch(path: string, recorded: MountIdentity, signal?: AbortSignal): Promise<string | undefined> {
  const here = mountsAt(path);
  if (here.length === 0) return undefined;
  if (recorded.mountId !== undefined) {
    if (here.some((m) => m.mountId === recorded.mountId && (recorded.devno === undefined || m.devno === recorded.devno))) return undefined;
    const top = here.at(-1)!;
    return `${path} is mounted from ${top.source} (device ${top.devno}, mount ${top.mountId}), not the mount this build made (${recorded.source ?? '?'}, device ${recorded.devno ?? '?'}, mount ${recorded.mountId})`;
  }
  const top = here.at(-1)!;
  if (recorded.devno !== undefined && top.devno !== recorded.devno) return `${path} is mounted from device ${top.devno} (${top.source}), not ${recorded.devno} (${recorded.source ?? '?'}) that this build mounted`;
  if (recorded.fstype !== undefined && top.fstype !== recorded.fstype) return `${path} holds a ${top.fstype} file system, not the ${recorded.fstype} this build mounted`;
  if (recorded.source !== undefined && recorded.devno === undefined && top.source !== recorded.source) return `${path} is mounted from ${top.source}, not ${recorded.source}`;
  if (recorded.uuid && top.source.startsWith('/dev/')) {
    const uuid = (await probeDevice(top.source, signal)).UUID;
    if (uuid && uuid !== recorded.uuid) return `${path} holds the file system ${uuid}, not ${recorded.uuid} that this build mounted`;
  }
  return undefined;
}

function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}
