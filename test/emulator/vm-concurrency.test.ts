// Azure's concurrency model on the emulated VM, driven through @azure/arm-compute: one write at a
// time (409 Conflict or preemption with OperationPreempted), AttachDiskWhileBeingDetached, and a VM
// model that never loses a disk whatever the interleaving. Attaches and detaches are held at a gate
// in the disk backend, so "in flight" is a state the test controls, not a timing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DiskBackend } from '../../src/emulator/disk-backend.js';
import { FAST, startHarness, type Harness } from './helpers/harness.js';
import { createFakeDiskBackend, type FakeDiskBackend } from './helpers/fake-disk-backend.js';

const loc = 'westeurope';

/** A fake backend whose attach/detach wait while the gate is closed. */
function gatedBackend(): { backend: FakeDiskBackend; close(): void; open(): void } {
  const inner = createFakeDiskBackend();
  let gate: Promise<void> = Promise.resolve();
  let release = () => {};
  const wait = () => gate;
  const backend: FakeDiskBackend = {
    ...inner,
    async attach(...args: Parameters<DiskBackend['attach']>) {
      await wait();
      return inner.attach(...args);
    },
    async detach(lun: number) {
      await wait();
      return inner.detach(lun);
    },
  };
  return {
    backend,
    close() {
      gate = new Promise((r) => (release = r));
    },
    open() {
      release();
    },
  };
}

async function setup(t: Parameters<typeof startHarness>[0], options: Parameters<typeof startHarness>[1] = {}) {
  const g = gatedBackend();
  const h = await startHarness(t, options, g.backend);
  (h as { backend: FakeDiskBackend }).backend = g.backend;
  const c = h.client();
  for (const n of ['d1', 'd2']) await c.disks.createOrUpdate(h.rg, n, { location: loc, diskSizeGB: 1, creationData: { createOption: 'Empty' }, ...(options.zone ? { zones: [options.zone] } : {}) }, FAST);
  return { h, c, g };
}

const vmPath = (h: Harness, rest = '') => `/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/virtualMachines/${h.emu.endpoints.vmName}${rest}?api-version=2026-03-01`;

/** Starts an attachDetachDataDisks with a raw request; returns its status URL path. */
async function startChange(h: Harness, body: unknown): Promise<string> {
  const res = await h.arm('POST', vmPath(h, '/attachDetachDataDisks'), { body });
  assert.equal(res.status, 202, res.text);
  return String(res.headers['azure-asyncoperation']).replace(h.emu.endpoints.armEndpoint, '');
}

test('VM concurrency (polite): a second write while one runs is 409 Conflict; after it, both disks are listed and attached', async (t) => {
  const { h, c, g } = await setup(t);
  g.close();
  const first = await startChange(h, { dataDisksToAttach: [{ diskId: h.id('disks/d1'), lun: 0 }] });
  await assert.rejects(
    c.virtualMachines.attachDetachDataDisks(h.rg, h.emu.endpoints.vmName, { dataDisksToAttach: [{ diskId: h.id('disks/d2'), lun: 1 }] }, FAST),
    (e: any) => e.statusCode === 409 && e.code === 'Conflict' && /conflict with a concurrent request/.test(e.message),
  );
  const during = await c.virtualMachines.get(h.rg, h.emu.endpoints.vmName);
  assert.equal(during.provisioningState, 'Updating');
  assert.deepEqual(during.storageProfile?.dataDisks?.map((d) => d.lun), [0], 'the accepted attach is in the model at once');
  g.open();
  assert.equal((await h.arm('GET', first)).body.status, 'Succeeded');
  await c.virtualMachines.attachDetachDataDisks(h.rg, h.emu.endpoints.vmName, { dataDisksToAttach: [{ diskId: h.id('disks/d2'), lun: 1 }] }, FAST);
  const vm = await c.virtualMachines.get(h.rg, h.emu.endpoints.vmName);
  assert.deepEqual(vm.storageProfile?.dataDisks?.map((d) => [d.lun, d.name]), [[0, 'd1'], [1, 'd2']]);
  assert.deepEqual([...h.backend.attached.keys()].sort(), [0, 1]);
  assert.equal((await c.disks.get(h.rg, 'd1')).managedBy, vm.id);
});

test('VM concurrency (preempt): the newer write wins, the older ends OperationPreempted, and no disk is lost', async (t) => {
  const { h, c, g } = await setup(t, { vmConcurrency: 'preempt' });
  g.close();
  const first = await startChange(h, { dataDisksToAttach: [{ diskId: h.id('disks/d1'), lun: 0 }] });
  const second = c.virtualMachines.attachDetachDataDisks(h.rg, h.emu.endpoints.vmName, { dataDisksToAttach: [{ diskId: h.id('disks/d2'), lun: 1 }] }, FAST);
  const secondDone = second.pollUntilDone();
  // The older operation's status says Failed at once, with Azure's code and text.
  for (;;) {
    const s = (await h.arm('GET', first)).body;
    if (s.status !== 'InProgress') {
      assert.equal(s.status, 'Failed');
      assert.deepEqual(s.error, { code: 'OperationPreempted', message: 'Operation execution has been preempted by a more recent operation.' });
      break;
    }
    await new Promise((r) => setImmediate(r));
  }
  g.open();
  const profile = await secondDone;
  assert.deepEqual(profile.dataDisks?.map((d) => [d.lun, d.name]), [[0, 'd1'], [1, 'd2']], 'the preempted attach is carried out by the newer operation');
  assert.deepEqual([...h.backend.attached.keys()].sort(), [0, 1]);
  const vm = await c.virtualMachines.get(h.rg, h.emu.endpoints.vmName);
  assert.equal(vm.provisioningState, 'Succeeded');
  for (const n of ['d1', 'd2']) assert.equal((await c.disks.get(h.rg, n)).diskState, 'Attached');
});

