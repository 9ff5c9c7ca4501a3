// Step 2b: verify where the image goes, BEFORE any resource is created: the gallery image definition
// (exists, same location, Linux, same Hyper-V generation), the version name is free (or -force), and
// the managed image id is free (or -force). Replacements happen right before publishing, not here.

import type { HyperVGeneration } from '../config/model.js';
import { AzureError } from '../errors.js';
import { galleryImageId, galleryVersionId, sameLocation } from './azure-ids.js';
import { always, type Step } from './types.js';
import { takeExplicitGeneration } from './state.js';

/** The build's generation once sources and destination are known: explicit, source, destination, V1. */
export function buildGeneration(explicitOrSource: HyperVGeneration | undefined, destination?: HyperVGeneration): HyperVGeneration {
  return explicitOrSource ?? destination ?? 'V1';
}

/** Verifies shared_image_destination. */
export function verifyGalleryDestination(): Step {
  const id = 'verify-gallery-destination';
  return {
    id,
    title: 'Verify the gallery destination',
    enabled: always,
    async run(state, ctx) {
      const dest = ctx.config.builder.sharedImageDestination;
      if (!dest) return;
      const subscription = ctx.config.builder.auth.subscriptionId ?? ctx.vm.subscriptionId;
      const imageId = galleryImageId(dest, subscription);
      const definition = await ctx.azure.gallery.getImage(imageId, { signal: ctx.signal });
      if (!definition) {
        throw new AzureError(`gallery image definition ${imageId} does not exist`, {
          azureCode: 'NotFound',
          hint: `create it first, e.g. az sig image-definition create -g ${dest.resourceGroup} -r ${dest.galleryName} -i ${dest.imageName} --os-type Linux --hyper-v-generation ${state.generation ?? 'V1'} ...`,
        });
      }
      if (!sameLocation(definition.location, ctx.vm.location)) {
        throw new AzureError(`gallery image definition ${imageId} is in ${definition.location}, but this VM is in ${ctx.vm.location}`, {
          hint: 'azchroot publishes from snapshots taken in the VM\'s region: use a gallery in that region',
        });
      }
      if (definition.osType && definition.osType.toLowerCase() !== 'linux') {
        throw new AzureError(`gallery image definition ${imageId} has osType ${definition.osType}; azchroot builds Linux images only`);
      }
      const destGen = definition.hyperVGeneration;
      takeExplicitGeneration(state, ctx.config.builder.imageHypervGeneration);
      if (state.generation && destGen && state.generation !== destGen) {
        throw new AzureError(`Hyper-V generation mismatch: the build is ${state.generation} (from ${state.generationFrom}) but gallery image definition ${imageId} is ${destGen}`, {
          hint: `publish to a ${state.generation} image definition${ctx.config.builder.imageHypervGeneration ? ', or change image_hyperv_generation' : ''}`,
        });
      }
      if (!state.generation && destGen) {
        // No explicit setting and no source to infer from (from_scratch): the definition decides.
        state.generation = destGen;
        state.generationFrom = 'the destination image definition';
        ctx.reporter.say(`Hyper-V generation ${destGen} (from the destination image definition)`, id);
      }
      checkSecurityAndArchitecture(imageId, definition, state.generation, ctx.config.builder.imageResourceId !== undefined);
      const versionId = galleryVersionId(dest, subscription);
      const existing = await ctx.azure.gallery.getVersion(versionId, { signal: ctx.signal });
      if (existing) {
        if (!ctx.force) {
          throw new AzureError(`gallery image version ${versionId} already exists`, { hint: 'choose a new image_version, or run with -force to replace it' });
        }
        state.replaceGalleryVersion = true;
        ctx.reporter.warn(`gallery image version ${dest.imageVersion} exists; -force: it will be replaced right before publishing`, id);
      }
      state.galleryVersionId = versionId;
    },
  };
}

/** This VM's CPU architecture in Azure's words. */
export function hostArchitecture(arch: string = process.arch): 'x64' | 'Arm64' {
  return arch === 'arm64' ? 'Arm64' : 'x64';
}

/**
 * What the destination definition demands and Azure would only refuse after the whole build (or a
 * VM made from it would not boot): Trusted Launch and confidential VMs need Hyper-V V2; the chroot
 * runs the image's programs on this VM's CPU, so the architectures must match; managed images
 * cannot hold Arm64 images.
 */
export function checkSecurityAndArchitecture(
  imageId: string,
  definition: { securityType?: string; architecture?: string },
  generation: HyperVGeneration | undefined,
  alsoManagedImage: boolean,
  hostArch: 'x64' | 'Arm64' = hostArchitecture(),
): void {
  const security = definition.securityType;
  if (security && /trustedlaunch|confidential/i.test(security) && generation === 'V1') {
    throw new AzureError(`gallery image definition ${imageId} has security type ${security}, which needs Hyper-V generation V2, but the build is V1`, {
      hint: 'Trusted Launch and confidential VMs boot Gen2 images only: build from a V2 source, or set image_hyperv_generation = "V2" for an image that boots with UEFI',
    });
  }
  const arch = definition.architecture;
  if (arch && arch.toLowerCase() !== hostArch.toLowerCase()) {
    throw new AzureError(`gallery image definition ${imageId} is for ${arch}, but this VM is ${hostArch}: the chroot runs the image's programs on this VM's CPU`, {
      hint: `build ${arch} images on a ${arch} VM`,
    });
  }
  if (arch && arch.toLowerCase() === 'arm64' && alsoManagedImage) {
    throw new AzureError('managed images cannot hold Arm64 images; Azure refuses them at the end of the build', {
      hint: 'drop image_resource_id and publish to the gallery only',
    });
  }
}

/** Verifies image_resource_id is free (or -force). */
export function verifyImageDestination(): Step {
  const id = 'verify-image-destination';
  return {
    id,
    title: 'Verify the managed image destination',
    enabled: always,
    async run(state, ctx) {
      const imageId = ctx.config.builder.imageResourceId;
      if (!imageId) return;
      const existing = await ctx.azure.images.get(imageId, { signal: ctx.signal });
      if (!existing) return;
      if (!ctx.force) throw new AzureError(`managed image ${imageId} already exists`, { hint: 'choose another image_resource_id, or run with -force to replace it' });
      state.replaceImage = true;
      ctx.reporter.warn(`managed image ${imageId} exists; -force: it will be replaced right before capture`, id);
    },
  };
}
