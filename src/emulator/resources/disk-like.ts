// Operations disks and snapshots share: update (grow, tags, SKU), delete, and SAS access
// (beginGetAccess / endGetAccess).

import { randomBytes } from 'node:crypto';
import { ArmError, asObject, invalidParameter, notAllowed, type HttpAnswer } from '../http-kit.js';
import { bodyObject, startLro, type ArmContext, type ArmRequest } from '../arm/context.js';
import { armType } from '../arm/paths.js';
import type { StoredResource } from '../state-layout.js';
import { GIB, enumOf, gbOf, mustGet, props, publicBody, sizeGbOf, skuOf, tagsOf, type Handler } from './common.js';

type DiskKind = 'disks' | 'snapshots';

function routeId(req: ArmRequest): string {
  if (req.route.kind !== 'resource') throw new ArmError(500, 'InternalServerError', 'route mismatch');
  return req.route.id;
}

function requireSettled(r: StoredResource): void {
  const state = props(r.body).provisioningState;
  if (state !== 'Succeeded' && state !== 'Failed') {
    throw new ArmError(409, 'OperationNotAllowed', `An operation on "${r.id}" is still in progress (provisioningState ${String(state)}); retry when it has finished.`);
  }
}

/** PATCH (and PUT on an existing resource): grow only, tags, SKU, osType. Shrinking is 409 OperationNotAllowed. */
export function updateHandler(kind: DiskKind): Handler {
  return (ctx, req) => updateDiskLike(ctx, req, kind, mustGet(ctx, kind, routeId(req)));
}

/** Shared update path; `existing` is the stored disk or snapshot. */
export function updateDiskLike(ctx: ArmContext, req: ArmRequest, kind: DiskKind, existing: StoredResource): HttpAnswer | Promise<HttpAnswer> {
  requireSettled(existing);
  const body = bodyObject(req);
  const p = asObject(body.properties) ?? {};
  const cur = props(existing.body);
  const curBytes = Number(cur.diskSizeBytes ?? 0);
  const sizeGb = sizeGbOf(p.diskSizeGB, 'properties.diskSizeGB');
  let newBytes: number | undefined;
  if (sizeGb !== undefined && sizeGb * GIB !== curBytes && sizeGb !== gbOf(curBytes)) {
    newBytes = sizeGb * GIB;
    if (newBytes < curBytes) {
      throw notAllowed(`Disk size cannot be reduced: "${existing.body.name}" is ${gbOf(curBytes)} GiB, requested ${sizeGb} GiB. Give a size of at least ${gbOf(curBytes)} GiB.`);
    }
    if (existing.body.managedBy) {
      throw notAllowed(`Disk "${existing.body.name}" is attached to ${String(existing.body.managedBy)}; resizing is only allowed while the disk is unattached. Detach it first.`);
    }
  }
  const tags = body.tags === undefined ? undefined : tagsOf(body) ?? {};
  const sku = body.sku === undefined ? undefined : skuOf(body);
  const osType = enumOf(p.osType, ['Linux', 'Windows'] as const, 'properties.osType');
  const id = existing.id;
  ctx.store.update(id, (r) => {
    props(r.body).provisioningState = 'Updating';
  });
  const answerBody = publicBody({ ...existing.body, properties: { ...cur, provisioningState: 'Updating' } });
  return startLro(ctx, req, {
    key: 'disk.update',
    status: 202,
    body: answerBody,
    work: async () => {
      const blobId = ctx.store.get(id)?.blobId;
      if (newBytes !== undefined && blobId) await ctx.backend.grow(blobId, newBytes);
      const updated = ctx.store.update(id, (r) => {
        const rp = props(r.body);
        if (newBytes !== undefined) {
          rp.diskSizeBytes = newBytes;
          rp.diskSizeGB = gbOf(newBytes);
        }
        if (tags !== undefined) r.body.tags = tags;
        if (sku !== undefined) r.body.sku = sku;
        if (osType !== undefined) rp.osType = osType;
        rp.provisioningState = 'Succeeded';
      });
      if (!updated) throw new ArmError(404, 'ResourceNotFound', `"${id}" was deleted while it was being updated`);
      return publicBody(updated.body);
    },
    onFailure: () => {
      ctx.store.update(id, (r) => {
        props(r.body).provisioningState = 'Succeeded';
      });
    },
  });
}

