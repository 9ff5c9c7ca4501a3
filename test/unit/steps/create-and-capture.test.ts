import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState } from '../../../src/steps/state.js';
import { createDataDisks, createOsDisk } from '../../../src/steps/create-disks.js';
import { capture } from '../../../src/steps/capture.js';
import { publishGalleryVersion } from '../../../src/steps/publish.js';
import { pendingResources } from '../../../src/ledger/journal.js';
import { AzureError } from '../../../src/errors.js';
import { stepContext } from '../../helpers/step-context.js';
import { fakeVm } from '../../helpers/fake-azure.js';
import { TEST_RG_PREFIX } from '../../helpers/chroot-config.js';

const version = `/subscriptions/s2/resourceGroups/c/providers/Microsoft.Compute/galleries/g/images/i/versions/1.0.0`;
const dest = { resourceGroup: 'rg', galleryName: 'g', imageName: 'out', imageVersion: '1.0.0', excludeFromLatest: false, targetRegions: [{ name: 'westeurope', replicas: 1, storageAccountType: 'Standard_LRS' }] };

test('create disks for a gallery source: OS disk in the VM zone without a generation, one data disk per source LUN, all tagged', async (t) => {
  const ctx = stepContext(t, { source: { kind: 'gallery', id: version }, osDiskStorageAccountType: 'StandardSSD_LRS', dataDiskStorageAccountType: 'Standard_LRS' }, { vm: fakeVm({ zone: '3' }) });
  ctx.azure.addGalleryVersion({ id: version, name: '1.0.0', location: 'westeurope', targetRegions: ['westeurope'], dataDiskLuns: [0, 2] });
  const state = initialState();
  state.sourceDataDiskLuns = [0, 2];
  await createOsDisk().run(state, ctx);
  await createDataDisks().run(state, ctx);
  const os = ctx.azure.store.disks.get(ctx.config.builder.temporaryOsDiskId.toLowerCase());
  assert.equal(os?.spec.zone, '3');
  assert.equal(os?.spec.sku, 'StandardSSD_LRS');
  assert.equal(os?.spec.hyperVGeneration, undefined);
  assert.deepEqual(os?.spec.creation, { createOption: 'FromImage', galleryImageReferenceId: version });
  assert.deepEqual(os?.spec.tags, { 'azchroot-build-id': 'step-test', 'azchroot-temporary': 'true' });
  assert.deepEqual(state.dataDisks.map((d) => d.id), [`${TEST_RG_PREFIX}/disks/PackerTemp-datadisk-1-0`, `${TEST_RG_PREFIX}/disks/PackerTemp-datadisk-1-2`]);
  const data2 = ctx.azure.store.disks.get(`${TEST_RG_PREFIX}/disks/PackerTemp-datadisk-1-2`.toLowerCase());
  assert.deepEqual(data2?.spec.creation, { createOption: 'FromImage', galleryImageReferenceId: version, lun: 2 });
  assert.equal(data2?.spec.sku, 'Standard_LRS');
  assert.equal(data2?.spec.zone, '3');
});

test('create disks: a zone-redundant SKU gets no zone on a zonal VM (Azure refuses a *_ZRS disk in a zone), other SKUs keep the VM zone', async (t) => {
  const ctx = stepContext(t, { source: { kind: 'gallery', id: version }, osDiskStorageAccountType: 'Premium_ZRS', dataDiskStorageAccountType: 'StandardSSD_ZRS' }, { vm: fakeVm({ zone: '2' }) });
  ctx.azure.addGalleryVersion({ id: version, name: '1.0.0', location: 'westeurope', targetRegions: ['westeurope'], dataDiskLuns: [1] });
  const state = initialState();
  state.sourceDataDiskLuns = [1];
  await createOsDisk().run(state, ctx);
  await createDataDisks().run(state, ctx);
  const os = ctx.azure.store.disks.get(ctx.config.builder.temporaryOsDiskId.toLowerCase());
  assert.equal(os?.spec.sku, 'Premium_ZRS');
  assert.equal(os?.spec.zone, undefined);
  assert.equal(ctx.azure.store.disks.get(`${TEST_RG_PREFIX}/disks/PackerTemp-datadisk-1-1`.toLowerCase())?.spec.zone, undefined);
  const lrs = stepContext(t, { source: { kind: 'scratch' }, osDiskSizeGb: 4, osDiskStorageAccountType: 'Premium_LRS' }, { vm: fakeVm({ zone: '2' }) });
  await createOsDisk().run(initialState(), lrs);
  assert.equal(lrs.azure.store.disks.get(lrs.config.builder.temporaryOsDiskId.toLowerCase())?.spec.zone, '2');
});

test('create-os-disk: a failed create is in the ledger (intent) and its release deletes whatever exists, twice safely', async (t) => {
  const ctx = stepContext(t, { source: { kind: 'scratch' }, osDiskSizeGb: 4 });
  ctx.azure.fail('disks.create', new AzureError('server busy', { statusCode: 500 }));
  const state = initialState();
  const step = createOsDisk();
  await assert.rejects(step.run(state, ctx), /server busy/);
  assert.deepEqual(pendingResources(ctx.ledger.journal.entries()).map((p) => [p.kind, p.status]), [['disk', 'intent']]);
  assert.deepEqual((await ctx.releaseAll()).failed, []);
  assert.deepEqual((await ctx.releaseAll()).removed, []);
  assert.deepEqual(pendingResources(ctx.ledger.journal.entries()), []);
});

