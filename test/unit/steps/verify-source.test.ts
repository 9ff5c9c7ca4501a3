import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState } from '../../../src/steps/state.js';
import { resolvePlatformVersion, verifyPlatformImage, verifySourceGallery } from '../../../src/steps/verify-source.js';
import { verifyGalleryDestination } from '../../../src/steps/verify-destination.js';
import { stepContext } from '../../helpers/step-context.js';

const SRC_SUB = '99999999-0000-0000-0000-000000000009';
const srcImage = `/subscriptions/${SRC_SUB}/resourceGroups/central/providers/Microsoft.Compute/galleries/central/images/base`;
const srcVersion = `${srcImage}/versions/2.0.0`;

test('verify-source-gallery: cross-subscription version; data disk LUNs, SourceImageName and generation learned', async (t) => {
  const ctx = stepContext(t, { source: { kind: 'gallery', id: srcVersion } });
  ctx.azure.addGalleryImage({ id: srcImage, location: 'westeurope', osType: 'Linux', hyperVGeneration: 'V2' });
  ctx.azure.addGalleryVersion({ id: srcVersion, name: '2.0.0', location: 'westeurope', targetRegions: ['West Europe', 'North Europe'], dataDiskLuns: [3, 1], sourceId: '/subscriptions/x/images/origin' });
  const state = initialState();
  await verifySourceGallery().run(state, ctx);
  assert.deepEqual(state.sourceDataDiskLuns, [1, 3]);
  assert.equal(state.buildData.SourceImageName, '/subscriptions/x/images/origin');
  assert.equal(state.generation, 'V2');
  assert.ok(ctx.azure.calls.includes(`gallery.getImage ${srcImage}`), 'the definition is read in the source subscription');
});

test('verify-source-gallery: a version not replicated to the VM region is refused with its regions listed', async (t) => {
  const ctx = stepContext(t, { source: { kind: 'gallery', id: srcVersion } });
  ctx.azure.addGalleryImage({ id: srcImage, location: 'westeurope', osType: 'Linux' });
  ctx.azure.addGalleryVersion({ id: srcVersion, name: '2.0.0', location: 'northeurope', targetRegions: ['northeurope'], dataDiskLuns: [] });
  await assert.rejects(verifySourceGallery().run(initialState(), ctx), /is not replicated to westeurope \(regions: northeurope\)/);
});

