import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAST, startHarness } from './helpers/harness.js';
import { layout } from '../../src/emulator/state-layout.js';
import { readJson, writeJsonAtomic } from '../../src/emulator/json-files.js';
import type { StoredResource } from '../../src/emulator/state-layout.js';

const loc = 'westeurope';

test('VM: exists from the start with an OS disk and a NIC; GET with instanceView', async (t) => {
  const h = await startHarness(t, { vmName: 'buildvm', resourceGroup: 'rg1', zone: '2' });
  const c = h.client();
  const vm = await c.virtualMachines.get('rg1', 'buildvm', { expand: 'instanceView' });
  assert.equal(vm.id, h.id('virtualMachines/buildvm'));
  assert.equal(vm.provisioningState, 'Succeeded');
  assert.deepEqual(vm.zones, ['2']);
  assert.ok(vm.vmId);
  assert.equal(vm.storageProfile?.osDisk?.osType, 'Linux');
  assert.deepEqual(vm.storageProfile?.dataDisks, []);
  assert.equal(vm.networkProfile?.networkInterfaces?.length, 1);
  assert.ok(vm.instanceView?.statuses?.some((s) => s.code === 'PowerState/running'));
  const os = await c.disks.get('rg1', vm.storageProfile!.osDisk!.name!);
  assert.equal(os.diskState, 'Attached');
  assert.equal(os.managedBy, vm.id);
  await assert.rejects(c.virtualMachines.get('rg1', 'other'), (e: any) => e.statusCode === 404);
});

test('VM: Packer-style PUT attaches and detaches, keeping read-only fields it strips', async (t) => {
  const h = await startHarness(t);
  const c = h.client();
  const vmPath = `/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/virtualMachines/golden-vm?api-version=2019-12-01`;
  await c.disks.createOrUpdate(h.rg, 'd0', { location: loc, diskSizeGB: 1, creationData: { createOption: 'Empty' } }, FAST);
  const before = (await h.arm('GET', vmPath)).body;
  // go-autorest strips read-only fields: id, name, vmId, provisioningState, resources.
  const stripped = (body: any, dataDisks: unknown[]) => ({
    location: body.location,
    properties: { hardwareProfile: body.properties.hardwareProfile, networkProfile: body.properties.networkProfile, storageProfile: { osDisk: body.properties.storageProfile.osDisk, dataDisks } },
  });
  const put = await h.arm('PUT', vmPath, { body: stripped(before, [{ createOption: 'Attach', lun: 0, managedDisk: { id: h.id('disks/d0') } }]) });
  assert.equal(put.status, 200);
  assert.ok(put.headers['azure-asyncoperation']);
  assert.equal(put.headers['retry-after'], '0');
  const status = await h.arm('GET', String(put.headers['azure-asyncoperation']).replace(h.emu.endpoints.armEndpoint, ''));
  assert.equal(status.body.status, 'Succeeded');
  assert.equal(h.backend.attached.get(0)?.diskId, h.id('disks/d0'), 'attached through the backend at LUN 0');
  const after = (await h.arm('GET', vmPath)).body;
  assert.equal(after.properties.vmId, before.properties.vmId);
  assert.equal(after.id, before.id);
  assert.equal(after.properties.provisioningState, 'Succeeded');
  assert.equal(after.properties.storageProfile.dataDisks[0].managedDisk.id, h.id('disks/d0'));
  assert.equal(after.properties.storageProfile.dataDisks[0].toBeDetached, false);
  const disk = await c.disks.get(h.rg, 'd0');
  assert.equal(disk.diskState, 'Attached');
  assert.equal(disk.managedBy, before.id);
  await assert.rejects(c.disks.delete(h.rg, 'd0', FAST), (e: any) => e.statusCode === 409 && e.code === 'OperationNotAllowed');

  const detach = await h.arm('PUT', vmPath, { body: stripped(after, []) });
  assert.equal(detach.status, 200);
  await h.arm('GET', String(detach.headers['azure-asyncoperation']).replace(h.emu.endpoints.armEndpoint, ''));
  assert.equal(h.backend.attached.size, 0);
  assert.equal((await c.disks.get(h.rg, 'd0')).diskState, 'Unattached');
  await c.disks.delete(h.rg, 'd0', FAST);
});

