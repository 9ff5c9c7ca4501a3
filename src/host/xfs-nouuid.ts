// XFS refuses to mount a second file system with a UUID that is already mounted; an image built from
// the same source as the build VM has exactly that (packer#1848). `nouuid` lifts the check.

import { probeDevice } from './lvm-query.js';
import { readMounts } from './proc-mounts.js';

/** True when `device` holds XFS and the host has a mounted XFS (another device) with the same UUID. */
export async function xfsUuidClash(device: string, signal?: AbortSignal, mountsFile?: string): Promise<boolean> {
  const own = await probeDevice(device, signal);
  if (own.TYPE !== 'xfs' || !own.UUID) return false;
  const sources = new Set(readMounts(mountsFile).filter((m) => m.fstype === 'xfs' && m.source !== device && m.source.startsWith('/')).map((m) => m.source));
  for (const source of sources) {
    if ((await probeDevice(source, signal)).UUID?.toLowerCase() === own.UUID.toLowerCase()) return true;
  }
  return false;
}

/** `options` plus "nouuid" when the clash applies and the user did not say nouuid already. */
export async function optionsWithNouuid(device: string, options: readonly string[], signal?: AbortSignal): Promise<{ options: string[]; added: boolean }> {
  const has = options.some((o) => o.split(',').includes('nouuid'));
  if (has || !(await xfsUuidClash(device, signal))) return { options: [...options], added: false };
  return { options: [...options, 'nouuid'], added: true };
}
