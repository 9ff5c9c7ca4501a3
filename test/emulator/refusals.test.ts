// Azure's refusals at the moment Azure gives them, driven through @azure/arm-compute: at the PUT
// (RestError with Azure's status and code) or in the failed operation (the poller's error).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAST, startHarness } from './helpers/harness.js';

const loc = 'westeurope';

const refused = (status: number, code: string, text: RegExp) => (e: any) => {
  assert.equal(e.statusCode, status, e.message);
  assert.equal(e.code, code, e.message);
  assert.match(e.message, text);
  return true;
};

test('disks and snapshots: ZRS with zones, names, full snapshots of PremiumV2/Ultra are refused at the PUT', async (t) => {
  const h = await startHarness(t, { zone: '1' });
  const c = h.client();
  const empty = { createOption: 'Empty' as const };
  await assert.rejects(
    c.disks.createOrUpdate(h.rg, 'zrs', { location: loc, sku: { name: 'Premium_ZRS' }, zones: ['1'], diskSizeGB: 4, creationData: empty }, FAST),
    refused(409, 'OperationNotAllowed', /A disk with sku 'Premium_ZRS' cannot be created in an availability zone\./),
  );
  await c.disks.createOrUpdate(h.rg, 'zrs', { location: loc, sku: { name: 'Premium_ZRS' }, diskSizeGB: 4, creationData: empty }, FAST);
  for (const bad of ['-lead', 'trail-', 'x'.repeat(81), 'sp ace']) {
    await assert.rejects(c.disks.createOrUpdate(h.rg, bad, { location: loc, diskSizeGB: 1, creationData: empty }, FAST), refused(400, 'InvalidParameter', /name/));
  }
  await c.disks.createOrUpdate(h.rg, 'ok_', { location: loc, diskSizeGB: 1, creationData: empty }, FAST);
  for (const sku of ['PremiumV2_LRS', 'UltraSSD_LRS'] as const) {
    await c.disks.createOrUpdate(h.rg, sku, { location: loc, sku: { name: sku }, zones: ['1'], diskSizeGB: 4, creationData: empty }, FAST);
    const from = { createOption: 'Copy' as const, sourceResourceId: h.id(`disks/${sku}`) };
    await assert.rejects(c.snapshots.createOrUpdate(h.rg, `${sku}-full`, { location: loc, incremental: false, creationData: from }, FAST), refused(400, 'InvalidParameter', /Only incremental snapshots/));
    const snap = await c.snapshots.createOrUpdate(h.rg, `${sku}-inc`, { location: loc, incremental: true, creationData: from }, FAST);
    assert.equal(snap.provisioningState, 'Succeeded');
  }
  // Shrinking stays refused.
  await assert.rejects(c.disks.update(h.rg, 'zrs', { diskSizeGB: 2 }, FAST), (e: any) => e.statusCode === 409 && e.code === 'OperationNotAllowed');
});

test('images: another location than the disk, V2 from a V1 disk, a PremiumV2 OS disk are refused at the PUT', async (t) => {
  const h = await startHarness(t, { zone: '1' });
  const c = h.client();
  const disk = (name: string, gen: 'V1' | 'V2', sku = 'Standard_LRS', zones?: string[]) =>
    c.disks.createOrUpdate(h.rg, name, { location: loc, sku: { name: sku as any }, ...(zones ? { zones } : {}), osType: 'Linux', hyperVGeneration: gen, diskSizeGB: 2, creationData: { createOption: 'Empty' } }, FAST);
  await disk('v1', 'V1');
  await disk('v2ssd', 'V2', 'PremiumV2_LRS', ['1']);
  const image = (name: string, location: string, diskName: string, hyperVGeneration?: 'V1' | 'V2') =>
    c.images.createOrUpdate(h.rg, name, { location, ...(hyperVGeneration ? { hyperVGeneration } : {}), storageProfile: { osDisk: { osType: 'Linux', osState: 'Generalized', managedDisk: { id: h.id(`disks/${diskName}`) } } } }, FAST);
  await assert.rejects(image('elsewhere', 'northeurope', 'v1'), refused(400, 'InvalidParameter', /same location/));
  await assert.rejects(image('gen', loc, 'v1', 'V2'), refused(400, 'InvalidParameter', /V2 image cannot be created/));
  await assert.rejects(image('premv2', loc, 'v2ssd'), refused(400, 'InvalidParameter', /cannot be used as an OS disk/));
  assert.equal((await image('fine', 'West Europe', 'v1', 'V1')).provisioningState, 'Succeeded', 'region names compare without case and spaces');
});

test('gallery image versions: duplicate regions, other locations, past end of life at the PUT; a V1 source into a V2 definition fails the operation', async (t) => {
  const h = await startHarness(t);
  const c = h.client();
  await c.disks.createOrUpdate(h.rg, 'v1', { location: loc, osType: 'Linux', hyperVGeneration: 'V1', diskSizeGB: 2, creationData: { createOption: 'Empty' } }, FAST);
  await c.disks.createOrUpdate(h.rg, 'v2', { location: loc, osType: 'Linux', hyperVGeneration: 'V2', diskSizeGB: 2, creationData: { createOption: 'Empty' } }, FAST);
  await c.disks.createOrUpdate(h.rg, 'far', { location: 'northeurope', osType: 'Linux', hyperVGeneration: 'V2', diskSizeGB: 2, creationData: { createOption: 'Empty' } }, FAST);
  const put = (version: string, body: Record<string, any>) =>
    c.galleryImageVersions.createOrUpdate(h.rg, 'azchroot_gallery', 'quickstart-gen2', version, { location: loc, storageProfile: { osDiskImage: { source: { id: h.id('disks/v2') } } }, ...body } as any, FAST);
  await assert.rejects(
    put('1.0.0', { publishingProfile: { targetRegions: [{ name: 'westeurope' }, { name: 'West Europe' }] } }),
    refused(400, 'InvalidParameter', /^Duplicate regions are not allowed in target publishing regions\.$/),
  );
  await assert.rejects(put('1.0.1', { location: 'northeurope' }), refused(400, 'InvalidParameter', /location of its gallery/));
  await assert.rejects(put('1.0.2', { publishingProfile: { endOfLifeDate: new Date(Date.now() - 86_400_000) } }), refused(400, 'InvalidParameter', /in the past/));
  await assert.rejects(put('1.0.3', { storageProfile: { osDiskImage: { source: { id: h.id('disks/far') } } } }), refused(400, 'InvalidParameter', /same region/));
  // The generation mismatch is Azure's failed operation (409 Conflict inside), not a refused PUT.
  await assert.rejects(put('1.0.4', { storageProfile: { osDiskImage: { source: { id: h.id('disks/v1') } } } }), (e: any) => {
    assert.match(e.message, /Conflict\. The resource with id '.*\/disks\/v1' has a different Hypervisor generation \['V1'\] than the parent gallery image Hypervisor generation \['V2'\]\./);
    return true;
  });
  const ok = await put('1.0.5', { publishingProfile: { targetRegions: [{ name: 'West Europe' }], endOfLifeDate: new Date(Date.now() + 86_400_000) } });
  assert.equal(ok.provisioningState, 'Succeeded');
});