test('skip_cleanup keeps the temporary disks and snapshots and lists them as kept (also from_scratch)', async (t) => {
  const ctx = stepContext(t, { source: { kind: 'scratch' }, osDiskSizeGb: 2, skipCleanup: true, sharedImageDestination: dest, imageResourceId: undefined });
  ctx.azure.addGalleryImage({ id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/out', location: 'westeurope' });
  const state = initialState();
  const os = createOsDisk();
  const cap = capture(false, true);
  await os.run(state, ctx);
  await cap.run(state, ctx);
  const report = await ctx.releaseAll();
  assert.deepEqual(report.kept.map((p) => p.id), [ctx.config.builder.temporaryOsDiskSnapshotId, ctx.config.builder.temporaryOsDiskId]);
  // Still pending in the ledger: `azchroot cleanup --build-id` removes them later.
  assert.deepEqual(ctx.ledger.pending().map((p) => p.kind).sort(), ['disk', 'snapshot']);
  assert.equal(ctx.azure.store.disks.size, 1);
  assert.equal(ctx.azure.store.snapshots.size, 1);
});

test('capture both: a snapshot failure reports that the created image is left in place', async (t) => {
  const ctx = stepContext(t, { source: { kind: 'scratch' }, osDiskSizeGb: 2, sharedImageDestination: dest, osDiskCacheType: 'ReadWrite', dataDiskCacheType: 'None' });
  const state = initialState();
  await createOsDisk().run(state, ctx);
  ctx.azure.fail('snapshots.create', new AzureError('quota exceeded', { azureCode: 'QuotaExceeded' }));
  await assert.rejects(capture(true, true).run(state, ctx), /quota exceeded/);
  const imageId = ctx.config.builder.imageResourceId!;
  assert.deepEqual(state.outputs, [imageId]);
  assert.match(ctx.reporter.text(), /managed image .*images\/myimage was created and is left in place \(it is an output\), although capture failed/);
  const image = ctx.azure.store.images.get(imageId.toLowerCase());
  assert.deepEqual(image?.spec.osDisk, { managedDiskId: ctx.config.builder.temporaryOsDiskId, storageAccountType: 'Premium_LRS', caching: 'ReadWrite' });
});

test('capture both: the snapshots are started while the image is still being created', async (t) => {
  const ac = new AbortController();
  const ctx = { ...stepContext(t, { source: { kind: 'scratch' }, osDiskSizeGb: 2, sharedImageDestination: dest }), signal: ac.signal };
  const state = initialState();
  await createOsDisk().run(state, ctx);
  ctx.azure.hang('images.create');
  const running = capture(true, true).run(state, ctx);
  for (let i = 0; i < 100 && !ctx.azure.store.snapshots.size; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(ctx.azure.store.snapshots.size, 1, 'snapshot created while images.create had not returned');
  ac.abort();
  await assert.rejects(running, { code: 'AZC_CANCELLED' });
  assert.deepEqual(state.outputs, []);
});

test('publish: data disk snapshots by LUN with the data cache type, target regions and end of life as configured', async (t) => {
  const ctx = stepContext(t, { sharedImageDestination: { ...dest, endOfLifeDate: '2030-01-01T00:00:00Z', excludeFromLatest: true }, dataDiskCacheType: 'None' });
  const def = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/out';
  ctx.azure.addGalleryImage({ id: def, location: 'westeurope' });
  ctx.azure.addDisk({ id: 'd', location: 'westeurope' });
  for (const s of ['os-snap', 'snap-3', 'snap-1']) await ctx.azure.snapshots.create(s, { location: 'westeurope', sourceResourceId: 'd' });
  const state = initialState();
  state.galleryVersionId = `${def}/versions/1.0.0`;
  state.snapshots = [{ lun: -1, id: 'os-snap' }, { lun: 3, id: 'snap-3' }, { lun: 1, id: 'snap-1' }];
  await publishGalleryVersion().run(state, ctx);
  const v = ctx.azure.store.galleryVersions.get(state.galleryVersionId.toLowerCase());
  assert.deepEqual(v?.spec?.dataDisks, [{ lun: 1, snapshotId: 'snap-1', hostCaching: 'None' }, { lun: 3, snapshotId: 'snap-3', hostCaching: 'None' }]);
  assert.equal(v?.spec?.osHostCaching, 'ReadOnly');
  assert.equal(v?.spec?.endOfLifeDate, '2030-01-01T00:00:00Z');
  assert.equal(v?.spec?.excludeFromLatest, true);
  assert.deepEqual(state.outputs, [state.galleryVersionId]);
});

test('create disks from scratch: an explicit image_hyperv_generation V2 makes a V2 disk (no source step records it)', async (t) => {
  const ctx = stepContext(t, { source: { kind: 'scratch' }, osDiskSizeGb: 4, imageHypervGeneration: 'V2' });
  const state = initialState();
  await createOsDisk().run(state, ctx);
  assert.equal(ctx.azure.store.disks.get(ctx.config.builder.temporaryOsDiskId.toLowerCase())?.spec.hyperVGeneration, 'V2');
  assert.equal(state.generation, 'V2');
  assert.equal(state.generationFrom, 'image_hyperv_generation');
  const plain = stepContext(t, { source: { kind: 'scratch' }, osDiskSizeGb: 4 });
  await createOsDisk().run(initialState(), plain);
  assert.equal(plain.azure.store.disks.get(plain.config.builder.temporaryOsDiskId.toLowerCase())?.spec.hyperVGeneration, 'V1');
});
