// Step 2: verify the source before anything is created, and learn its Hyper-V generation.

import type { PlatformImageRef } from '../azure/ports.js';
import type { ChrootConfig, SourceSpec } from '../config/model.js';
import { AzureError, InternalError } from '../errors.js';
import type { BuildState } from './state.js';
import { parentId, sameLocation } from './azure-ids.js';
import { always, type Step, type StepContext } from './types.js';

type Platform = Extract<SourceSpec, { kind: 'platform' }>;

function platformSource(b: ChrootConfig): Platform {
  if (b.source.kind !== 'platform') throw new InternalError(`expected a platform image source, got ${b.source.kind}`);
  return b.source;
}

function refOf(src: Platform, ctx: StepContext): PlatformImageRef {
  return { location: ctx.vm.location, publisher: src.publisher, offer: src.offer, sku: src.sku };
}

function urn(src: Platform, version: string): string {
  return `${src.publisher}:${src.offer}:${src.sku}:${version}`;
}

/** Where to look for the right URN: Azure's image list, or the emulator's own images. */
function missingImageHint(src: Platform, ctx: StepContext, version?: string): string {
  if (ctx.emulatorStateDir) {
    const concrete = version && version !== 'latest' ? version : '1.0.0';
    return `the emulator has only the platform images registered in it: register a disk file as this one with "azchroot emulator add-image --state ${ctx.emulatorStateDir} --urn ${urn(src, concrete)} disk.raw"`;
  }
  return `check publisher, offer, sku and version with "az vm image list --all --location ${ctx.vm.location} --publisher ${src.publisher} --offer ${src.offer} --sku ${src.sku}"`;
}

/** Records the generation: the explicit setting wins; a differing source generation is warned about. */
function setGeneration(state: BuildState, ctx: StepContext, fromSource: 'V1' | 'V2' | undefined, what: string, step: string): void {
  const explicit = ctx.config.builder.imageHypervGeneration;
  if (explicit) {
    state.generation = explicit;
    state.generationFrom = 'image_hyperv_generation';
    if (fromSource && fromSource !== explicit) {
      ctx.reporter.warn(`image_hyperv_generation is ${explicit} but the ${what} is ${fromSource}; Azure may reject the disk or the image may not boot`, step);
    }
  } else if (fromSource) {
    state.generation = fromSource;
    state.generationFrom = `the ${what}`;
    ctx.reporter.say(`Hyper-V generation ${fromSource} (from the ${what})`, step);
  }
}

/** Resolves a platform image version "latest" to the newest version in the VM's location. */
export function resolvePlatformVersion(): Step {
  return {
    id: 'resolve-platform-version',
    title: 'Resolve the latest platform image version',
    enabled: always,
    async run(state, ctx) {
      const src = platformSource(ctx.config.builder);
      const versions = await ctx.azure.platformImages.listVersions(refOf(src, ctx), { signal: ctx.signal });
      const newest = versions[0];
      if (!newest) {
        throw new AzureError(`no versions of platform image ${urn(src, 'latest')} in ${ctx.vm.location}`, { hint: missingImageHint(src, ctx) });
      }
      state.platformVersion = newest;
      ctx.reporter.say(`${urn(src, 'latest')} is ${newest}`, 'resolve-platform-version');
    },
  };
}

/** The platform image exists in the VM's location. */
export function verifyPlatformImage(): Step {
  return {
    id: 'verify-platform-image',
    title: 'Verify the source platform image',
    enabled: always,
    async run(state, ctx) {
      const src = platformSource(ctx.config.builder);
      const version = state.platformVersion ?? src.version;
      const image = await ctx.azure.platformImages.get(refOf(src, ctx), version, { signal: ctx.signal });
      if (!image) throw new AzureError(`platform image ${urn(src, version)} does not exist in ${ctx.vm.location}`, { azureCode: 'NotFound', hint: missingImageHint(src, ctx, version) });
      state.platformVersion = version;
      state.platformImageId = image.id;
      state.buildData.SourceImageName = `/subscriptions/${ctx.config.builder.auth.subscriptionId ?? ctx.vm.subscriptionId}/providers/Microsoft.Compute/locations/${ctx.vm.location}/publishers/${src.publisher}/ArtifactTypes/vmimage/offers/${src.offer}/skus/${src.sku}/versions/${version}`;
      setGeneration(state, ctx, image.hyperVGeneration, 'platform image', 'verify-platform-image');
    },
  };
}

/** The source managed disk exists in the VM's location. */
export function verifySourceDisk(): Step {
  return {
    id: 'verify-source-disk',
    title: 'Verify the source disk',
    enabled: always,
    async run(state, ctx) {
      const src = ctx.config.builder.source;
      if (src.kind !== 'disk') throw new InternalError(`expected a disk source, got ${src.kind}`);
      const disk = await ctx.azure.disks.get(src.id, { signal: ctx.signal });
      if (!disk) throw new AzureError(`source disk ${src.id} does not exist`, { azureCode: 'NotFound' });
      if (!sameLocation(disk.location, ctx.vm.location)) {
        throw new AzureError(`source disk ${src.id} is in ${disk.location}, but this VM is in ${ctx.vm.location}`, { hint: 'copy the disk to the VM\'s region, or build on a VM there' });
      }
      state.buildData.SourceImageName = src.id;
      setGeneration(state, ctx, disk.hyperVGeneration, 'source disk', 'verify-source-disk');
    },
  };
}

/** The source gallery version exists (in its own subscription), is replicated here, and is Linux. */
export function verifySourceGallery(): Step {
  return {
    id: 'verify-source-gallery',
    title: 'Verify the source gallery image version',
    enabled: always,
    async run(state, ctx) {
      const src = ctx.config.builder.source;
      if (src.kind !== 'gallery') throw new InternalError(`expected a gallery source, got ${src.kind}`);
      const version = await ctx.azure.gallery.getVersion(src.id, { signal: ctx.signal });
      if (!version) throw new AzureError(`source gallery image version ${src.id} does not exist`, { azureCode: 'NotFound' });
      if (!version.targetRegions.some((r) => sameLocation(r, ctx.vm.location))) {
        throw new AzureError(`source gallery image version ${src.id} is not replicated to ${ctx.vm.location} (regions: ${version.targetRegions.join(', ') || 'none'})`, {
          hint: `add ${ctx.vm.location} to the version's target regions`,
        });
      }
      const definition = await ctx.azure.gallery.getImage(parentId(src.id), { signal: ctx.signal });
      if (!definition) throw new AzureError(`gallery image definition ${parentId(src.id)} of the source does not exist`, { azureCode: 'NotFound' });
      if (definition.osType && definition.osType.toLowerCase() !== 'linux') {
        throw new AzureError(`source gallery image ${parentId(src.id)} has osType ${definition.osType}; azchroot builds Linux images only`);
      }
      state.sourceDataDiskLuns = [...version.dataDiskLuns].sort((a, b) => a - b);
      state.buildData.SourceImageName = version.sourceId ?? 'ERR_SOURCE_IMAGE_NAME_NOT_FOUND';
      setGeneration(state, ctx, definition.hyperVGeneration, 'source gallery image definition', 'verify-source-gallery');
    },
  };
}