test('VM: attachDetachDataDisks returns the StorageProfile; LUN conflicts and double attach are refused', async (t) => {
  const h = await startHarness(t);
  const c = h.client();
  for (const n of ['a', 'b', 'x']) await c.disks.createOrUpdate(h.rg, n, { location: loc, diskSizeGB: 1, creationData: { createOption: 'Empty' } }, FAST);
  const sp = await c.virtualMachines.attachDetachDataDisks(h.rg, 'golden-vm', { dataDisksToAttach: [{ diskId: h.id('disks/a'), lun: 2, caching: 'ReadOnly' }, { diskId: h.id('disks/b') }] }, FAST);
  assert.deepEqual(sp.dataDisks?.map((d) => [d.lun, d.managedDisk?.id, d.caching]), [
    [2, h.id('disks/a'), 'ReadOnly'],
    [0, h.id('disks/b'), 'None'],
  ]);
  assert.deepEqual([...h.backend.attached.keys()].sort(), [0, 2]);

  await assert.rejects(
    c.virtualMachines.attachDetachDataDisks(h.rg, 'golden-vm', { dataDisksToAttach: [{ diskId: h.id('disks/x'), lun: 2 }] }, FAST),
    (e: any) => e.statusCode === 409 && e.code === 'Conflict' && /LUN 2/.test(e.message),
  );
  await assert.rejects(
    c.virtualMachines.attachDetachDataDisks(h.rg, 'golden-vm', { dataDisksToAttach: [{ diskId: h.id('disks/a'), lun: 5 }] }, FAST),
    (e: any) => e.statusCode === 409 && e.code === 'OperationNotAllowed',
  );
  // A disk attached to another VM (written into the state as another tool would).
  const xFile = layout.resource(h.stateDir, h.id('disks/x'));
  const x = readJson<StoredResource>(xFile)!;
  x.body.managedBy = `/subscriptions/${h.sub}/resourceGroups/other/providers/Microsoft.Compute/virtualMachines/vm2`;
  writeJsonAtomic(xFile, x);
  await assert.rejects(
    c.virtualMachines.attachDetachDataDisks(h.rg, 'golden-vm', { dataDisksToAttach: [{ diskId: h.id('disks/x'), lun: 9 }] }, FAST),
    (e: any) => e.statusCode === 409 && e.code === 'OperationNotAllowed' && /vm2/.test(e.message),
  );
  await assert.rejects(
    c.virtualMachines.attachDetachDataDisks(h.rg, 'golden-vm', { dataDisksToAttach: [{ diskId: h.id('disks/nope'), lun: 9 }] }, FAST),
    (e: any) => e.statusCode === 404,
  );

  const detached = await c.virtualMachines.attachDetachDataDisks(h.rg, 'golden-vm', { dataDisksToDetach: [{ diskId: h.id('disks/a'), detachOption: 'ForceDetach' }] }, FAST);
  assert.deepEqual(detached.dataDisks?.map((d) => d.lun), [0]);
  assert.deepEqual([...h.backend.attached.keys()], [0]);
});

test('VM: createOrUpdate and update through the SDK diff data disks; tags show in IMDS', async (t) => {
  const h = await startHarness(t);
  const c = h.client();
  await c.disks.createOrUpdate(h.rg, 'd', { location: loc, diskSizeGB: 1, creationData: { createOption: 'Empty' } }, FAST);
  const vm = await c.virtualMachines.get(h.rg, 'golden-vm');
  vm.storageProfile!.dataDisks = [{ lun: 4, createOption: 'Attach', managedDisk: { id: h.id('disks/d') } }];
  const updated = await c.virtualMachines.createOrUpdate(h.rg, 'golden-vm', vm, FAST);
  assert.equal(updated.storageProfile?.dataDisks?.[0]?.lun, 4);
  assert.equal(updated.provisioningState, 'Succeeded');
  assert.ok(h.backend.attached.has(4));
  const patched = await c.virtualMachines.update(h.rg, 'golden-vm', { tags: { env: 'test', team: 'img' }, storageProfile: { dataDisks: [] } }, FAST);
  assert.deepEqual(patched.tags, { env: 'test', team: 'img' });
  assert.deepEqual(patched.storageProfile?.dataDisks, []);
  assert.equal(h.backend.attached.size, 0);
  const compute = (await (await fetch(`${h.emu.endpoints.imdsEndpoint}/metadata/instance/compute?api-version=2017-08-01&format=json`, { headers: { Metadata: 'true' } })).json()) as Record<string, unknown>;
  assert.equal(compute.tags, 'env:test;team:img');
  const dup = await h.arm('PATCH', `/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/virtualMachines/golden-vm?api-version=2026-03-01`, {
    body: { properties: { storageProfile: { dataDisks: [{ lun: 1, managedDisk: { id: h.id('disks/d') } }, { lun: 1, managedDisk: { id: h.id('disks/e') } }] } } },
  });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error.code, 'Conflict');
  const other = await h.arm('PUT', `/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/virtualMachines/newvm?api-version=2026-03-01`, { body: { location: loc } });
  assert.equal(other.status, 409);
});
