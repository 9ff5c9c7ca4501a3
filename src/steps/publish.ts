// Step 8b: publish the gallery image version from the snapshots (target regions with replicas and
// storage type, exclude_from_latest, end of life, data disks by LUN), within publishTimeoutMs.

import type { GalleryVersionSpec } from '../azure/ports.js';
import { AzureError, CancelledError } from '../errors.js';
import { deleteIfExists } from './azure-ids.js';
import { need, type BuildState } from './state.js';
import { always, type Step, type StepContext } from './types.js';

/** The gallery version body. */
export function galleryVersionSpec(state: BuildState, ctx: StepContext): GalleryVersionSpec {
  const b = ctx.config.builder;
  const dest = b.sharedImageDestination;
  const os = state.snapshots.find((s) => s.lun === -1);
  if (!dest || !os) throw new AzureError('cannot publish: no gallery destination or no OS snapshot');
  return {
    location: ctx.vm.location,
    osSnapshotId: os.id,
    osHostCaching: b.osDiskCacheType,
    dataDisks: state.snapshots
      .filter((s) => s.lun >= 0)
      .sort((x, y) => x.lun - y.lun)
      .map((s) => ({ lun: s.lun, snapshotId: s.id, hostCaching: b.dataDiskCacheType })),
    targetRegions: dest.targetRegions.map((r) => ({ name: r.name, replicas: r.replicas, storageAccountType: r.storageAccountType })),
    excludeFromLatest: dest.excludeFromLatest,
    endOfLifeDate: dest.endOfLifeDate,
    tags: { 'azchroot-build-id': ctx.buildId },
  };
}

/** The publish-gallery-version step. */
export function publishGalleryVersion(): Step {
  const id = 'publish-gallery-version';
  return {
    id,
    title: 'Publish the gallery image version',
    enabled: always,
    async run(state, ctx) {
      const versionId = need(state, 'galleryVersionId', 'verify-gallery-destination');
      const spec = galleryVersionSpec(state, ctx);
      if (state.replaceGalleryVersion) {
        ctx.reporter.warn(`-force: deleting the existing gallery image version ${versionId}`, id);
        await deleteIfExists(() => ctx.azure.gallery.deleteVersion(versionId, { signal: ctx.signal }));
      }
      const regions = spec.targetRegions.map((r) => `${r.name} x${r.replicas}`).join(', ') || 'the gallery\'s region';
      ctx.reporter.say(`publishing ${versionId} to ${regions}`, id);
      const timeoutMs = ctx.config.builder.publishTimeoutMs;
      try {
        await ctx.ledger.track('gallery-version', versionId, undefined, () => ctx.azure.gallery.createVersion(versionId, spec, { signal: ctx.signal, timeoutMs }));
      } catch (error) {
        if (error instanceof Error && /time(d)? ?out/i.test(error.message)) {
          ctx.reporter.warn(`publishing did not finish within ${Math.round(timeoutMs / 60000)} min; Azure may still complete ${versionId}`, id);
        } else if (!(error instanceof CancelledError)) {
          // Azure keeps a version whose creation failed (provisioningState Failed) under that name.
          ctx.reporter.warn(`${versionId} may now exist in a failed state; delete it or build again with -force to replace it`, id);
        }
        throw error;
      }
      state.outputs.push(versionId);
    },
  };
}

/** skip_create_image: no capture at all. */
export function skipCapture(): Step {
  return {
    id: 'skip-capture',
    title: 'Skip image creation',
    enabled: always,
    async run(_state, ctx) {
      ctx.reporter.say('Skipping image creation...', 'skip-capture');
    },
  };
}
