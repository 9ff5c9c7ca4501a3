// The collection GETs clients list with: subscriptions and tenants (az login), resource groups,
// disks/snapshots/images/galleries/gallery images/VMs by subscription and resource group (paged),
// and the platform-image catalog, driven through @azure/arm-compute's own list methods.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAST, startHarness } from './helpers/harness.js';
import { writePlatformImage } from './helpers/platform-images.js';

const names = async <T extends { name?: string }>(it: AsyncIterable<T>): Promise<string[]> => {
  const out: string[] = [];
  for await (const x of it) out.push(x.name ?? '');
  return out.sort();
};

test('subscriptions, tenants and resource groups are listed as az login and az expect', async (t) => {
  const h = await startHarness(t, { tenantId: '22222222-0000-0000-0000-000000000022' });
  const subs = await h.arm('GET', '/subscriptions?api-version=2022-12-01');
  assert.equal(subs.status, 200);
  assert.equal(subs.body.value.length, 1);
  assert.equal(subs.body.value[0].subscriptionId, h.sub);
  assert.equal(subs.body.value[0].tenantId, '22222222-0000-0000-0000-000000000022');
  assert.equal(subs.body.value[0].state, 'Enabled');
  assert.deepEqual(subs.body.value[0].managedByTenants, []);
  const tenants = await h.arm('GET', '/tenants?api-version=2022-12-01');
  assert.equal(tenants.status, 200);
  assert.equal(tenants.body.value[0].tenantId, '22222222-0000-0000-0000-000000000022');
  assert.equal(tenants.body.value[0].id, '/tenants/22222222-0000-0000-0000-000000000022');
  assert.equal((await h.arm('GET', '/tenants?api-version=2022-12-01', { token: null })).status, 401, 'listing needs a token');
  const rg = await h.arm('GET', `/subscriptions/${h.sub}/resourcegroups/${h.rg}?api-version=2022-09-01`);
  assert.equal(rg.status, 200);
  assert.equal(rg.body.location, 'westeurope');
  const none = await h.arm('GET', `/subscriptions/${h.sub}/resourcegroups/nope?api-version=2022-09-01`);
  assert.equal(none.status, 404);
  assert.equal(none.body.error.code, 'ResourceGroupNotFound');
});

test('disks, snapshots, images, galleries, gallery images and VMs list by subscription and resource group, over pages', async (t) => {
  const h = await startHarness(t, { listPageSize: 2 });
  const c = h.client();
  const loc = 'westeurope';
  for (const n of ['d1', 'd2', 'd3']) await c.disks.createOrUpdate(h.rg, n, { location: loc, diskSizeGB: 1, creationData: { createOption: 'Empty' } }, FAST);
  await c.snapshots.createOrUpdate(h.rg, 's1', { location: loc, creationData: { createOption: 'Copy', sourceResourceId: h.id('disks/d1') } }, FAST);
  await c.images.createOrUpdate(h.rg, 'i1', { location: loc, storageProfile: { osDisk: { osType: 'Linux', osState: 'Generalized', managedDisk: { id: h.id('disks/d1') } } } }, FAST);
  await c.galleries.createOrUpdate(h.rg, 'g1', { location: loc }, FAST);
  for (const n of ['def1', 'def2']) {
    await c.galleryImages.createOrUpdate(h.rg, 'g1', n, { location: loc, osType: 'Linux', osState: 'Generalized', identifier: { publisher: 'p', offer: 'o', sku: n } }, FAST);
  }
  // The golden VM's own OS disk is a disk of the group too.
  const disks = await names(c.disks.list());
  assert.deepEqual(disks.filter((n) => !n.includes('_OsDisk_')), ['d1', 'd2', 'd3'], 'every disk over pages of two');
  assert.equal(disks.length, 4);
  assert.deepEqual(await names(c.disks.listByResourceGroup(h.rg)), disks);
  assert.deepEqual(await names(c.snapshots.list()), ['s1']);
  assert.deepEqual(await names(c.snapshots.listByResourceGroup(h.rg)), ['s1']);
  assert.deepEqual(await names(c.images.list()), ['i1']);
  assert.deepEqual(await names(c.images.listByResourceGroup(h.rg)), ['i1']);
  assert.ok((await names(c.galleries.list())).includes('g1'));
  assert.ok((await names(c.galleries.listByResourceGroup(h.rg))).includes('g1'));
  assert.deepEqual(await names(c.galleryImages.listByGallery(h.rg, 'g1')), ['def1', 'def2']);
  assert.deepEqual(await names(c.virtualMachines.listAll()), ['golden-vm']);
  assert.deepEqual(await names(c.virtualMachines.list(h.rg)), ['golden-vm']);
  for await (const d of c.disks.list()) {
    assert.equal(d.location, loc);
    assert.equal(d.provisioningState, 'Succeeded');
    if (!d.name?.includes('_OsDisk_')) assert.equal(d.diskSizeGB, 1);
  }
  const page = await h.arm('GET', `/subscriptions/${h.sub}/providers/Microsoft.Compute/disks?api-version=2025-01-02`);
  assert.equal(page.body.value.length, 2);
  assert.match(page.body.nextLink, /\$skiptoken=2/);
  assert.equal((await h.arm('GET', `/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/galleries/missing/images?api-version=2025-03-03`)).status, 404);
});

test('platform images: publishers, offers and SKUs of the registered images', async (t) => {
  const h = await startHarness(t);
  const record = (publisher: string, offer: string, sku: string, version: string) => writePlatformImage(h.stateDir, { publisher, offer, sku, version, hyperVGeneration: 'V2', blobId: 'b', sizeBytes: 1 << 30 });
  record('Canonical', 'ubuntu-24_04-lts', 'server', '24.04.202501010');
  record('Canonical', 'ubuntu-24_04-lts', 'minimal', '24.04.202501010');
  record('Debian', 'debian-12', '12-gen2', '0.20250101.1');
  const c = h.client();
  const publishers = await c.virtualMachineImages.listPublishers('westeurope');
  assert.deepEqual(publishers.map((p) => p.name), ['Canonical', 'Debian']);
  assert.equal(publishers[0]?.location, 'westeurope');
  const offers = await c.virtualMachineImages.listOffers('westeurope', 'canonical');
  assert.deepEqual(offers.map((o) => o.name), ['ubuntu-24_04-lts']);
  const skus = await c.virtualMachineImages.listSkus('westeurope', 'Canonical', 'ubuntu-24_04-lts');
  assert.deepEqual(skus.map((s) => s.name), ['minimal', 'server']);
  assert.match(skus[0]?.id ?? '', /\/Publishers\/Canonical\/ArtifactTypes\/VMImage\/Offers\/ubuntu-24_04-lts\/Skus\/minimal$/);
  await assert.rejects(c.virtualMachineImages.listOffers('westeurope', 'Nobody'), (e: { statusCode?: number }) => e.statusCode === 404);
});
