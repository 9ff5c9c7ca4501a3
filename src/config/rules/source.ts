// Rules for `source` and `from_scratch` (research/packer-azure-chroot.md §2, §6.2).

import type { SourceSpec } from '../model.js';
import { bool, isSet, str, strList, type Report } from '../report.js';
import { isResourceOfType } from '../resource-id.js';

const PLATFORM = /^[-_.a-zA-Z0-9]+:[-_.a-zA-Z0-9]+:[-_.a-zA-Z0-9]+:[-_.a-zA-Z0-9]+$/;

/** Classifies `source` (platform image, disk, gallery version) or scratch; undefined (with errors) when invalid. */
export function resolveSource(b: Record<string, unknown>, report: Report): SourceSpec | undefined {
  const source = str(b, 'source') ?? '';
  if (bool(b, 'from_scratch')) {
    let ok = true;
    if (source !== '') {
      report.error('AZC_CONFIG_SCRATCH_SOURCE', `source cannot be specified when building from_scratch (got ${JSON.stringify(source)})`, ['source'], 'remove source, or set from_scratch = false');
      ok = false;
    }
    if (!isSet(b, 'os_disk_size_gb')) {
      report.error('AZC_CONFIG_REQUIRED', 'os_disk_size_gb is required with from_scratch', ['from_scratch'], 'set os_disk_size_gb to the size of the new disk in GiB');
      ok = false;
    }
    if ((strList(b, 'pre_mount_commands') ?? []).length === 0) {
      report.error('AZC_CONFIG_REQUIRED', 'pre_mount_commands is required with from_scratch', ['from_scratch'], 'partition and format {{.Device}} in pre_mount_commands');
      ok = false;
    }
    if (isSet(b, 'lvm_root_device')) {
      report.error('AZC_CONFIG_SCRATCH_LVM', 'lvm_root_device cannot be specified when building from_scratch', ['lvm_root_device'], 'remove lvm_root_device');
      ok = false;
    }
    return ok ? { kind: 'scratch' } : undefined;
  }
  if (PLATFORM.test(source)) {
    const [publisher, offer, sku, version] = source.split(':') as [string, string, string, string];
    return { kind: 'platform', publisher, offer, sku, version };
  }
  if (isResourceOfType(source, 'Microsoft.Compute', 'disks')) return { kind: 'disk', id: source };
  if (isResourceOfType(source, 'Microsoft.Compute', 'galleries/images/versions')) return { kind: 'gallery', id: source };
  if (source === '') {
    report.error('AZC_CONFIG_REQUIRED', 'source is required (or set from_scratch = true)', isSet(b, 'source') ? ['source'] : [],
      'use a platform image "publisher:offer:sku:version", a managed disk resource ID or a shared image version resource ID');
  } else {
    report.error('AZC_CONFIG_SOURCE', `source: ${JSON.stringify(source)} is not a valid platform image specifier, nor is it a disk resource ID`, ['source'],
      'use "publisher:offer:sku:version" (for example "Canonical:0001-com-ubuntu-server-jammy:22_04-lts:latest"), /subscriptions/.../providers/Microsoft.Compute/disks/<name> or /subscriptions/.../providers/Microsoft.Compute/galleries/<g>/images/<i>/versions/<v>');
  }
  return undefined;
}
