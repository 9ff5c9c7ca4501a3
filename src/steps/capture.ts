// Step 8a: capture the detached disks. The managed image (from the disks) and the snapshots (for the
// gallery) are created concurrently when both outputs are asked for. Snapshots are temporary: in
// the ledger, whose snapshot undoer revokes access and deletes them unless skip_cleanup.

import type { ImageSpec } from '../azure/ports.js';
import { deleteIfExists } from './azure-ids.js';
import { temporaryTags } from './create-disks.js';
import { need, type BuildState } from './state.js';
import { always, type Step, type StepContext } from './types.js';

/** The capture step's id for the outputs asked for. */
export function captureStepId(image: boolean, gallery: boolean): string {
  return image && gallery ? 'create-image-and-snapshots' : image ? 'create-image' : 'create-snapshots';
}

/** The managed image body: the intended storage types and caching (Packer sends empty ones). */
export function imageSpec(state: BuildState, ctx: StepContext): ImageSpec {
  const b = ctx.config.builder;
  return {
    location: ctx.vm.location,
    hyperVGeneration: state.generation,
    osDisk: { managedDiskId: need(state, 'osDiskId', 'create-os-disk'), storageAccountType: b.osDiskStorageAccountType, caching: b.osDiskCacheType },
    dataDisks: [...state.dataDisks]
      .sort((x, y) => x.lun - y.lun)
      .map((d) => ({ lun: d.lun, managedDiskId: d.id, storageAccountType: b.dataDiskStorageAccountType, caching: b.dataDiskCacheType })),
    tags: { 'azchroot-build-id': ctx.buildId },
  };
}

async function createImage(state: BuildState, ctx: StepContext, step: string, imageId: string): Promise<void> {
  if (state.replaceImage) {
    ctx.reporter.warn(`-force: deleting the existing managed image ${imageId}`, step);
    await deleteIfExists(() => ctx.azure.images.delete(imageId, { signal: ctx.signal }));
  }
  const spec = imageSpec(state, ctx);
  ctx.reporter.say(`creating managed image ${imageId} from ${spec.osDisk.managedDiskId}`, step);
  await ctx.ledger.track('image', imageId, undefined, () => ctx.azure.images.create(imageId, spec, { signal: ctx.signal }));
  state.outputs.push(imageId);
}

async function createSnapshots(state: BuildState, ctx: StepContext, step: string): Promise<void> {
  const b = ctx.config.builder;
  const sources = [{ lun: -1, disk: need(state, 'osDiskId', 'create-os-disk'), id: b.temporaryOsDiskSnapshotId }];
  for (const d of state.dataDisks) sources.push({ lun: d.lun, disk: d.id, id: `${b.temporaryDataDiskSnapshotIdPrefix}${d.lun}` });
  await Promise.all(
    sources.map(async (s) => {
      state.snapshots.push({ lun: s.lun, id: s.id });
      ctx.reporter.say(`creating snapshot ${s.id} of ${s.disk}`, step);
      await ctx.ledger.track('snapshot', s.id, undefined, () => ctx.azure.snapshots.create(s.id, { location: ctx.vm.location, sourceResourceId: s.disk, incremental: false, tags: temporaryTags(ctx.buildId) }, { signal: ctx.signal }));
    }),
  );
}

/** The capture step (image, snapshots, or both at once). */
export function capture(image: boolean, gallery: boolean): Step {
  const id = captureStepId(image, gallery);
  return {
    id,
    title: image && gallery ? 'Create the managed image and the snapshots' : image ? 'Create the managed image' : 'Create the snapshots',
    enabled: always,
    async run(state, ctx) {
      const imageId = ctx.config.builder.imageResourceId;
      const work: Promise<void>[] = [];
      if (image && imageId) work.push(createImage(state, ctx, id, imageId));
      if (gallery) work.push(createSnapshots(state, ctx, id));
      const results = await Promise.allSettled(work);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (!failed) return;
      if (imageId && state.outputs.includes(imageId)) {
        ctx.reporter.warn(`managed image ${imageId} was created and is left in place (it is an output), although capture failed`, id);
      }
      throw failed.reason;
    },
  };
}
