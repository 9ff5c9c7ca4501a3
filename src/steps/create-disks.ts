// Step 3: the temporary OS disk (and, for a gallery source, its data disks) in the VM's location and
// zone, tagged with the build id. Each create is in the ledger before the call starts, so no failure or
// kill can leave an unrecorded disk. The ledger's disk undoer detaches if needed and deletes it.

import type { DiskCreation, DiskSpec } from '../azure/ports.js';
import { InternalError } from '../errors.js';
import { BUILD_TAG } from '../ledger/undoers.js';
import { type BuildState, takeExplicitGeneration } from './state.js';
import { always, type Step, type StepContext } from './types.js';

/** Tags on every temporary resource. */
export function temporaryTags(buildId: string): Record<string, string> {
  return { [BUILD_TAG]: buildId, 'azchroot-temporary': 'true' };
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
  ctx.reporter.say(`creating disk ${id}`, step);
  await ctx.ledger.track('disk', id, { location: spec.location }, () => ctx.azure.disks.create(id, spec, { signal: ctx.signal }));
}

/**
 * The zone a new disk gets: the VM's, except for zone-redundant SKUs, which Azure refuses in a zone
 * ("A disk with sku 'Premium_ZRS' cannot be created in an availability zone") and which attach to a
 * VM in any zone.
 */
export function diskZone(sku: string, vmZone: string | undefined): string | undefined {
  return sku.endsWith('_ZRS') ? undefined : vmZone;
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
      takeExplicitGeneration(state, b.imageHypervGeneration);
      // A gallery source fixes the generation itself; passing one could only conflict.
      const generation = b.source.kind === 'gallery' ? undefined : (state.generation ?? 'V1');
      state.generation ??= 'V1';
      state.osDiskId = diskId;
      await createDisk(ctx, diskId, {
        location: ctx.vm.location,
        zone: diskZone(b.osDiskStorageAccountType, ctx.vm.zone),
        sku: b.osDiskStorageAccountType,
        osType: 'Linux',
        hyperVGeneration: generation,
        diskSizeGB: b.osDiskSizeGb,
        creation: osDiskCreation(state, ctx),
        tags: temporaryTags(ctx.buildId),
      }, id);
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
          zone: diskZone(b.dataDiskStorageAccountType, ctx.vm.zone),
          sku: b.dataDiskStorageAccountType,
          creation: { createOption: 'FromImage', galleryImageReferenceId: b.source.id, lun },
          tags: temporaryTags(ctx.buildId),
        }, id);
      }
    },
  };
}