test('VM concurrency: attaching a disk still being detached is 409 AttachDiskWhileBeingDetached; deleting a disk being attached is refused', async (t) => {
  const { h, c, g } = await setup(t, { vmConcurrency: 'preempt' });
  await c.virtualMachines.attachDetachDataDisks(h.rg, h.emu.endpoints.vmName, { dataDisksToAttach: [{ diskId: h.id('disks/d1'), lun: 0 }] }, FAST);
  g.close();
  const detach = await startChange(h, { dataDisksToDetach: [{ diskId: h.id('disks/d1') }] });
  const listed = (await c.virtualMachines.get(h.rg, h.emu.endpoints.vmName)).storageProfile?.dataDisks ?? [];
  assert.deepEqual(listed.map((d) => [d.name, d.toBeDetached]), [['d1', true]], 'a detaching disk stays listed with toBeDetached');
  await assert.rejects(
    c.virtualMachines.attachDetachDataDisks(h.rg, h.emu.endpoints.vmName, { dataDisksToAttach: [{ diskId: h.id('disks/d1'), lun: 3 }] }, FAST),
    (e: any) => e.statusCode === 409 && e.code === 'AttachDiskWhileBeingDetached' && /currently being detached/.test(e.message),
  );
  await assert.rejects(c.disks.delete(h.rg, 'd1', FAST), (e: any) => e.statusCode === 409 && e.code === 'OperationNotAllowed');
  // An attach in flight: the disk is in the model but not yet attached; Azure must not let it be deleted.
  const attach = await startChange(h, { dataDisksToAttach: [{ diskId: h.id('disks/d2'), lun: 1 }] });
  await assert.rejects(c.disks.delete(h.rg, 'd2', FAST), (e: any) => e.statusCode === 409 && e.code === 'OperationNotAllowed');
  g.open();
  assert.equal((await h.arm('GET', attach)).body.status, 'Succeeded');
  assert.equal((await h.arm('GET', detach)).body.status, 'Failed');
  const vm = await c.virtualMachines.get(h.rg, h.emu.endpoints.vmName);
  assert.deepEqual(vm.storageProfile?.dataDisks?.map((d) => d.name), ['d2']);
  assert.equal((await c.disks.get(h.rg, 'd1')).diskState, 'Unattached');
  assert.deepEqual([...h.backend.attached.keys()], [1]);
});

test('attach refusals: another zone, a regional disk on a zonal VM, caching on PremiumV2/Ultra; a ZRS disk attaches in any zone', async (t) => {
  const h = await startHarness(t, { zone: '1' });
  const c = h.client();
  const vm = h.emu.endpoints.vmName;
  const make = (name: string, sku: string, zones?: string[]) =>
    c.disks.createOrUpdate(h.rg, name, { location: loc, sku: { name: sku as any }, ...(zones ? { zones } : {}), diskSizeGB: 4, creationData: { createOption: 'Empty' } }, FAST);
  await make('z2', 'Premium_LRS', ['2']);
  await make('regional', 'Premium_LRS');
  await make('zrs', 'Premium_ZRS');
  await make('v2', 'PremiumV2_LRS', ['1']);
  const attach = (name: string, lun: number, caching?: string) =>
    c.virtualMachines.attachDetachDataDisks(h.rg, vm, { dataDisksToAttach: [{ diskId: h.id(`disks/${name}`), lun, ...(caching ? { caching: caching as any } : {}) }] }, FAST);
  await assert.rejects(attach('z2', 0), (e: any) => e.statusCode === 400 && e.code === 'BadRequest' && /VM zone: '1'\. Disk zone: '2'/.test(e.message));
  await assert.rejects(attach('regional', 0), (e: any) => e.statusCode === 400 && e.code === 'BadRequest' && /not in zone '1'/.test(e.message));
  await assert.rejects(attach('v2', 0, 'ReadOnly'), (e: any) => e.statusCode === 400 && e.code === 'InvalidParameter' && /PremiumV2_LRS is not supported with caching type ReadOnly/.test(e.message));
  await attach('zrs', 0);
  await attach('v2', 1, 'None');
  const disks = (await c.virtualMachines.get(h.rg, vm)).storageProfile?.dataDisks ?? [];
  assert.deepEqual(disks.map((d) => d.name), ['zrs', 'v2']);
});
