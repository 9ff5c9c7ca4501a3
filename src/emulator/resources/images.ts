// Managed images: PUT from managed disks or snapshots (OS disk and data disks), GET, DELETE.
// The image keeps its own copy of the data, so the sources may be deleted afterwards.

import { ArmError, asObject, asString, invalidParameter } from '../http-kit.js';
import { bodyObject, startLro, type ArmContext, type ArmRequest } from '../arm/context.js';
import { armType } from '../arm/paths.js';
import { baseBody, enumOf, gbOf, getHandler, props, publicBody, requireLocation, tagsOf, type ResourceHandlers } from './common.js';
import { checkImageSource, checkName } from './publish-rules.js';
import { sourceFromId, type DataSource } from './sources.js';

interface DiskSource {
  source: DataSource;
  /** The echoed reference: {managedDisk:{id}} or {snapshot:{id}}. */
  ref: Record<string, unknown>;
}

async function diskSource(ctx: ArmContext, disk: Record<string, unknown>, target: string): Promise<DiskSource> {
  const managed = asString(asObject(disk.managedDisk)?.id);
  const snapshot = asString(asObject(disk.snapshot)?.id);
  if (managed) return { source: await sourceFromId(ctx, managed, `${target}.managedDisk.id`, ['disks']), ref: { managedDisk: { id: managed } } };
  if (snapshot) return { source: await sourceFromId(ctx, snapshot, `${target}.snapshot.id`, ['snapshots']), ref: { snapshot: { id: snapshot } } };
  if (disk.blobUri !== undefined) throw invalidParameter(`${target}.blobUri`, `images from VHD blobs are not supported by the emulator; use managedDisk.id or snapshot.id`);
  throw invalidParameter(target, `"${target}" needs a source: managedDisk.id or snapshot.id`);
}

