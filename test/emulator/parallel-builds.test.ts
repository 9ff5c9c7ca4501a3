// The measurement, as a test: eight builds on one VM attach and detach their disks at the
// same time under the `azure` latency profile. Before, reconcile() rebuilt the data-disk list from
// the disks' managedBy and dropped attaches still in flight (4 of 8 builds failed "LUN 0 is already
// used"). Now every write is serialized as Azure does (409 Conflict, which azchroot's client
// retries), the model always lists every disk the VM holds, and all eight get through.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectAzure } from '../../src/azure/connect.js';
import { FAST, startHarness } from './helpers/harness.js';

test('eight concurrent attach/detach flows through azchroot\'s Azure port: all succeed, no disk is ever dropped from the model', async (t) => {
  const h = await startHarness(t, { latency: 'azure', latencyScale: 0.001 });
  const c = h.client();
  const { azure, vm } = await connectAzure({ auth: { cloudEnvironmentName: 'Public', useAzureCliAuth: false }, emulator: h.emu.endpoints });
  const ids: string[] = [];
  for (let i = 0; i < 8; i++) {
    await c.disks.createOrUpdate(h.rg, `build${i}`, { location: 'westeurope', diskSizeGB: 1, creationData: { createOption: 'Empty' } }, FAST);
    ids.push(h.id(`disks/build${i}`));
  }
  // Each flow: attach at its own LUN, check the model lists it, detach.
  const listedWhileAttached: boolean[] = [];
  await Promise.all(
    ids.map(async (id, lun) => {
      await azure.vm.attachDisk(vm, id, lun);
      const model = await azure.vm.listDataDisks(vm);
      listedWhileAttached[lun] = model.some((d) => d.diskId.toLowerCase() === id.toLowerCase() && d.lun === lun);
      assert.equal(h.backend.attached.get(lun)?.diskId.toLowerCase(), id.toLowerCase(), `disk ${lun} is attached in the backend`);
      await azure.vm.detachDisk(vm, id);
    }),
  );
  assert.deepEqual(listedWhileAttached, ids.map(() => true));
  assert.deepEqual(await azure.vm.listDataDisks(vm), []);
  assert.equal(h.backend.attached.size, 0);
  for (let i = 0; i < 8; i++) assert.equal((await c.disks.get(h.rg, `build${i}`)).diskState, 'Unattached');
});
