// Builder defaults (research/packer-azure-chroot.md §6.1) and the run-unique temporary resource ids.

import { createHash } from 'node:crypto';
import type { VmLookup } from '../interpolate/vm-lookup.js';

export const DEFAULT_MOUNT_PATH = '/mnt/packer-azure-chroot-disks/{{.Device}}';
export const DEFAULT_COMMAND_WRAPPER = '{{.Command}}';
export const DEFAULT_MOUNT_PARTITION = '1';
export const DEFAULT_STORAGE_ACCOUNT_TYPE = 'Premium_LRS';
export const DEFAULT_CACHE_TYPE = 'ReadOnly';
export const DEFAULT_COPY_FILES: readonly string[] = ['/etc/resolv.conf'];
export const DEFAULT_PUBLISH_TIMEOUT = '60m';

/** Packer's five extra mounts, used when chroot_mounts is missing or empty. */
export function defaultChrootMounts(): [string, string, string][] {
  return [
    ['proc', 'proc', '/proc'],
    ['sysfs', 'sysfs', '/sys'],
    ['bind', '/dev', '/dev'],
    ['devpts', 'devpts', '/dev/pts'],
    ['binfmt_misc', 'binfmt_misc', '/proc/sys/fs/binfmt_misc'],
  ];
}

export interface TemporaryIds {
  temporaryOsDiskId: string;
  temporaryOsDiskSnapshotId: string;
  temporaryDataDiskIdPrefix: string;
  temporaryDataDiskSnapshotIdPrefix: string;
}

/**
 * Default temporary ids in the VM's subscription and resource group. Packer uses only
 * {{timestamp}}, so two builds started in the same second collide; we add a suffix derived
 * from the run id and the build name: stable within a run, different across runs and builds.
 */
export function defaultTemporaryIds(vm: VmLookup, startTime: number, runUuid: string, buildName: string): TemporaryIds {
  const suffix = createHash('sha256').update(`${runUuid}\n${buildName}`).digest('hex').slice(0, 8);
  const unique = `${startTime}-${suffix}`;
  const base = `/subscriptions/${vm('subscription_id')}/resourceGroups/${vm('resource_group')}/providers/Microsoft.Compute`;
  return {
    temporaryOsDiskId: `${base}/disks/PackerTemp-osdisk-${unique}`,
    temporaryOsDiskSnapshotId: `${base}/snapshots/PackerTemp-osdisk-snapshot-${unique}`,
    temporaryDataDiskIdPrefix: `${base}/disks/PackerTemp-datadisk-${unique}-`,
    temporaryDataDiskSnapshotIdPrefix: `${base}/snapshots/PackerTemp-datadisk-snapshot-${unique}-`,
  };
}
