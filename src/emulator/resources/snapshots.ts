// Snapshots: PUT (Copy from a disk or a snapshot, full or incremental), GET, PATCH, DELETE,
// beginGetAccess / endGetAccess.

import { createHash, randomUUID } from 'node:crypto';
import { asObject, invalidParameter } from '../http-kit.js';
import { bodyObject, type ArmContext, type ArmRequest } from '../arm/context.js';
import { baseBody, enumOf, gbOf, getHandler, props, requireLocation, sizeGbOf, skuOf, tagsOf, type ResourceHandlers } from './common.js';
import { createDiskLike, deleteHandler, putTarget, grantAccessHandler, revokeAccessHandler, updateDiskLike, updateHandler } from './disk-like.js';
import { checkName, checkSnapshotOf } from './publish-rules.js';
import { sourceFromId, targetSize, type DataSource } from './sources.js';

/** Incremental snapshots of one disk share a family id: the source snapshot's, or one derived from the disk. */
function familyIdOf(source: DataSource): string {
  const sp = source.resource ? props(source.resource.body) : {};
  if (typeof sp.incrementalSnapshotFamilyId === 'string') return sp.incrementalSnapshotFamilyId;
  const h = createHash('sha256').update(`snapshot-family:${String(source.uniqueId ?? source.resource?.id ?? '')}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

async function putSnapshot(ctx: ArmContext, req: ArmRequest) {
  const { id, existing } = putTarget(ctx, req, 'snapshots');
  if (existing) return updateDiskLike(ctx, req, 'snapshots', existing);
  const body = bodyObject(req);
  const location = requireLocation(body);
  const tags = tagsOf(body);
  const sku = skuOf(body);
  const p = asObject(body.properties) ?? {};
  const creation = asObject(p.creationData);
  const option = enumOf(creation?.createOption, ['Copy', 'CopyStart'] as const, 'properties.creationData.createOption');
  if (!creation || !option) {
    throw invalidParameter('properties.creationData.createOption', `snapshots need "properties.creationData": {"createOption":"Copy","sourceResourceId":"<disk or snapshot id>"}`);
  }
  if (p.incremental !== undefined && typeof p.incremental !== 'boolean') {
    throw invalidParameter('properties.incremental', `"properties.incremental" must be true or false, got ${JSON.stringify(p.incremental)}`);
  }
  checkName('snapshots', String(id.split('/').pop()));
  const source = await sourceFromId(ctx, creation.sourceResourceId, 'properties.creationData.sourceResourceId', ['disks', 'snapshots']);
  checkSnapshotOf(source.resource, p.incremental === true);
  const bytes = targetSize(sizeGbOf(p.diskSizeGB, 'properties.diskSizeGB'), source, 'properties.diskSizeGB');
  const echo: Record<string, unknown> = { createOption: option, sourceResourceId: creation.sourceResourceId };
  if (source.uniqueId) echo.sourceUniqueId = source.uniqueId;
  const stored = baseBody(id, 'snapshots', location, tags);
  stored.sku = sku;
  const properties: Record<string, unknown> = {
    creationData: echo,
    diskSizeGB: gbOf(bytes),
    diskSizeBytes: bytes,
    uniqueId: randomUUID(),
    timeCreated: new Date().toISOString(),
    provisioningState: 'Updating',
    diskState: 'Unattached',
    incremental: p.incremental === true,
    encryption: { type: 'EncryptionAtRestWithPlatformKey' },
    networkAccessPolicy: 'AllowAll',
    publicNetworkAccess: 'Enabled',
  };
  if (p.incremental === true) properties.incrementalSnapshotFamilyId = familyIdOf(source);
  const osType = enumOf(p.osType, ['Linux', 'Windows'] as const, 'properties.osType') ?? source.osType;
  if (osType) properties.osType = osType;
  const gen = enumOf(p.hyperVGeneration, ['V1', 'V2'] as const, 'properties.hyperVGeneration') ?? source.hyperVGeneration;
  if (gen) properties.hyperVGeneration = gen;
  stored.properties = properties;
  return createDiskLike(ctx, req, 'snapshots', stored, source.blobId, bytes);
}

/** Handlers of Microsoft.Compute/snapshots. */
export const snapshotHandlers: ResourceHandlers = {
  get: getHandler('snapshots'),
  put: putSnapshot,
  patch: updateHandler('snapshots'),
  delete: deleteHandler('snapshots'),
  actions: { begingetaccess: grantAccessHandler('snapshots'), endgetaccess: revokeAccessHandler('snapshots') },
};
