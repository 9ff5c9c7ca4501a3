// Prerequisites the example requests refer to (source disks, snapshots, images, gallery versions,
// platform images), created through the emulator's own ARM API.

import type { Harness } from '../../emulator/helpers/harness.js';
import { writePlatformImage } from '../../emulator/helpers/platform-images.js';
import { COMPUTE_API, DISK_API, GALLERY_API, armDone, rgPath } from './spec-case.js';

const GIB = 1024 ** 3;

/** An Empty disk of `sizeGb` GiB; returns its id. */
export async function makeDisk(h: Harness, name: string, sizeGb = 4, extra: Record<string, unknown> = {}, location = 'westeurope'): Promise<string> {
  await armDone(h, {
    method: 'PUT',
    path: rgPath(h, `disks/${name}`, DISK_API),
    body: { location, sku: { name: 'Standard_LRS' }, properties: { osType: 'Linux', hyperVGeneration: 'V2', diskSizeGB: sizeGb, creationData: { createOption: 'Empty' }, ...extra } },
  });
  return h.id(`disks/${name}`);
}

/** A full snapshot of `sourceId`; returns its id. */
export async function makeSnapshot(h: Harness, name: string, sourceId: string, tags?: Record<string, string>, location = 'westeurope'): Promise<string> {
  await armDone(h, {
    method: 'PUT',
    path: rgPath(h, `snapshots/${name}`, DISK_API),
    body: { location, ...(tags ? { tags } : {}), properties: { creationData: { createOption: 'Copy', sourceResourceId: sourceId } } },
  });
  return h.id(`snapshots/${name}`);
}

/** A managed image from an OS disk and, optionally, data disks at LUNs; returns its id. */
export async function makeImage(h: Harness, name: string, osDiskId: string, dataDiskIds: Record<number, string> = {}, location = 'westeurope'): Promise<string> {
  const dataDisks = Object.entries(dataDiskIds).map(([lun, id]) => ({ lun: Number(lun), managedDisk: { id } }));
  await armDone(h, {
    method: 'PUT',
    path: rgPath(h, `images/${name}`, COMPUTE_API),
    body: { location, properties: { storageProfile: { osDisk: { osType: 'Linux', osState: 'Generalized', managedDisk: { id: osDiskId } }, dataDisks } } },
  });
  return h.id(`images/${name}`);
}

/** A gallery image version in the starter gallery's `quickstart-gen2` definition, from a disk or snapshot; returns its id. */
export async function makeGalleryVersion(h: Harness, version: string, osSourceId: string): Promise<string> {
  const rest = `galleries/azchroot_gallery/images/quickstart-gen2/versions/${version}`;
  await armDone(h, {
    method: 'PUT',
    path: rgPath(h, rest, GALLERY_API),
    body: { location: 'westeurope', properties: { publishingProfile: { targetRegions: [{ name: 'westeurope' }] }, storageProfile: { osDiskImage: { source: { id: osSourceId } } } } },
  });
  return h.id(rest);
}

/** A Marketplace image the emulator serves, as `emulator add-image` registers it. */
export async function registerPlatformImage(h: Harness, publisher: string, offer: string, sku: string, version: string, sizeGb = 30): Promise<void> {
  const blobId = await h.backend.createEmpty(sizeGb * GIB);
  writePlatformImage(h.stateDir, { publisher, offer, sku, version, hyperVGeneration: 'V1', blobId, sizeBytes: sizeGb * GIB });
}

/** The emulated VM's OS disk id. */
export async function vmOsDiskId(h: Harness): Promise<string> {
  const vm = await h.arm('GET', rgPath(h, `virtualMachines/${h.emu.endpoints.vmName}`, COMPUTE_API));
  return vm.body.properties.storageProfile.osDisk.managedDisk.id as string;
}

/** An id as the examples write source ids: without the leading slash. */
export function slashless(id: string): string {
  return id.replace(/^\/+/, '');
}
