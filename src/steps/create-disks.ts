// Step 3: the temporary OS disk (and, for a gallery source, its data disks) in the VM's location and
// zone, tagged with the build id. Each create is journaled before the call starts, so no failure or
// kill can leave an unrecorded disk. Cleanup detaches if needed and deletes, unless skip_cleanup.

import type { DiskCreation, DiskSpec } from '../azure/ports.js';
import { InternalError } from '../errors.js';
import { deleteIfExists } from './azure-ids.js';
import type { BuildState } from './state.js';
import { always, type Step, type StepContext } from './types.js';

/** Tags on every temporary resource. */
export function temporaryTags(buildId: string): Record<string, string> {
  return { 'azchroot-build-id': buildId, 'azchroot-temporary': 'true' };
}

function osDiskCreation(state: BuildState, ctx: StepContext): DiskCreation {
  const src = ctx.config.builder.source;
  switch (src.kind) {
    case 'scratch':
      return { createOption: 'Empty' };
    case 'disk':
      return { createOption: 'Copy', sourceResourceId: src.id };
    case 'gallery':
      return { createOption: 'FromImage', galleryImageReferenceId: src.id };
    case 'platform':
      if (!state.platformImageId) throw new InternalError('platformImageId not set; expected from verify-platform-image');
      return { createOption: 'FromImage', imageReferenceId: state.platformImageId };
  }
}

async function createDisk(ctx: StepContext, id: string, spec: DiskSpec, step: string): Promise<void> {
  ctx.journal.intent('disk', id, { detail: { location: spec.location } });
  ctx.reporter.say(`creating disk ${id}`, step);
  await ctx.azure.disks.create(id, spec, { signal: ctx.signal });
  ctx.journal.created('disk', id);
}

/** Deletes a temporary disk after making sure it is not attached; keeps it under skip_cleanup. */
export async function removeTemporaryDisk(state: BuildState, ctx: StepContext, id: string, step: string): Promise<void> {
  if (ctx.config.builder.skipCleanup) {
    if (!state.kept.includes(id)) state.kept.push(id);
    ctx.reporter.say(`skip_cleanup: keeping disk ${id}`, step);
    return;
  }
  const disk = await ctx.azure.disks.get(id, { signal: ctx.signal });
  if (disk) {
    if (disk.managedBy) {
      ctx.reporter.say(`detaching ${id} before deleting it`, step);
      await ctx.azure.vm.detachDisk(ctx.vm, id, { signal: ctx.signal });
    }
    ctx.reporter.say(`deleting disk ${id}`, step);
    await deleteIfExists(() => ctx.azure.disks.delete(id, { signal: ctx.signal }));
  }
  ctx.journal.removed('disk', id);
}

/** Creates the temporary OS disk. */
export function createOsDisk(): Step {
  const id = 'create-os-disk';
  return {
    id,
    title: 'Create the temporary OS disk',
    enabled: always,
    async run(state, ctx) {
      const b = ctx.config.builder;
      const diskId = b.temporaryOsDiskId;
      // A gallery source fixes the generation itself; passing one could only conflict.
      const generation = b.source.kind === 'gallery' ? undefined : (state.generation ?? 'V1');
      state.generation ??= 'V1';
      state.osDiskId = diskId;
      await createDisk(ctx, diskId, {
        location: ctx.vm.location,
        zone: ctx.vm.zone,
        sku: b.osDiskStorageAccountType,
        osType: 'Linux',
        hyperVGeneration: generation,
        diskSizeGB: b.osDiskSizeGb,
        creation: osDiskCreation(state, ctx),
        tags: temporaryTags(ctx.buildId),
      }, id);
    },
    async cleanup(state, ctx) {
      if (!state.osDiskId) return;
      await removeTemporaryDisk(state, ctx, state.osDiskId, id);
      if (!ctx.config.builder.skipCleanup) state.osDiskId = undefined;
    },
  };
}

/** Creates one temporary data disk per data disk of the source gallery version. */
export function createDataDisks(): Step {
  const id = 'create-data-disks';
  return {
    id,
    title: 'Create the temporary data disks',
    enabled: (state) => state.sourceDataDiskLuns.length > 0,
    async run(state, ctx) {
      const b = ctx.config.builder;
      if (b.source.kind !== 'gallery') return;
      for (const lun of state.sourceDataDiskLuns) {
        const diskId = `${b.temporaryDataDiskIdPrefix}${lun}`;
        state.dataDisks.push({ lun, id: diskId });
        await createDisk(ctx, diskId, {
          location: ctx.vm.location,
          zone: ctx.vm.zone,
          sku: b.dataDiskStorageAccountType,
          creation: { createOption: 'FromImage', galleryImageReferenceId: b.source.id, lun },
          tags: temporaryTags(ctx.buildId),
        }, id);
      }
    },
    async cleanup(state, ctx) {
      // Try every disk even when one fails; report the first failure.
      const failures: unknown[] = [];
      for (const d of [...state.dataDisks].reverse()) {
        try {
          await removeTemporaryDisk(state, ctx, d.id, id);
          if (!ctx.config.builder.skipCleanup) state.dataDisks = state.dataDisks.filter((x) => x !== d);
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw failures[0];
    },
  };
}