/** DELETE: 204 when absent; 409 OperationNotAllowed while attached or while a SAS is active. */
export function deleteHandler(kind: DiskKind): Handler {
  return (ctx, req) => {
    const id = routeId(req);
    const existing = ctx.store.get(id);
    if (!existing || existing.type.toLowerCase() !== armType(kind).toLowerCase()) return { status: 204 };
    if (existing.body.managedBy) {
      throw notAllowed(`Disk ${String(existing.body.name)} is attached to VM ${String(existing.body.managedBy)}; detach it before deleting it.`);
    }
    if (existing.body._access) {
      throw notAllowed(`${kind === 'disks' ? 'Disk' : 'Snapshot'} ${String(existing.body.name)} has an active SAS (diskState ActiveSAS); call endGetAccess before deleting it.`);
    }
    requireSettled(existing);
    refuseWhileInUse(ctx, existing);
    ctx.store.update(id, (r) => {
      props(r.body).provisioningState = 'Deleting';
    });
    return startLro(ctx, req, {
      key: kind === 'disks' ? 'disk.delete' : 'delete',
      status: 202,
      work: async () => {
        const gone = ctx.store.get(id);
        ctx.store.remove(id);
        if (gone?.blobId) await ctx.backend.remove(gone.blobId);
        return undefined;
      },
      onFailure: () => {
        ctx.store.update(id, (r) => {
          props(r.body).provisioningState = 'Succeeded';
        });
      },
    });
  };
}

/**
 * A disk an attach in flight lists (its managedBy is not set yet: kubernetes/kubernetes#82714 shows
 * why a delete then must be refused), or the source of a copy still in progress, cannot be deleted.
 * Azure's exact code for these is not documented; the emulator answers 409 OperationNotAllowed, as
 * for an attached disk.
 */
function refuseWhileInUse(ctx: ArmContext, existing: StoredResource): void {
  const noun = existing.type.toLowerCase().endsWith('/disks') ? 'Disk' : 'Snapshot';
  const vm = ctx.store.get(ctx.vmId);
  const listed = ((asObject(props(vm?.body ?? {}).storageProfile)?.dataDisks ?? []) as Array<Record<string, unknown>>).find(
    (e) => String(asObject(e.managedDisk)?.id ?? '').toLowerCase() === existing.id.toLowerCase(),
  );
  if (listed) throw notAllowed(`Disk ${String(existing.body.name)} is being attached to or detached from VM ${String(vm?.body.name)}; wait for that operation to finish before deleting it.`);
  for (const kind of ['snapshots', 'disks', 'images', 'galleryImageVersions'] as const) {
    for (const r of ctx.store.list(armType(kind))) {
      const rp = props(r.body);
      if (rp.provisioningState === 'Succeeded' || rp.provisioningState === 'Failed') continue;
      if (JSON.stringify(rp.creationData ?? rp.storageProfile ?? {}).toLowerCase().includes(`"${existing.id.toLowerCase()}"`)) {
        throw notAllowed(`${noun} ${String(existing.body.name)} is the source of ${String(r.body.name)} (${r.type}), which is still being created; delete it when that operation has finished.`);
      }
    }
  }
}

