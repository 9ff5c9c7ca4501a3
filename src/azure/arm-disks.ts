// Disks, snapshots and managed images of the AzurePort.

import type { ComputeManagementClient } from '@azure/arm-compute';
import type { CreationData, Disk } from '@azure/arm-compute';
import { call, callLro, type CallSettings, type CallTarget } from './arm-call.js';
import type { AzurePort, DiskCreation, DiskInfo, DiskSpec } from './ports.js';
import { nameOf, parseArmId } from './resource-id.js';
import { isBusy, waitUntilSettled } from './retry-policy.js';

type ClientFor = (subscriptionId: string) => ComputeManagementClient;

/** The `disks`, `snapshots` and `images` groups of an AzurePort. */
export function diskOperations(clientFor: ClientFor, settings: CallSettings): Pick<AzurePort, 'disks' | 'snapshots' | 'images'> {
  const target = (action: string, id: string) => {
    const r = parseArmId(id);
    return { client: clientFor(r.subscription), rg: r.resourceGroup, name: nameOf(r), t: { action, id } };
  };
  const { retry } = settings;
  // A delete answered 409 while the resource is still being created or changed waits until it
  // settles. Once settled, a disk still attached to a VM or with an active SAS will not change by
  // waiting: the 409 then fails at once.
  const settleThen = (t: CallTarget, o: { signal?: AbortSignal } | undefined, read: (signal?: AbortSignal) => Promise<Disk>) =>
    async (decision: { conflict?: boolean }, err: unknown, deadline: number) => {
      if (!decision.conflict) return;
      let last: Disk | undefined;
      await waitUntilSettled(async () => {
        last = await call(t, o, read, () => undefined);
        return last ? last.provisioningState ?? 'Succeeded' : undefined;
      }, { pollMs: settings.pollIntervalMs, deadline, clock: settings.clock, signal: o?.signal });
      if (last && isBusy(last.provisioningState) === false && (last.managedBy || /^ActiveSAS/i.test(last.diskState ?? ''))) throw err;
    };
  return {
    disks: {
      async get(id, o) {
        const { client, rg, name, t } = target('read disk', id);
        const disk = await retry(t, o?.signal, () => call(t, o, (abortSignal) => client.disks.get(rg, name, { abortSignal }), () => undefined));
        return disk ? diskInfo(disk) : undefined;
      },
      async create(id, spec, o) {
        const { client, rg, name, t } = target('create disk', id);
        // A PUT: issuing it again after a failed operation is safe.
        const disk = await retry(t, o?.signal, () => callLro(t, o, settings, (opts) => client.disks.createOrUpdate(rg, name, diskBody(spec), opts)));
        return diskInfo(disk);
      },
      async delete(id, o) {
        const { client, rg, name, t } = target('delete disk', id);
        // Deleting something already gone is success: cleanup may run twice.
        await retry(t, o?.signal, () => callLro(t, o, settings, (opts) => client.disks.delete(rg, name, opts), () => undefined),
          settleThen(t, o, (abortSignal) => client.disks.get(rg, name, { abortSignal })));
      },
    },
    snapshots: {
      async create(id, spec, o) {
        const { client, rg, name, t } = target('create snapshot', id);
        await retry(t, o?.signal, () => callLro(t, o, settings, (opts) => client.snapshots.createOrUpdate(rg, name, {
          location: spec.location,
          ...(spec.sku ? { sku: { name: spec.sku } } : {}),
          creationData: { createOption: 'Copy', sourceResourceId: spec.sourceResourceId },
          incremental: spec.incremental ?? false,
          ...(spec.tags ? { tags: spec.tags } : {}),
        }, opts)));
      },
      async revokeAccess(id, o) {
        const { client, rg, name, t } = target('revoke access to snapshot', id);
        await retry(t, o?.signal, () => callLro(t, o, settings, (opts) => client.snapshots.revokeAccess(rg, name, opts), () => undefined));
      },
      async delete(id, o) {
        const { client, rg, name, t } = target('delete snapshot', id);
        await retry(t, o?.signal, () => callLro(t, o, settings, (opts) => client.snapshots.delete(rg, name, opts), () => undefined),
          settleThen(t, o, (abortSignal) => client.snapshots.get(rg, name, { abortSignal })));
      },
    },
    images: {
      async get(id, o) {
        const { client, rg, name, t } = target('read image', id);
        const image = await retry(t, o?.signal, () => call(t, o, (abortSignal) => client.images.get(rg, name, { abortSignal }), () => undefined));
        return image ? { id: image.id ?? id } : undefined;
      },
      async create(id, spec, o) {
        const { client, rg, name, t } = target('create image', id);
        await retry(t, o?.signal, () => callLro(t, o, settings, (opts) => client.images.createOrUpdate(rg, name, {
          location: spec.location,
          ...(spec.hyperVGeneration ? { hyperVGeneration: spec.hyperVGeneration } : {}),
          storageProfile: {
            osDisk: { osType: 'Linux', osState: 'Generalized', ...imageDisk(spec.osDisk) },
            dataDisks: spec.dataDisks.map((d) => ({ lun: d.lun, ...imageDisk(d) })),
          },
          ...(spec.tags ? { tags: spec.tags } : {}),
        }, opts)));
      },
      async delete(id, o) {
        const { client, rg, name, t } = target('delete image', id);
        await retry(t, o?.signal, () => callLro(t, o, settings, (opts) => client.images.delete(rg, name, opts), () => undefined),
          settleThen(t, o, (abortSignal) => client.images.get(rg, name, { abortSignal })));
      },
    },
  };
}

