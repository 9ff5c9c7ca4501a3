// Gallery images and versions, and platform (marketplace) images, of the AzurePort.

import type { ComputeManagementClient, GalleryImageVersion } from '@azure/arm-compute';
import { call, callLro, type CallSettings } from './arm-call.js';
import type { AzurePort, GalleryVersionInfo, PlatformImageRef } from './ports.js';
import { parseArmId } from './resource-id.js';
import { waitUntilSettled } from './retry-policy.js';

type ClientFor = (subscriptionId: string) => ComputeManagementClient;

/** The `gallery` and `platformImages` groups of an AzurePort; platform images are read in `subscriptionId`. */
export function galleryOperations(clientFor: ClientFor, subscriptionId: string, settings: CallSettings): Pick<AzurePort, 'gallery' | 'platformImages'> {
  const target = (action: string, id: string) => {
    const r = parseArmId(id);
    const [gallery = '', image = '', version = ''] = r.names;
    return { client: clientFor(r.subscription), rg: r.resourceGroup, gallery, image, version, t: { action, id } };
  };
  const { retry } = settings;
  return {
    gallery: {
      async getImage(imageId, o) {
        const { client, rg, gallery, image, t } = target('read gallery image', imageId);
        const found = await retry(t, o?.signal, () => call(t, o, (abortSignal) => client.galleryImages.get(rg, gallery, image, { abortSignal }), () => undefined));
        if (!found) return undefined;
        const gen = found.hyperVGeneration;
        return {
          id: found.id ?? imageId,
          location: found.location,
          osType: found.osType,
          osState: found.osState,
          hyperVGeneration: gen === 'V1' || gen === 'V2' ? gen : undefined,
          architecture: found.architecture,
          securityType: found.features?.find((f) => f.name?.toLowerCase() === 'securitytype')?.value,
        };
      },
      async getVersion(versionId, o) {
        const { client, rg, gallery, image, version, t } = target('read gallery image version', versionId);
        const found = await retry(t, o?.signal, () => call(t, o, (abortSignal) => client.galleryImageVersions.get(rg, gallery, image, version, { abortSignal }), () => undefined));
        return found ? versionInfo(found, versionId) : undefined;
      },
      async listVersions(imageId, o) {
        const { client, rg, gallery, image, t } = target('list the versions of gallery image', imageId);
        return retry(t, o?.signal, () => call(t, o, async (abortSignal) => {
          const out: GalleryVersionInfo[] = [];
          // The paged iterator follows nextLink until the last page.
          for await (const v of client.galleryImageVersions.listByGalleryImage(rg, gallery, image, { abortSignal })) {
            out.push(versionInfo(v, `${imageId}/versions/${v.name ?? ''}`));
          }
          return out;
        }));
      },
      async createVersion(versionId, spec, o) {
        const { client, rg, gallery, image, version, t } = target('create gallery image version', versionId);
        await retry(t, o?.signal, () => callLro(t, o, settings, (opts) => client.galleryImageVersions.createOrUpdate(rg, gallery, image, version, {
          location: spec.location,
          publishingProfile: {
            ...(spec.targetRegions.length > 0
              ? { targetRegions: spec.targetRegions.map((r) => ({ name: r.name, regionalReplicaCount: r.replicas, storageAccountType: r.storageAccountType })) }
              : {}),
            excludeFromLatest: spec.excludeFromLatest,
            ...(spec.endOfLifeDate ? { endOfLifeDate: new Date(spec.endOfLifeDate) } : {}),
          },
          storageProfile: {
            osDiskImage: { source: { id: spec.osSnapshotId }, ...(spec.osHostCaching ? { hostCaching: spec.osHostCaching as 'None' } : {}) },
            ...(spec.dataDisks.length > 0
              ? { dataDiskImages: spec.dataDisks.map((d) => ({ lun: d.lun, source: { id: d.snapshotId }, ...(d.hostCaching ? { hostCaching: d.hostCaching as 'None' } : {}) })) }
              : {}),
          },
          ...(spec.tags ? { tags: spec.tags } : {}),
        }, opts)));
      },
      async deleteVersion(versionId, o) {
        const { client, rg, gallery, image, version, t } = target('delete gallery image version', versionId);
        await retry(t, o?.signal, () => callLro(t, o, settings, (opts) => client.galleryImageVersions.delete(rg, gallery, image, version, opts), () => undefined),
          async (decision, _err, deadline) => {
            if (!decision.conflict) return;
            await waitUntilSettled(async () => {
              const v = await call(t, o, (abortSignal) => client.galleryImageVersions.get(rg, gallery, image, version, { abortSignal }), () => undefined);
              return v ? v.provisioningState ?? 'Succeeded' : undefined;
            }, { pollMs: settings.pollIntervalMs, deadline, clock: settings.clock, signal: o?.signal });
          });
      },
    },
    platformImages: {
      async listVersions(ref, o) {
        const t = { action: 'list the versions of platform image', id: refText(ref) };
        const client = clientFor(subscriptionId);
        const list = await retry(t, o?.signal, () => call(t, o, (abortSignal) => client.virtualMachineImages.list(ref.location, ref.publisher, ref.offer, ref.sku, { orderby: 'name desc', abortSignal })));
        // Azure orders by name as text ("10" before "9"); sort by numeric segments instead.
        return list.map((i) => i.name).sort(compareVersionsDesc);
      },
      async get(ref, version, o) {
        const t = { action: 'read platform image', id: `${refText(ref)}:${version}` };
        const client = clientFor(subscriptionId);
        const image = await retry(t, o?.signal, () => call(t, o, (abortSignal) => client.virtualMachineImages.get(ref.location, ref.publisher, ref.offer, ref.sku, version, { abortSignal }), () => undefined));
        if (!image) return undefined;
        const gen = image.hyperVGeneration;
        return { id: image.id ?? '', hyperVGeneration: gen === 'V1' || gen === 'V2' ? gen : undefined };
      },
    },
  };
}

/** Orders version names newest first: numeric segments compare as numbers, others as text. */
export function compareVersionsDesc(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    const nx = /^\d+$/.test(x) ? BigInt(x) : undefined;
    const ny = /^\d+$/.test(y) ? BigInt(y) : undefined;
    if (nx !== undefined && ny !== undefined) {
      if (nx !== ny) return nx > ny ? -1 : 1;
    } else if (x !== y) {
      return x > y ? -1 : 1;
    }
  }
  return 0;
}

function versionInfo(v: GalleryImageVersion, fallbackId: string): GalleryVersionInfo {
  return {
    id: v.id ?? fallbackId,
    name: v.name ?? fallbackId.split('/').pop() ?? '',
    location: v.location,
    targetRegions: (v.publishingProfile?.targetRegions ?? []).map((r) => r.name),
    sourceId: v.storageProfile?.source?.id,
    dataDiskLuns: (v.storageProfile?.dataDiskImages ?? []).map((d) => d.lun),
    provisioningState: v.provisioningState,
  };
}

function refText(ref: PlatformImageRef): string {
  return `${ref.publisher}:${ref.offer}:${ref.sku} in ${ref.location}`;
}
