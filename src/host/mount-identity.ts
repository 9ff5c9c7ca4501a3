// Which mount is which: /proc/self/mountinfo gives every mount a mount id, the device number
// (major:minor) of its file system and its source; blkid gives the file system UUID. The ledger
// records this when a build mounts something and compares it before anything is unmounted, so a
// reused device name (loopN, sdX) or a mount path reused by another build is never taken for ours.

import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
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
  /** diskIdentityOf(source): the loop backing file, WWID or serial. */
  disk?: string;
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
  const block = top.source.startsWith('/dev/');
  const uuid = block ? (await probeDevice(top.source, signal)).UUID : undefined;
  const disk = block ? diskIdentityOf(top.source) : undefined;
  return { mountId: top.mountId, devno: top.devno, fstype: top.fstype, source: top.source, ...(uuid ? { uuid } : {}), ...(disk ? { disk } : {}) };
}

/**
 * The disk behind a block device node: a loop device's backing file, else the WWID or serial the
 * kernel shows for the disk (partitions resolve to their disk). Stays the same when a device name
 * (loopN, sdX) is reused by another disk, where the device number does not.
 */
export function diskIdentityOf(devnode: string, sysroot = '/sys'): string | undefined {
  let name: string;
  try {
    name = basename(realpathSync(devnode));
  } catch {
    return undefined;
  }
  const block = join(sysroot, 'class', 'block', name);
  let disk = block;
  try {
    if (existsSync(join(block, 'partition'))) disk = dirname(realpathSync(block));
  } catch {
    return undefined;
  }
  for (const [file, label] of [['loop/backing_file', 'file'], ['wwid', 'wwid'], ['device/wwid', 'wwid'], ['device/serial', 'serial']] as const) {
    try {
      const value = readFileSync(join(disk, file), 'utf8').trim();
      if (value) return `${label}:${value}`;
    } catch {
      // not this kind of device
    }
  }
  return undefined;
}

/**
 * Why the mount at `path` is not the one recorded, or undefined when it is (or nothing is mounted
 * there). Every recorded field must match the newest mount there: its mount id, device number,
 * file system type, source, the disk behind the source and the file system UUID. Mount ids and
 * device numbers are reused by the kernel, so they alone prove nothing; a difference in any proves
 * that the mount is not ours.
 */
export async function identityMismatch(path: string, recorded: MountIdentity, signal?: AbortSignal): Promise<string | undefined> {
  const top = mountsAt(path).at(-1);
  if (!top) return undefined;
  const differences: string[] = [];
  if (recorded.mountId !== undefined && top.mountId !== recorded.mountId) differences.push(`mount ${top.mountId}, not ${recorded.mountId}`);
  if (recorded.devno !== undefined && top.devno !== recorded.devno) differences.push(`device ${top.devno}, not ${recorded.devno}`);
  if (recorded.fstype !== undefined && top.fstype !== recorded.fstype) differences.push(`a ${top.fstype} file system, not ${recorded.fstype}`);
  if (recorded.source !== undefined && top.source !== recorded.source) differences.push(`source ${top.source}, not ${recorded.source}`);
  if (top.source.startsWith('/dev/')) {
    if (recorded.disk !== undefined) {
      const disk = diskIdentityOf(top.source);
      if (disk !== undefined && disk !== recorded.disk) differences.push(`disk ${disk}, not ${recorded.disk}`);
    }
    if (recorded.uuid !== undefined) {
      const uuid = (await probeDevice(top.source, signal)).UUID;
      if (uuid && uuid !== recorded.uuid) differences.push(`file system ${uuid}, not ${recorded.uuid}`);
    }
  }
  if (differences.length === 0) return undefined;
  return `${path} is mounted from ${top.source} (device ${top.devno}, mount ${top.mountId}), not the mount this build made: ${differences.join(', ')}`;
}

function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}