function diskBody(spec: DiskSpec): Disk {
  return {
    location: spec.location,
    ...(spec.zone ? { zones: [spec.zone] } : {}),
    sku: { name: spec.sku },
    ...(spec.osType ? { osType: spec.osType } : {}),
    ...(spec.hyperVGeneration ? { hyperVGeneration: spec.hyperVGeneration } : {}),
    ...(spec.diskSizeGB ? { diskSizeGB: spec.diskSizeGB } : {}),
    creationData: creationData(spec.creation),
    ...(spec.tags ? { tags: spec.tags } : {}),
  };
}

function creationData(c: DiskCreation): CreationData {
  if (c.createOption === 'Empty') return { createOption: 'Empty' };
  if (c.createOption === 'Copy') return { createOption: 'Copy', sourceResourceId: c.sourceResourceId };
  if ('imageReferenceId' in c) return { createOption: 'FromImage', imageReference: { id: c.imageReferenceId } };
  return { createOption: 'FromImage', galleryImageReference: { id: c.galleryImageReferenceId, ...(c.lun !== undefined ? { lun: c.lun } : {}) } };
}

function imageDisk(d: { managedDiskId?: string; snapshotId?: string; storageAccountType?: string; caching?: string }) {
  return {
    ...(d.managedDiskId ? { managedDisk: { id: d.managedDiskId } } : {}),
    ...(d.snapshotId ? { snapshot: { id: d.snapshotId } } : {}),
    ...(d.storageAccountType ? { storageAccountType: d.storageAccountType } : {}),
    ...(d.caching ? { caching: d.caching as 'None' | 'ReadOnly' | 'ReadWrite' } : {}),
  };
}

/** The DiskInfo view of an SDK Disk. */
export function diskInfo(disk: Disk): DiskInfo {
  const gen = disk.hyperVGeneration;
  return {
    id: disk.id ?? '',
    location: disk.location,
    sku: disk.sku?.name,
    diskSizeGB: disk.diskSizeGB,
    hyperVGeneration: gen === 'V1' || gen === 'V2' ? gen : undefined,
    diskState: disk.diskState,
    provisioningState: disk.provisioningState,
    managedBy: disk.managedBy,
    tags: disk.tags,
  };
}
