// A stateful in-memory AzurePort for tests. Behaviour spec: fake-azure.md next to this file.

import type {
  AzurePort, DataDiskAttachment, DiskInfo, DiskSpec, GalleryImageInfo, GalleryVersionInfo, GalleryVersionSpec, ImageSpec,
  OperationOptions, PlatformImageRef, SnapshotSpec, VmIdentity,
} from '../../src/azure/ports.js';
import { AzureError, CancelledError } from '../../src/errors.js';

/** Disk data behind the fake (a real sparse file + loop device in the full-build tests). */
export interface FakeDiskBackend {
  create(diskId: string, spec: DiskSpec): Promise<void>;
  attach(diskId: string, lun: number): Promise<void>;
  detach(diskId: string, lun: number): Promise<void>;
  remove(diskId: string): Promise<void>;
  captureImage(imageId: string, diskId: string): Promise<void>;
}

export interface FakeDisk extends DiskInfo { spec: DiskSpec; zone?: string }
export interface FakeSnapshot { id: string; spec: SnapshotSpec; revoked: boolean }

export interface FakeAzure extends AzurePort {
  calls: string[];
  store: {
    disks: Map<string, FakeDisk>;
    snapshots: Map<string, FakeSnapshot>;
    images: Map<string, { id: string; spec: ImageSpec }>;
    galleryImages: Map<string, GalleryImageInfo>;
    galleryVersions: Map<string, GalleryVersionInfo & { spec?: GalleryVersionSpec }>;
    platform: { ref: PlatformImageRef; version: string; id: string; hyperVGeneration?: 'V1' | 'V2' }[];
    vmDisks: DataDiskAttachment[];
  };
  /** The next `times` calls of `op` (e.g. "disks.create") throw `error`. */
  fail(op: string, error: Error, times?: number): void;
  /** Calls of `op` wait until their signal aborts (then throw CancelledError). */
  hang(op: string): void;
  addDisk(disk: Omit<FakeDisk, 'spec'> & { spec?: DiskSpec }): void;
  addPlatformImage(ref: Omit<PlatformImageRef, 'location'> & { location: string }, version: string, hyperVGeneration?: 'V1' | 'V2'): void;
  addGalleryImage(info: GalleryImageInfo): void;
  addGalleryVersion(info: GalleryVersionInfo): void;
}