async function putImage(ctx: ArmContext, req: ArmRequest) {
  if (req.route.kind !== 'resource') throw new ArmError(500, 'InternalServerError', 'route mismatch');
  const id = req.route.id;
  const body = bodyObject(req);
  const location = requireLocation(body);
  const tags = tagsOf(body);
  checkName('images', String(id.split('/').pop()));
  const p = asObject(body.properties) ?? {};
  if (p.sourceVirtualMachine !== undefined) {
    throw invalidParameter('properties.sourceVirtualMachine', `images from a virtual machine are not supported by the emulator; use storageProfile.osDisk.managedDisk.id or snapshot.id`);
  }
  const storage = asObject(p.storageProfile);
  const osDisk = asObject(storage?.osDisk);
  if (!osDisk) throw invalidParameter('properties.storageProfile.osDisk', `"properties.storageProfile.osDisk" is required`);
  const osType = enumOf(osDisk.osType, ['Linux', 'Windows'] as const, 'properties.storageProfile.osDisk.osType');
  if (!osType) throw invalidParameter('properties.storageProfile.osDisk.osType', `"osDisk.osType" is required: Linux or Windows`);
  const osState = enumOf(osDisk.osState, ['Generalized', 'Specialized'] as const, 'properties.storageProfile.osDisk.osState');
  if (!osState) throw invalidParameter('properties.storageProfile.osDisk.osState', `"osDisk.osState" is required: Generalized or Specialized`);
  const os = await diskSource(ctx, osDisk, 'properties.storageProfile.osDisk');
  const dataIn = storage?.dataDisks ?? [];
  if (!Array.isArray(dataIn)) throw invalidParameter('properties.storageProfile.dataDisks', `"dataDisks" must be an array`);
  const data: Array<DiskSource & { lun: number; disk: Record<string, unknown> }> = [];
  for (const [i, raw] of dataIn.entries()) {
    const disk = asObject(raw) ?? {};
    const target = `properties.storageProfile.dataDisks[${i}]`;
    const lun = disk.lun;
    if (typeof lun !== 'number' || !Number.isInteger(lun) || lun < 0 || lun > 63) throw invalidParameter(`${target}.lun`, `"lun" must be 0-63, got ${JSON.stringify(lun)}`);
    if (data.some((d) => d.lun === lun)) throw invalidParameter(`${target}.lun`, `LUN ${lun} is used by more than one data disk`);
    data.push({ ...(await diskSource(ctx, disk, target)), lun, disk });
  }
  const hyperV = enumOf(p.hyperVGeneration, ['V1', 'V2'] as const, 'properties.hyperVGeneration') ?? os.source.hyperVGeneration ?? 'V1';
  checkImageSource(location, hyperV, os.source.resource, 'properties.storageProfile.osDisk', true);
  for (const [i, d] of data.entries()) checkImageSource(location, hyperV, d.source.resource, `properties.storageProfile.dataDisks[${i}]`, false);
  const previous = ctx.store.get(id);
  const stored = baseBody(id, 'images', location, tags);
  const storageAccountType = (d: Record<string, unknown>) => asString(d.storageAccountType) ?? 'Standard_LRS';
  stored.properties = {
    storageProfile: {
      osDisk: { osType, osState, diskSizeGB: gbOf(os.source.sizeBytes), ...os.ref, caching: asString(osDisk.caching) ?? 'ReadWrite', storageAccountType: storageAccountType(osDisk) },
      dataDisks: data.map((d) => ({ lun: d.lun, diskSizeGB: gbOf(d.source.sizeBytes), ...d.ref, caching: asString(d.disk.caching) ?? 'None', storageAccountType: storageAccountType(d.disk) })),
      zoneResilient: storage?.zoneResilient === true,
    },
    provisioningState: 'Creating',
    hyperVGeneration: hyperV,
  };
  ctx.store.put({ id, type: armType('images'), body: stored });
  return startLro(ctx, req, {
    key: 'image.create',
    status: previous ? 200 : 201,
    body: publicBody(stored),
    work: async () => {
      const copy = (s: DataSource) => (s.blobId ? ctx.backend.copy(s.blobId) : ctx.backend.createEmpty(s.sizeBytes));
      const blobId = await copy(os.source);
      const dataBlobs: Record<string, string> = {};
      for (const d of data) dataBlobs[String(d.lun)] = await copy(d.source);
      const done = ctx.store.update(id, (r) => {
        r.blobId = blobId;
        r.dataBlobs = dataBlobs;
        props(r.body).provisioningState = 'Succeeded';
      });
      if (previous) await removeBlobs(ctx, previous.blobId, previous.dataBlobs);
      if (!done) {
        await removeBlobs(ctx, blobId, dataBlobs);
        throw new ArmError(404, 'ResourceNotFound', `image "${id}" was deleted while it was being created`);
      }
      return publicBody(done.body);
    },
    onFailure: () => {
      ctx.store.update(id, (r) => {
        props(r.body).provisioningState = 'Failed';
      });
    },
  });
}

/** Removes an OS blob and data blobs; missing ones are fine. */
export async function removeBlobs(ctx: ArmContext, blobId: string | undefined, dataBlobs: Record<string, string> | undefined): Promise<void> {
  if (blobId) await ctx.backend.remove(blobId);
  for (const b of Object.values(dataBlobs ?? {})) await ctx.backend.remove(b);
}

/** DELETE that also removes the resource's blobs (images, gallery versions). */
export function deleteWithBlobs(kind: 'images' | 'galleryImageVersions'): (ctx: ArmContext, req: ArmRequest) => ReturnType<typeof startLro> {
  return (ctx, req) => {
    if (req.route.kind !== 'resource') throw new ArmError(500, 'InternalServerError', 'route mismatch');
    const id = req.route.id;
    const existing = ctx.store.get(id);
    if (!existing || existing.type.toLowerCase() !== armType(kind).toLowerCase()) return { status: 204 };
    ctx.store.update(id, (r) => {
      props(r.body).provisioningState = 'Deleting';
    });
    return startLro(ctx, req, {
      key: 'delete',
      status: 202,
      work: async () => {
        ctx.store.remove(id);
        await removeBlobs(ctx, existing.blobId, existing.dataBlobs);
        return undefined;
      },
    });
  };
}

/** Handlers of Microsoft.Compute/images. */
export const imageHandlers: ResourceHandlers = {
  get: getHandler('images'),
  put: putImage,
  delete: deleteWithBlobs('images'),
};