/** POST beginGetAccess: a read/write SAS URL served by the emulator itself (/_emulator/blobs/...). */
export function grantAccessHandler(kind: DiskKind): Handler {
  return (ctx, req) => {
    const id = routeId(req);
    const existing = mustGet(ctx, kind, id);
    requireSettled(existing);
    const body = bodyObject(req);
    const access = enumOf(body.access, ['Read', 'Write'] as const, 'access');
    if (!access) throw invalidParameter('access', `"access" is required: Read or Write`);
    const duration = body.durationInSeconds;
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 1) {
      throw invalidParameter('durationInSeconds', `"durationInSeconds" must be a positive integer, got ${JSON.stringify(duration)}`);
    }
    if (existing.body.managedBy) throw notAllowed(`Disk ${String(existing.body.name)} is attached to ${String(existing.body.managedBy)}; detach it before granting access.`);
    if (!existing.blobId) throw notAllowed(`"${id}" has no data the emulator can export`);
    const sig = randomBytes(18).toString('base64url');
    const url = `${req.baseUrl}/_emulator/blobs/${existing.blobId}?sv=2018-03-28&sr=b&sp=${access === 'Read' ? 'r' : 'rw'}&sig=${sig}`;
    return startLro(ctx, req, {
      key: 'disk.access',
      status: 202,
      work: async () => {
        ctx.store.update(id, (r) => {
          r.body._access = { sig, access, expiresAt: Date.now() + duration * 1000 };
          props(r.body).diskState = 'ActiveSAS';
        });
        return { accessSAS: url };
      },
    });
  };
}

/** POST endGetAccess: ends the SAS; diskState back to Unattached (or Attached). */
export function revokeAccessHandler(kind: DiskKind): Handler {
  return (ctx, req) => {
    const id = routeId(req);
    mustGet(ctx, kind, id);
    return startLro(ctx, req, {
      key: 'disk.access',
      status: 202,
      work: async () => {
        ctx.store.update(id, (r) => {
          delete r.body._access;
          props(r.body).diskState = r.body.managedBy ? 'Attached' : 'Unattached';
        });
        return undefined;
      },
    });
  };
}

/**
 * Stores a new disk or snapshot as Creating and answers 202; the long-running operation then copies
 * the source's data (or makes an empty blob) and marks it Succeeded, or Failed if the work fails.
 */
export function createDiskLike(ctx: ArmContext, req: ArmRequest, kind: DiskKind, stored: Record<string, unknown>, sourceBlobId: string | undefined, bytes: number): HttpAnswer | Promise<HttpAnswer> {
  const id = String(stored.id);
  ctx.store.put({ id, type: armType(kind), body: stored });
  const noun = kind === 'disks' ? 'disk' : 'snapshot';
  return startLro(ctx, req, {
    key: `${noun}.create`,
    status: 202,
    body: publicBody(stored),
    work: async () => {
      const blobId = sourceBlobId ? await ctx.backend.copy(sourceBlobId, bytes) : await ctx.backend.createEmpty(bytes);
      const done = ctx.store.update(id, (r) => {
        r.blobId = blobId;
        props(r.body).provisioningState = 'Succeeded';
      });
      if (!done) {
        await ctx.backend.remove(blobId);
        throw new ArmError(404, 'ResourceNotFound', `${noun} "${id}" was deleted while it was being created`);
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

/** The id a disk or snapshot PUT targets, and the stored resource of that kind when it exists (then the PUT is an update). */
export function putTarget(ctx: ArmContext, req: ArmRequest, kind: DiskKind): { id: string; existing?: StoredResource } {
  if (req.route.kind !== 'resource') throw new ArmError(500, 'InternalServerError', 'route mismatch');
  const id = req.route.id;
  const existing = ctx.store.get(id);
  if (!existing || existing.type.toLowerCase() !== armType(kind).toLowerCase()) return { id };
  // A resource whose creation failed holds no data: a PUT provisions it again (as Azure retries a
  // Failed resource on PUT) instead of updating an empty shell.
  if (props(existing.body).provisioningState === 'Failed' && !existing.blobId) return { id };
  return { id, existing };
}
