// Resolves what a new disk, snapshot, image or gallery version copies its data from: disks,
// snapshots, managed images, gallery image versions (OS disk or a data-disk LUN) and platform images.

import type { PlatformImageRecord, StoredResource } from '../state-layout.js';
import { asObject, asString, invalidParameter, notAllowed } from '../http-kit.js';
import type { ArmContext } from '../arm/context.js';
import { armType, parseArmPath, parseResourceId, type ResourceKind } from '../arm/paths.js';
import { GIB, props } from './common.js';

export interface DataSource {
  /** Blob to copy; undefined means zeros (e.g. the emulated VM's OS disk, which has no data). */
  blobId?: string;
  sizeBytes: number;
  hyperVGeneration?: 'V1' | 'V2';
  osType?: string;
  uniqueId?: string;
  /** The resource, for the caller's checks. */
  resource?: StoredResource;
}

/** Source from a resource id in a request body; `allowed` lists the kinds the operation accepts. */
export async function sourceFromId(ctx: ArmContext, id: unknown, target: string, allowed: readonly ResourceKind[], lun?: number): Promise<DataSource> {
  const text = asString(id);
  if (!text) throw invalidParameter(target, `"${target}" must be a resource id, got ${JSON.stringify(id)}`);
  const parsed = parseResourceId(text);
  if (!parsed || !allowed.includes(parsed.kind)) {
    throw invalidParameter(target, `"${target}" must be the id of a ${allowed.join(' or ')} resource, got "${text}"`);
  }
  const found = ctx.store.get(parsed.id);
  if (!found || found.type.toLowerCase() !== armType(parsed.kind).toLowerCase()) throw invalidParameter(target, `source "${text}" was not found`);
  const p = props(found.body);
  if (p.provisioningState !== 'Succeeded') {
    throw notAllowed(`source "${text}" is not ready (provisioningState ${String(p.provisioningState)}); wait for its operation to finish`);
  }
  const hyperVGeneration = p.hyperVGeneration === 'V2' ? 'V2' : p.hyperVGeneration === 'V1' ? 'V1' : undefined;
  switch (parsed.kind) {
    case 'disks':
    case 'snapshots':
      return { blobId: found.blobId, sizeBytes: Number(p.diskSizeBytes ?? 0), hyperVGeneration, osType: asString(p.osType), uniqueId: asString(p.uniqueId), resource: found };
    case 'images': {
      const os = asObject(asObject(p.storageProfile)?.osDisk);
      return withBlob(ctx, found, found.blobId, { hyperVGeneration, osType: asString(os?.osType) });
    }
    case 'galleryImageVersions': {
      const parent = ctx.store.get(parsed.id.split('/').slice(0, -2).join('/'));
      const pp = parent ? props(parent.body) : {};
      const gen = pp.hyperVGeneration === 'V2' ? 'V2' : 'V1';
      if (lun === undefined) return withBlob(ctx, found, found.blobId, { hyperVGeneration: gen, osType: asString(pp.osType) });
      const blob = found.dataBlobs?.[String(lun)];
      if (!blob) throw invalidParameter(`${target}.lun`, `gallery image version "${text}" has no data disk at LUN ${lun}`);
      return withBlob(ctx, found, blob, { hyperVGeneration: gen });
    }
    default:
      throw invalidParameter(target, `"${text}" cannot be used as a data source`);
  }
}

async function withBlob(ctx: ArmContext, resource: StoredResource, blobId: string | undefined, extra: Partial<DataSource>): Promise<DataSource> {
  const sizeBytes = blobId ? await ctx.backend.sizeOf(blobId) : 0;
  return { blobId, sizeBytes, resource, ...extra };
}

/** Source from a platform image id (…/publishers/p/artifacttypes/vmimage/offers/o/skus/s/versions/v), case-insensitive; `latest` allowed. */
export function platformSource(ctx: ArmContext, id: unknown, target: string): DataSource & { record: PlatformImageRecord } {
  const text = asString(id);
  const route = text ? parseArmPath(text) : undefined;
  if (!route || route.kind !== 'vmImages' || !route.version) {
    throw invalidParameter(target, `"${target}" must be a platform image id like /Subscriptions/{sub}/Providers/Microsoft.Compute/Locations/{loc}/Publishers/{p}/ArtifactTypes/VMImage/Offers/{o}/Skus/{s}/Versions/{v}, got ${JSON.stringify(id)}`);
  }
  const candidates = platformImagesOf(ctx, route.publisher, route.offer, route.sku);
  const record = route.version.toLowerCase() === 'latest' ? candidates.at(-1) : candidates.find((c) => c.version.toLowerCase() === route.version!.toLowerCase());
  if (!record) {
    throw invalidParameter(target, `platform image ${route.publisher}:${route.offer}:${route.sku}:${route.version} was not found; register it in the emulator state first`);
  }
  return { blobId: record.blobId, sizeBytes: record.sizeBytes, hyperVGeneration: record.hyperVGeneration, osType: 'Linux', record };
}

/** Platform images of publisher/offer/sku (case-insensitive), sorted by version ascending. */
export function platformImagesOf(ctx: ArmContext, publisher: string, offer: string, sku: string): PlatformImageRecord[] {
  const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return ctx.store
    .platformImages()
    .filter((r) => eq(r.publisher, publisher) && eq(r.offer, offer) && eq(r.sku, sku))
    .sort((a, b) => compareVersions(a.version, b.version));
}

/** Compares dotted versions numerically part by part (falls back to string order). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const c = x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return c;
  }
  return 0;
}

/** Size in bytes a new resource gets: the requested GiB, at least the source size. */
export function targetSize(requestedGb: number | undefined, source: DataSource | undefined, target: string): number {
  const requested = requestedGb === undefined ? undefined : requestedGb * GIB;
  const sourceSize = source?.sizeBytes ?? 0;
  if (requested !== undefined && requested < sourceSize) {
    throw invalidParameter(target, `"${target}" ${requestedGb} GiB is smaller than the source (${Math.ceil(sourceSize / GIB)} GiB); disks can only grow`);
  }
  return requested ?? sourceSize;
}