/** A VM identity for tests. */
export function fakeVm(overrides: Partial<VmIdentity> = {}): VmIdentity {
  const sub = overrides.subscriptionId ?? '00000000-0000-0000-0000-000000000001';
  const rg = overrides.resourceGroup ?? 'build-rg';
  const name = overrides.name ?? 'golden-vm';
  return { name, resourceGroup: rg, subscriptionId: sub, location: 'westeurope', resourceId: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`, ...overrides };
}

const key = (id: string): string => id.toLowerCase();
const notFound = (what: string, id: string): AzureError => new AzureError(`${what} ${id} not found`, { azureCode: 'ResourceNotFound', statusCode: 404 });

/** Creates an empty fake; `backend` adds real disk data. */
export function createFakeAzure(options: { backend?: FakeDiskBackend } = {}): FakeAzure {
  const backend = options.backend;
  const calls: string[] = [];
  const failures = new Map<string, { error: Error; times: number }>();
  const hanging = new Set<string>();
  const store: FakeAzure['store'] = {
    disks: new Map(), snapshots: new Map(), images: new Map(), galleryImages: new Map(), galleryVersions: new Map(), platform: [], vmDisks: [],
  };

  async function enter(op: string, detail: string, o?: OperationOptions): Promise<void> {
    calls.push(`${op} ${detail}`);
    if (o?.signal?.aborted) throw new CancelledError(`${op} cancelled`);
    const f = failures.get(op);
    if (f && f.times > 0) {
      f.times--;
      throw f.error;
    }
    if (hanging.has(op)) {
      await new Promise<void>((_, reject) => {
        if (!o?.signal) return;
        o.signal.addEventListener('abort', () => reject(new CancelledError(`${op} cancelled`)), { once: true });
      });
    }
    await Promise.resolve();
  }

  const port: AzurePort = {
    disks: {
      async get(id, o) {
        await enter('disks.get', id, o);
        const d = store.disks.get(key(id));
        return d ? { ...d } : undefined;
      },
      async create(id, spec, o) {
        await enter('disks.create', id, o);
        const c = spec.creation;
        if (c.createOption === 'Copy' && !store.disks.has(key(c.sourceResourceId))) throw notFound('source disk', c.sourceResourceId);
        if (c.createOption === 'FromImage' && 'galleryImageReferenceId' in c && !store.galleryVersions.has(key(c.galleryImageReferenceId))) throw notFound('gallery image version', c.galleryImageReferenceId);
        if (c.createOption === 'Empty' && !spec.diskSizeGB) throw new AzureError('diskSizeGB is required for an empty disk', { azureCode: 'InvalidParameter', statusCode: 400 });
        const disk: FakeDisk = { id, location: spec.location, sku: spec.sku, diskSizeGB: spec.diskSizeGB ?? 30, hyperVGeneration: spec.hyperVGeneration, diskState: 'Unattached', tags: spec.tags, zone: spec.zone, spec };
        store.disks.set(key(id), disk);
        await backend?.create(id, spec);
        return { ...disk };
      },
      async delete(id, o) {
        await enter('disks.delete', id, o);
        const d = store.disks.get(key(id));
        if (!d) return;
        if (d.managedBy) throw new AzureError(`disk ${id} is attached to ${d.managedBy}`, { azureCode: 'OperationNotAllowed', statusCode: 409 });
        store.disks.delete(key(id));
        await backend?.remove(id);
      },
    },
    snapshots: {
      async create(id, spec, o) {
        await enter('snapshots.create', id, o);
        if (!store.disks.has(key(spec.sourceResourceId))) throw notFound('source disk', spec.sourceResourceId);
        store.snapshots.set(key(id), { id, spec, revoked: false });
      },
      async revokeAccess(id, o) {
        await enter('snapshots.revokeAccess', id, o);
        const s = store.snapshots.get(key(id));
        if (!s) throw notFound('snapshot', id);
        s.revoked = true;
      },
      async delete(id, o) {
        await enter('snapshots.delete', id, o);
        store.snapshots.delete(key(id));
      },
    },
    images: {
      async get(id, o) {
        await enter('images.get', id, o);
        return store.images.has(key(id)) ? { id } : undefined;
      },
      async create(id, spec, o) {
        await enter('images.create', id, o);
        const osId = spec.osDisk.managedDiskId ?? '';
        const disk = store.disks.get(key(osId));
        if (!disk) throw notFound('disk', osId);
        if (disk.managedBy) throw new AzureError(`disk ${osId} is still attached; detach it before capturing`, { azureCode: 'OperationNotAllowed', statusCode: 409 });
        store.images.set(key(id), { id, spec });
        await backend?.captureImage(id, osId);
      },
      async delete(id, o) {
        await enter('images.delete', id, o);
        store.images.delete(key(id));
      },
    },
    gallery: {
      async getImage(id, o) {
        await enter('gallery.getImage', id, o);
        return store.galleryImages.get(key(id));
      },
      async getVersion(id, o) {
        await enter('gallery.getVersion', id, o);
        return store.galleryVersions.get(key(id));
      },
      async listVersions(imageId, o) {
        await enter('gallery.listVersions', imageId, o);
        return [...store.galleryVersions.values()].filter((v) => key(v.id).startsWith(key(imageId) + '/versions/'));
      },
      async createVersion(id, spec, o) {
        await enter('gallery.createVersion', id, o);
        const imageId = id.replace(/\/versions\/[^/]+$/, '');
        if (!store.galleryImages.has(key(imageId))) throw notFound('gallery image', imageId);
        for (const s of [spec.osSnapshotId, ...spec.dataDisks.map((d) => d.snapshotId)]) if (!store.snapshots.has(key(s))) throw notFound('snapshot', s);
        store.galleryVersions.set(key(id), {
          id, name: id.split('/').pop() ?? '', location: spec.location, targetRegions: spec.targetRegions.length ? spec.targetRegions.map((r) => r.name) : [spec.location],
          dataDiskLuns: spec.dataDisks.map((d) => d.lun), provisioningState: 'Succeeded', spec,
        });
      },
      async deleteVersion(id, o) {
        await enter('gallery.deleteVersion', id, o);
        store.galleryVersions.delete(key(id));
      },
    },
    platformImages: {
      async listVersions(ref, o) {
        await enter('platformImages.listVersions', `${ref.publisher}:${ref.offer}:${ref.sku}`, o);
        return store.platform.filter((p) => sameRef(p.ref, ref)).map((p) => p.version).sort(compareVersionsDesc);
      },
      async get(ref, version, o) {
        await enter('platformImages.get', `${ref.publisher}:${ref.offer}:${ref.sku}:${version}`, o);
        const p = store.platform.find((x) => sameRef(x.ref, ref) && x.version === version);
        return p ? { id: p.id, hyperVGeneration: p.hyperVGeneration } : undefined;
      },
    },
    vm: {
      async listDataDisks(vm, o) {
        await enter('vm.listDataDisks', vm.name, o);
        return store.vmDisks.map((d) => ({ ...d }));
      },
      async attachDisk(vm, diskId, lun, o) {
        await enter('vm.attachDisk', `${diskId} lun${lun}`, o);
        const disk = store.disks.get(key(diskId));
        if (!disk) throw notFound('disk', diskId);
        if (store.vmDisks.some((d) => d.lun === lun)) throw new AzureError(`LUN ${lun} is already in use`, { azureCode: 'Conflict', statusCode: 409 });
        if (disk.managedBy) throw new AzureError(`disk ${diskId} is already attached to ${disk.managedBy}`, { azureCode: 'OperationNotAllowed', statusCode: 409 });
        if ((disk.zone ?? '') !== (vm.zone ?? '')) throw new AzureError(`disk ${diskId} cannot be attached to the VM because it is not in the same zone`, { azureCode: 'BadRequest', statusCode: 400 });
        store.vmDisks.push({ lun, diskId });
        disk.managedBy = vm.resourceId;
        disk.diskState = 'Attached';
        await backend?.attach(diskId, lun);
      },
      async detachDisk(vm, diskId, o) {
        await enter('vm.detachDisk', diskId, o);
        const at = store.vmDisks.find((d) => key(d.diskId) === key(diskId));
        if (!at) return;
        await backend?.detach(diskId, at.lun);
        store.vmDisks = store.vmDisks.filter((d) => d !== at);
        const disk = store.disks.get(key(diskId));
        if (disk) {
          disk.managedBy = undefined;
          disk.diskState = 'Unattached';
        }
      },
    },
  };

  return {
    ...port,
    calls,
    store,
    fail: (op, error, times = 1) => void failures.set(op, { error, times }),
    hang: (op) => void hanging.add(op),
    addDisk: (d) => void store.disks.set(key(d.id), { spec: { location: d.location, sku: d.sku ?? 'Premium_LRS', creation: { createOption: 'Empty' } }, ...d }),
    addPlatformImage: (ref, version, gen) => {
      const id = `/Subscriptions/00000000-0000-0000-0000-000000000001/Providers/Microsoft.Compute/Locations/${ref.location}/Publishers/${ref.publisher}/ArtifactTypes/VMImage/Offers/${ref.offer}/Skus/${ref.sku}/Versions/${version}`;
      store.platform.push({ ref, version, id, hyperVGeneration: gen });
    },
    addGalleryImage: (info) => void store.galleryImages.set(key(info.id), info),
    addGalleryVersion: (info) => void store.galleryVersions.set(key(info.id), info),
  };
}

function sameRef(a: PlatformImageRef, b: PlatformImageRef): boolean {
  return [a.location, a.publisher, a.offer, a.sku].join(':').toLowerCase() === [b.location, b.publisher, b.offer, b.sku].join(':').toLowerCase();
}

function compareVersionsDesc(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
