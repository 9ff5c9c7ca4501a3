// Managed disks: PUT (Empty, Copy, FromImage from a platform image or a gallery image version),
// GET, PATCH (grow), DELETE, beginGetAccess / endGetAccess.

import { randomUUID } from 'node:crypto';
import { asObject, asString, invalidParameter } from '../http-kit.js';
import { bodyObject, type ArmContext, type ArmRequest } from '../arm/context.js';
import { parseResourceId } from '../arm/paths.js';
import { baseBody, enumOf, gbOf, getHandler, requireLocation, sizeGbOf, skuOf, tagsOf, zonesOf, type ResourceHandlers } from './common.js';
import { createDiskLike, deleteHandler, putTarget, grantAccessHandler, revokeAccessHandler, updateDiskLike, updateHandler } from './disk-like.js';
import { checkDiskSkuZones, checkName } from './publish-rules.js';
import { platformSource, sourceFromId, targetSize, type DataSource } from './sources.js';

const CREATE_OPTIONS = ['Empty', 'Copy', 'FromImage', 'Import', 'Attach', 'Restore', 'Upload', 'CopyStart', 'ImportSecure', 'UploadPreparedSecure'] as const;

/** Resolves creationData into a data source and the creationData echoed back. */
async function resolveCreation(ctx: ArmContext, creation: Record<string, unknown>): Promise<{ source?: DataSource; echo: Record<string, unknown> }> {
  const option = enumOf(creation.createOption, CREATE_OPTIONS, 'properties.creationData.createOption');
  if (!option) throw invalidParameter('properties.creationData.createOption', `"properties.creationData.createOption" is required: Empty, Copy or FromImage`);
  const echo: Record<string, unknown> = { createOption: option };
  if (option === 'Empty') return { echo };
  if (option === 'Copy') {
    const source = await sourceFromId(ctx, creation.sourceResourceId, 'properties.creationData.sourceResourceId', ['disks', 'snapshots']);
    echo.sourceResourceId = creation.sourceResourceId;
    if (source.uniqueId) echo.sourceUniqueId = source.uniqueId;
    return { source, echo };
  }
  if (option === 'FromImage') {
    const gallery = asObject(creation.galleryImageReference);
    const image = asObject(creation.imageReference);
    const ref = gallery ?? image;
    const refName = gallery ? 'galleryImageReference' : 'imageReference';
    if (!ref) throw invalidParameter('properties.creationData.imageReference', `createOption FromImage needs "imageReference.id" (platform image) or "galleryImageReference.id" (gallery image version)`);
    const lun = ref.lun;
    if (lun !== undefined && (typeof lun !== 'number' || !Number.isInteger(lun) || lun < 0)) {
      throw invalidParameter(`properties.creationData.${refName}.lun`, `"lun" must be a whole number >= 0, got ${JSON.stringify(lun)}`);
    }
    const idText = asString(ref.id);
    const target = `properties.creationData.${refName}.id`;
    // Older api-versions pass gallery image versions in imageReference.id too.
    const source =
      idText && parseResourceId(idText)?.kind === 'galleryImageVersions'
        ? await sourceFromId(ctx, idText, target, ['galleryImageVersions'], lun as number | undefined)
        : platformSource(ctx, ref.id, target);
    echo[refName] = lun === undefined ? { id: ref.id } : { id: ref.id, lun };
    return { source, echo };
  }
  throw invalidParameter('properties.creationData.createOption', `createOption "${option}" is not supported by the emulator; use Empty, Copy or FromImage`);
}

async function putDisk(ctx: ArmContext, req: ArmRequest) {
  const { id, existing } = putTarget(ctx, req, 'disks');
  if (existing) return updateDiskLike(ctx, req, 'disks', existing);
  const body = bodyObject(req);
  const location = requireLocation(body);
  const tags = tagsOf(body);
  const zones = zonesOf(body);
  const sku = skuOf(body);
  checkName('disks', String(id.split('/').pop()));
  checkDiskSkuZones(sku.name, zones);
  const p = asObject(body.properties) ?? {};
  const creation = asObject(p.creationData);
  if (!creation) throw invalidParameter('properties.creationData', `"properties.creationData" is required, e.g. {"createOption":"Empty"}`);
  const sizeGb = sizeGbOf(p.diskSizeGB, 'properties.diskSizeGB');
  const osType = enumOf(p.osType, ['Linux', 'Windows'] as const, 'properties.osType');
  const hyperV = enumOf(p.hyperVGeneration, ['V1', 'V2'] as const, 'properties.hyperVGeneration');
  const { source, echo } = await resolveCreation(ctx, creation);
  if (echo.createOption === 'Empty' && sizeGb === undefined) {
    throw invalidParameter('properties.diskSizeGB', `"properties.diskSizeGB" is required when createOption is Empty`);
  }
  const bytes = targetSize(sizeGb, source, 'properties.diskSizeGB');
  const stored = baseBody(id, 'disks', location, tags);
  stored.sku = sku;
  if (zones) stored.zones = zones;
  const properties: Record<string, unknown> = {
    creationData: echo,
    diskSizeGB: gbOf(bytes),
    diskSizeBytes: bytes,
    uniqueId: randomUUID(),
    timeCreated: new Date().toISOString(),
    provisioningState: 'Updating',
    diskState: 'Unattached',
    encryption: { type: 'EncryptionAtRestWithPlatformKey' },
    networkAccessPolicy: 'AllowAll',
    publicNetworkAccess: 'Enabled',
  };
  const os = osType ?? source?.osType;
  if (os) properties.osType = os;
  const gen = hyperV ?? source?.hyperVGeneration;
  if (gen) properties.hyperVGeneration = gen;
  stored.properties = properties;
  return createDiskLike(ctx, req, 'disks', stored, source?.blobId, bytes);
}

/** Handlers of Microsoft.Compute/disks. */
export const diskHandlers: ResourceHandlers = {
  get: getHandler('disks'),
  put: putDisk,
  patch: updateHandler('disks'),
  delete: deleteHandler('disks'),
  actions: { begingetaccess: grantAccessHandler('disks'), endgetaccess: revokeAccessHandler('disks') },
};
