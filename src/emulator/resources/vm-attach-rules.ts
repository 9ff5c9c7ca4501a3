// What Azure checks when a disk is attached to a VM, besides the LUN and the disk's own state:
// zone and location, and host caching of the SKUs that have none.
//
// Sources:
// - Zone: 400 BadRequest "Disk <id> cannot be attached to the VM because it is not in the same zone
//   as the VM. VM zone: '1'. Disk zone: '2'." (jenkins-infra/azure#1406) and, for a regional disk on a
//   zonal VM, "Disk <id> cannot be attached to the VM because it is not in zone '1'." (jrudlin/Azure#7).
//   Zone-redundant (*_ZRS) disks attach to a VM in any zone (learn.microsoft.com disks-redundancy).
// - Caching: 400 InvalidParameter, target dataDisk.caching, "Storage Account type PremiumV2_LRS is not
//   supported with caching type ReadOnly. Please use caching type None."
//   (kubernetes-sigs/azuredisk-csi-driver#1715; UltraSSD_LRS: MicrosoftDocs/azure-docs#83535).
// - Location: a managed disk only attaches in its own region (Azure's code for this is not
//   documented; the emulator answers 400 BadRequest naming both regions).

import { ArmError, asObject } from '../http-kit.js';

const UNCACHED_SKUS = ['PremiumV2_LRS', 'UltraSSD_LRS'];

const norm = (region: unknown) => String(region ?? '').replace(/\s/g, '').toLowerCase();

/** The refusal for attaching `disk` to `vm` with `caching`, or undefined when Azure allows it. */
export function attachRefusal(disk: Record<string, unknown>, vm: Record<string, unknown>, caching: string): ArmError | undefined {
  const id = String(disk.id);
  if (norm(disk.location) !== norm(vm.location)) {
    return new ArmError(400, 'BadRequest', `Disk ${id} cannot be attached to the VM because it is in location '${String(disk.location)}' and the VM is in '${String(vm.location)}'.`);
  }
  const sku = String(asObject(disk.sku)?.name ?? '');
  const vmZone = Array.isArray(vm.zones) ? String(vm.zones[0] ?? '') : '';
  const diskZone = Array.isArray(disk.zones) ? String(disk.zones[0] ?? '') : '';
  if (!sku.endsWith('_ZRS')) {
    if (vmZone && !diskZone) return new ArmError(400, 'BadRequest', `Disk ${id} cannot be attached to the VM because it is not in zone '${vmZone}'.`);
    if (vmZone && diskZone !== vmZone) {
      return new ArmError(400, 'BadRequest', `Disk ${id} cannot be attached to the VM because it is not in the same zone as the VM. VM zone: '${vmZone}'. Disk zone: '${diskZone}'.`);
    }
  }
  if (UNCACHED_SKUS.includes(sku) && caching.toLowerCase() !== 'none') {
    return new ArmError(400, 'InvalidParameter', `Storage Account type ${sku} is not supported with caching type ${caching}. Please use caching type None.`, { target: 'dataDisk.caching' });
  }
  return undefined;
}
