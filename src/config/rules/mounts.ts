// Rules for mounting: mount_partition, chroot_mounts and lvm_root_device (§4, §6.2).

import { posix } from 'node:path';
import type { Report } from '../report.js';

/** mount_partition must be digits, optionally prefixed with "p" ("1", "p2"). */
export function checkMountPartition(value: string | undefined, report: Report): void {
  if (value === undefined || value === '' || /^p?[0-9]+$/.test(value)) return;
  report.error('AZC_CONFIG_MOUNT_PARTITION', `mount_partition: ${JSON.stringify(value)} is not a partition number`, ['mount_partition'],
    'use the partition number, optionally prefixed with p (for example "1", "2" or "p1")');
}

/** Each chroot_mounts entry is [fstype, source, absolute target], all non-empty. Returns the valid triples. */
export function checkChrootMounts(value: unknown, report: Report): [string, string, string][] {
  if (!Array.isArray(value)) return [];
  const out: [string, string, string][] = [];
  value.forEach((entry, i) => {
    const key = ['chroot_mounts', i];
    if (!Array.isArray(entry) || entry.length !== 3 || entry.some((p) => typeof p !== 'string' || p === '')) {
      report.error('AZC_CONFIG_CHROOT_MOUNT', `chroot_mounts[${i}]: ${JSON.stringify(entry)} is not a [fstype, source, target] triple of non-empty strings`, key,
        'for example ["proc", "proc", "/proc"] or ["bind", "/dev", "/dev"]');
      return;
    }
    const [fstype, source, target] = entry as [string, string, string];
    if (!target.startsWith('/')) {
      report.error('AZC_CONFIG_CHROOT_MOUNT', `chroot_mounts[${i}]: target ${JSON.stringify(target)} is not an absolute path`, [...key, 2], 'the target is a path inside the chroot, for example "/proc"');
      return;
    }
    out.push([fstype, source, target]);
  });
  return out;
}

/** lvm_root_device: no whitespace/control characters (but plain spaces), no "..", an absolute /dev/ path. */
export function checkLvmRootDevice(value: string | undefined, report: Report): void {
  if (value === undefined || value === '') return;
  const key = ['lvm_root_device'];
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(value)) {
    report.error('AZC_CONFIG_LVM_DEVICE', `lvm_root_device: ${JSON.stringify(value)} contains invalid whitespace or control characters`, key);
    return;
  }
  if (value.split('/').includes('..')) {
    report.error('AZC_CONFIG_LVM_DEVICE', `lvm_root_device: ${JSON.stringify(value)} must not contain path traversal (..)`, key);
    return;
  }
  const cleaned = posix.normalize(value);
  if (!cleaned.startsWith('/dev/')) {
    report.error('AZC_CONFIG_LVM_DEVICE', `lvm_root_device: ${JSON.stringify(value)} must be an absolute device path starting with /dev/ (resolved to ${JSON.stringify(cleaned)})`, key,
      'for example /dev/mapper/rootvg-rootlv or /dev/rootvg/rootlv');
  }
}