test('resolve + verify platform image: newest version, SourceImageName like Packer, explicit generation wins with a warning', async (t) => {
  const ctx = stepContext(t, { imageHypervGeneration: 'V1' });
  const ref = { location: 'westeurope', publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server' };
  ctx.azure.addPlatformImage(ref, '24.04.202501010', 'V2');
  ctx.azure.addPlatformImage(ref, '24.04.202412010', 'V2');
  const state = initialState();
  await resolvePlatformVersion().run(state, ctx);
  await verifyPlatformImage().run(state, ctx);
  assert.equal(state.platformVersion, '24.04.202501010');
  assert.equal(state.buildData.SourceImageName, '/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Compute/locations/westeurope/publishers/Canonical/ArtifactTypes/vmimage/offers/ubuntu-24_04-lts/skus/server/versions/24.04.202501010');
  assert.equal(state.generation, 'V1');
  assert.match(ctx.reporter.text(), /image_hyperv_generation is V1 but the platform image is V2/);
});

test('resolve-platform-version: no versions → an error naming the image and location, with where to look', async (t) => {
  const ctx = stepContext(t);
  await assert.rejects(resolvePlatformVersion().run(initialState(), ctx), (e: Error & { hint?: string }) => {
    assert.match(e.message, /no versions of platform image Canonical:ubuntu-24_04-lts:server:latest in westeurope/);
    assert.equal(e.hint, 'check publisher, offer, sku and version with "az vm image list --all --location westeurope --publisher Canonical --offer ubuntu-24_04-lts --sku server"');
    return true;
  });
});

test('a missing platform image in emulator mode points at emulator add-image, not at Azure', async (t) => {
  const ctx = { ...stepContext(t), emulatorStateDir: '/var/lib/azchroot/emulator' };
  await assert.rejects(resolvePlatformVersion().run(initialState(), ctx), (e: Error & { hint?: string }) => {
    assert.equal(e.hint, 'the emulator has only the platform images registered in it: register a disk file as this one with "azchroot emulator add-image --state /var/lib/azchroot/emulator --urn Canonical:ubuntu-24_04-lts:server:1.0.0 disk.raw"');
    return true;
  });
  const pinned = { ...stepContext(t, { source: { kind: 'platform', publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: '24.04.1' } }), emulatorStateDir: '/e' };
  await assert.rejects(verifyPlatformImage().run(initialState(), pinned), (e: Error & { hint?: string }) => /--urn Canonical:ubuntu-24_04-lts:server:24\.04\.1 disk\.raw"$/.test(e.hint ?? ''));
});

test('verify-gallery-destination: missing definition, other region, non-Linux are refused with what to do', async (t) => {
  const dest = { resourceGroup: 'rg', galleryName: 'g', imageName: 'i', imageVersion: '1.0.0', targetRegions: [], excludeFromLatest: false, subscription: 'dest-sub' };
  const ctx = stepContext(t, { sharedImageDestination: dest });
  const defId = '/subscriptions/dest-sub/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i';
  await assert.rejects(verifyGalleryDestination().run(initialState(), ctx), (e: Error & { hint?: string }) => /does not exist/.test(e.message) && /az sig image-definition create/.test(e.hint ?? ''));
  ctx.azure.addGalleryImage({ id: defId, location: 'eastus', osType: 'Linux' });
  await assert.rejects(verifyGalleryDestination().run(initialState(), ctx), /is in eastus, but this VM is in westeurope/);
  ctx.azure.addGalleryImage({ id: defId, location: 'westeurope', osType: 'Windows' });
  await assert.rejects(verifyGalleryDestination().run(initialState(), ctx), /osType Windows/);
  ctx.azure.addGalleryImage({ id: defId, location: 'westeurope', osType: 'Linux' });
  const state = initialState();
  await verifyGalleryDestination().run(state, ctx);
  assert.equal(state.galleryVersionId, `${defId}/versions/1.0.0`);
});

test('verify-gallery-destination: Trusted Launch needs V2, the architecture must be the host\'s, no Arm64 managed image', async (t) => {
  const dest = { resourceGroup: 'rg', galleryName: 'g', imageName: 'tl', imageVersion: '1.0.0', targetRegions: [], excludeFromLatest: false, subscription: 'dest-sub' };
  const defId = '/subscriptions/dest-sub/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/tl';
  const ctx = stepContext(t, { sharedImageDestination: dest, imageHypervGeneration: 'V1' });
  ctx.azure.addGalleryImage({ id: defId, location: 'westeurope', osType: 'Linux', securityType: 'TrustedLaunchSupported' });
  const state = initialState();
  state.generation = 'V1';
  state.generationFrom = 'image_hyperv_generation';
  await assert.rejects(verifyGalleryDestination().run(state, ctx), /security type TrustedLaunchSupported, which needs Hyper-V generation V2, but the build is V1/);
  assert.equal(state.galleryVersionId, undefined, 'nothing verified, nothing created');
});

test('checkSecurityAndArchitecture: each rule, and what passes', async () => {
  const { checkSecurityAndArchitecture, hostArchitecture } = await import('../../../src/steps/verify-destination.js');
  const id = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i';
  assert.doesNotThrow(() => checkSecurityAndArchitecture(id, { securityType: 'TrustedLaunch', architecture: 'x64' }, 'V2', true, 'x64'));
  assert.doesNotThrow(() => checkSecurityAndArchitecture(id, {}, 'V1', true, 'x64'));
  assert.throws(() => checkSecurityAndArchitecture(id, { securityType: 'ConfidentialVM' }, 'V1', false, 'x64'), /needs Hyper-V generation V2/);
  assert.throws(() => checkSecurityAndArchitecture(id, { architecture: 'Arm64' }, 'V2', false, 'x64'), /is for Arm64, but this VM is x64/);
  assert.throws(() => checkSecurityAndArchitecture(id, { architecture: 'Arm64' }, 'V2', true, 'Arm64'), /managed images cannot hold Arm64 images/);
  assert.doesNotThrow(() => checkSecurityAndArchitecture(id, { architecture: 'Arm64' }, 'V2', false, 'Arm64'));
  assert.equal(hostArchitecture('arm64'), 'Arm64');
  assert.equal(hostArchitecture('x64'), 'x64');
});
