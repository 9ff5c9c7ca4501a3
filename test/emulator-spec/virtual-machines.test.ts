// The emulated VM against the ComputeRP 2024-11-01 examples (virtualMachineExamples/): GET and
// attachDetachDataDisks (minimum and maximum request shapes).

import assert from 'node:assert/strict';
import type { Harness } from '../emulator/helpers/harness.js';
import { makeDisk } from './helpers/fixtures.js';
import { shapeOf, type Shape } from './helpers/shape.js';
import { COMPUTE_API, DISK_API, armDone, rgPath, runCases, type SpecCase } from './helpers/spec-case.js';

const vm = (h: Harness, rest = '') => rgPath(h, `virtualMachines/${h.emu.endpoints.vmName}${rest}`, COMPUTE_API);

/** StorageProfile as VirtualMachine_Get and the attachDetachDataDisks result show it. */
const STORAGE_PROFILE: Shape = {
  'imageReference.publisher': 'string',
  'imageReference.offer': 'string',
  'imageReference.sku': 'string',
  'imageReference.version': 'string',
  'osDisk.osType': 'string',
  'osDisk.name': 'string',
  'osDisk.createOption': 'string',
  'osDisk.caching': 'string',
  'osDisk.managedDisk.storageAccountType': 'string',
  'osDisk.managedDisk.id': 'string',
  'osDisk.diskSizeGB': 'integer',
  dataDisks: 'array',
};

const DATA_DISKS: Shape = {
  'dataDisks[].lun': 'integer',
  'dataDisks[].name': 'string',
  'dataDisks[].createOption': 'string',
  'dataDisks[].caching': 'string',
  'dataDisks[].managedDisk.storageAccountType': 'string',
  'dataDisks[].managedDisk.id': 'string',
  'dataDisks[].diskSizeGB': 'integer',
};

const VM_GET: Shape = shapeOf(
  {
    name: 'string',
    id: 'string',
    type: 'string',
    location: 'string',
    tags: 'object',
    etag: 'string',
    'properties.vmId': 'string',
    'properties.hardwareProfile.vmSize': 'string',
    'properties.osProfile.computerName': 'string',
    'properties.osProfile.adminUsername': 'string',
    'properties.networkProfile.networkInterfaces[].id': 'string',
    'properties.provisioningState': 'string',
    'properties.timeCreated': 'date',
  },
  Object.fromEntries(Object.entries(STORAGE_PROFILE).map(([k, v]) => [`properties.storageProfile.${k}`, v])),
);

let etagBefore = '';

const cases: SpecCase[] = [
  {
    example: 'VirtualMachine_Get',
    what: 'the emulated VM',
    request: (h) => ({ method: 'GET', path: vm(h) }),
    statuses: [200],
    shape: VM_GET,
    check: (_h, o) => {
      assert.equal(o.first.body.type, 'Microsoft.Compute/virtualMachines');
      etagBefore = o.first.body.etag;
    },
  },
  {
    example: 'VirtualMachine_AttachDetachDataDisks_MinimumSet_Gen',
    what: 'attach by diskId alone (first free LUN) and detach another disk',
    setup: async (h) => {
      await makeDisk(h, 'attachedFirst', 1);
      await makeDisk(h, 'diskA', 2);
      await armDone(h, { method: 'POST', path: vm(h, '/attachDetachDataDisks'), body: { dataDisksToAttach: [{ diskId: h.id('disks/attachedFirst'), lun: 0 }] } });
    },
    request: (h) => ({
      method: 'POST',
      path: vm(h, '/attachDetachDataDisks'),
      body: { dataDisksToAttach: [{ diskId: h.id('disks/diskA') }], dataDisksToDetach: [{ diskId: h.id('disks/attachedFirst') }] },
    }),
    statuses: [200, 202],
    acceptedHeaders: ['Location'],
    final: { from: 'result', shape: shapeOf(STORAGE_PROFILE, DATA_DISKS) },
    check: async (h, o) => {
      const disks = (o.result as { dataDisks: Array<{ lun: number; name: string; createOption: string }> }).dataDisks;
      assert.deepEqual(disks.map((d) => [d.lun, d.name, d.createOption]), [[0, 'diskA', 'Attach']]);
      const a = await h.arm('GET', rgPath(h, 'disks/diskA', DISK_API));
      assert.equal(a.body.managedBy, h.id(`virtualMachines/${h.emu.endpoints.vmName}`));
      assert.equal(a.body.properties.diskState, 'Attached');
      assert.equal((await h.arm('GET', rgPath(h, 'disks/attachedFirst', DISK_API))).body.properties.diskState, 'Unattached');
    },
  },
  {
    example: 'VirtualMachine_AttachDetachDataDisks_MaximumSet_Gen',
    what: 'two disks with lun, caching, deleteOption, writeAcceleratorEnabled; force-detach one',
    setup: async (h) => {
      await makeDisk(h, 'diskB', 3);
      await makeDisk(h, 'diskC', 4);
    },
    request: (h) => ({
      method: 'POST',
      path: vm(h, '/attachDetachDataDisks'),
      body: {
        dataDisksToAttach: [
          { lun: 1, diskId: h.id('disks/diskB'), caching: 'ReadOnly', deleteOption: 'Delete', writeAcceleratorEnabled: true },
          { lun: 2, diskId: h.id('disks/diskC'), caching: 'ReadWrite', deleteOption: 'Detach', writeAcceleratorEnabled: false },
        ],
        dataDisksToDetach: [{ diskId: h.id('disks/diskA'), detachOption: 'ForceDetach' }],
      },
    }),
    statuses: [200, 202],
    acceptedHeaders: ['Location'],
    final: { from: 'result', shape: shapeOf(STORAGE_PROFILE, DATA_DISKS, { 'dataDisks[].deleteOption': 'string', 'dataDisks[].writeAcceleratorEnabled': 'boolean' }) },
    check: (_h, o) => {
      const disks = (o.result as { dataDisks: Array<Record<string, unknown>> }).dataDisks;
      assert.deepEqual(
        disks.map((d) => [d.lun, d.name, d.caching, d.deleteOption, d.writeAcceleratorEnabled, d.diskSizeGB]),
        [
          [1, 'diskB', 'ReadOnly', 'Delete', true, 3],
          [2, 'diskC', 'ReadWrite', 'Detach', false, 4],
        ],
      );
    },
  },
  {
    example: 'VirtualMachine_Get',
    what: 'after the changes: data disks listed, etag moved on',
    request: (h) => ({ method: 'GET', path: vm(h) }),
    statuses: [200],
    shape: shapeOf(VM_GET, Object.fromEntries(Object.entries(DATA_DISKS).map(([k, v]) => [`properties.storageProfile.${k}`, v]))),
    check: (_h, o) => {
      assert.deepEqual(o.first.body.properties.storageProfile.dataDisks.map((d: { lun: number }) => d.lun), [1, 2]);
      assert.notEqual(o.first.body.etag, etagBefore, 'a VM write changes the etag');
    },
  },
];

runCases('the VM follows the ComputeRP 2024-11-01 examples', cases);
