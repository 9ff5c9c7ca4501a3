// The emulated VM: created at first start with an OS disk and a NIC reference, and kept in the
// state directory like any resource. Its name, group, location and zone come from the options.

import { randomUUID } from 'node:crypto';
import type { ResolvedOptions } from '../defaults.js';
import type { ResourceStore } from '../resource-store.js';
import { armType, buildId } from '../arm/paths.js';
import { GIB } from './common.js';

/** Canonical id of the configured VM. */
export function vmIdOf(o: ResolvedOptions): string {
  return buildId(o.subscriptionId, o.resourceGroup, 'virtualMachines', [o.vmName]);
}

/** Creates the VM and its OS disk unless they already exist (state persists across restarts). */
export function ensureVm(store: ResourceStore, o: ResolvedOptions): void {
  const vmId = vmIdOf(o);
  if (store.get(vmId)) return;
  const osDiskName = `${o.vmName}_OsDisk_1_${randomUUID().replace(/-/g, '')}`;
  const osDiskId = buildId(o.subscriptionId, o.resourceGroup, 'disks', [osDiskName]);
  const zones = o.zone ? [o.zone] : undefined;
  const now = new Date().toISOString();
  const osBytes = 30 * GIB;
  // The OS disk has no blob: the emulator does not run the VM itself; copies of it read as zeros.
  store.put({
    id: osDiskId,
    type: armType('disks'),
    body: {
      id: osDiskId,
      name: osDiskName,
      type: armType('disks'),
      location: o.location,
      ...(zones ? { zones } : {}),
      managedBy: vmId,
      sku: { name: 'Premium_LRS', tier: 'Premium' },
      properties: {
        osType: 'Linux',
        hyperVGeneration: 'V2',
        creationData: { createOption: 'FromImage', imageReference: { id: `/Subscriptions/${o.subscriptionId}/Providers/Microsoft.Compute/Locations/${o.location}/Publishers/canonical/ArtifactTypes/VMImage/Offers/0001-com-ubuntu-server-jammy/Skus/22_04-lts-gen2/Versions/22.04.202401010` } },
        diskSizeGB: 30,
        diskSizeBytes: osBytes,
        uniqueId: randomUUID(),
        timeCreated: now,
        provisioningState: 'Succeeded',
        diskState: 'Attached',
        encryption: { type: 'EncryptionAtRestWithPlatformKey' },
        networkAccessPolicy: 'AllowAll',
        publicNetworkAccess: 'Enabled',
      },
    },
  });
  const nicId = `/subscriptions/${o.subscriptionId}/resourceGroups/${o.resourceGroup}/providers/Microsoft.Network/networkInterfaces/${o.vmName}-nic`;
  store.put({
    id: vmId,
    type: armType('virtualMachines'),
    body: {
      id: vmId,
      name: o.vmName,
      type: armType('virtualMachines'),
      location: o.location,
      ...(zones ? { zones } : {}),
      tags: {},
      etag: '"1"',
      properties: {
        vmId: randomUUID(),
        hardwareProfile: { vmSize: 'Standard_D2s_v3' },
        storageProfile: {
          imageReference: { publisher: 'canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts-gen2', version: 'latest', exactVersion: '22.04.202401010' },
          osDisk: {
            osType: 'Linux',
            name: osDiskName,
            createOption: 'FromImage',
            caching: 'ReadWrite',
            managedDisk: { id: osDiskId, storageAccountType: 'Premium_LRS' },
            deleteOption: 'Delete',
            diskSizeGB: 30,
          },
          dataDisks: [],
          diskControllerType: 'SCSI',
        },
        osProfile: {
          computerName: o.vmName,
          adminUsername: 'azureuser',
          linuxConfiguration: { disablePasswordAuthentication: true, provisionVMAgent: true },
          allowExtensionOperations: true,
        },
        networkProfile: { networkInterfaces: [{ id: nicId, properties: { primary: true } }] },
        securityProfile: { securityType: 'TrustedLaunch', uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } },
        provisioningState: 'Succeeded',
        timeCreated: now,
      },
    },
  });
}

/** Moves the VM's etag ("1", "2", …) on after a model change, as Azure does on every VM write. */
export function bumpEtag(vm: Record<string, unknown>): void {
  const current = Number(String(vm.etag ?? '"1"').replace(/"/g, ''));
  vm.etag = `"${Number.isInteger(current) && current > 0 ? current + 1 : 2}"`;
}
