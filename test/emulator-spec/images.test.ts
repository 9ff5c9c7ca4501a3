// Managed images and Marketplace (platform) images against the ComputeRP 2024-11-01 examples
// (imageExamples/, virtualMachineImageExamples/).

import assert from 'node:assert/strict';
import type { Harness } from '../emulator/helpers/harness.js';
import { makeDisk, makeSnapshot, registerPlatformImage, slashless } from './helpers/fixtures.js';

/** The examples' region: an image's sources must be in its own region. */
const WEST_US = 'West US';
import { shapeOf, type Shape } from './helpers/shape.js';
import { COMPUTE_API, rgPath, runCases, type SpecCase } from './helpers/spec-case.js';

const image = (h: Harness, name: string) => rgPath(h, `images/${name}`, COMPUTE_API);
const vmImages = (h: Harness, rest = '') =>
  `/subscriptions/${h.sub}/providers/Microsoft.Compute/locations/westeurope/publishers/myPublisher/artifacttypes/vmimage/offers/myOffer/skus/mySku/versions${rest}?api-version=${COMPUTE_API}`;

/** The first answer of every Image_Create* example. */
const IMAGE_ANSWER: Shape = {
  id: 'string',
  name: 'string',
  type: 'string',
  location: 'string',
  'properties.provisioningState': 'string',
  'properties.storageProfile.osDisk.osType': 'string',
  'properties.storageProfile.osDisk.osState': 'string',
  'properties.storageProfile.osDisk.caching': 'string',
  'properties.storageProfile.dataDisks': 'array',
  'properties.storageProfile.zoneResilient': 'boolean',
};

/** Image_Get adds the size and account type of each disk. */
const IMAGE_GET: Shape = shapeOf(IMAGE_ANSWER, {
  'properties.storageProfile.osDisk.storageAccountType': 'string',
  'properties.storageProfile.osDisk.diskSizeGB': 'integer',
});

const osDiskBody = (source: Record<string, unknown>) => ({ osType: 'Linux', osState: 'Generalized', ...source });

const cases: SpecCase[] = [
  {
    example: 'Image_CreateFromAManagedDisk',
    what: 'OS disk from a managed disk, zoneResilient',
    setup: async (h) => void (await makeDisk(h, 'myManagedDisk', 4, {}, WEST_US)),
    request: (h) => ({
      method: 'PUT',
      path: image(h, 'fromDisk'),
      body: { location: 'West US', properties: { storageProfile: { osDisk: osDiskBody({ managedDisk: { id: slashless(h.id('disks/myManagedDisk')) } }), zoneResilient: true } } },
    }),
    statuses: [200, 201],
    shape: shapeOf(IMAGE_ANSWER, { 'properties.storageProfile.osDisk.managedDisk.id': 'string' }),
    final: { from: 'get', shape: shapeOf(IMAGE_GET, { 'properties.storageProfile.osDisk.managedDisk.id': 'string' }) },
    check: (_h, o) => {
      assert.equal(o.first.body.type, 'Microsoft.Compute/images');
      assert.equal(o.first.body.properties.storageProfile.osDisk.caching, 'ReadWrite');
      assert.equal(o.got?.body.properties.storageProfile.zoneResilient, true);
      assert.equal(o.got?.body.properties.storageProfile.osDisk.diskSizeGB, 4);
      assert.equal(o.got?.body.properties.provisioningState, 'Succeeded');
    },
  },
  {
    example: 'Image_CreateFromASnapshot',
    what: 'OS disk from a snapshot',
    setup: async (h) => void (await makeSnapshot(h, 'mySnapshot', h.id('disks/myManagedDisk'), undefined, WEST_US)),
    request: (h) => ({
      method: 'PUT',
      path: image(h, 'fromSnapshot'),
      body: { location: 'West US', properties: { storageProfile: { osDisk: osDiskBody({ snapshot: { id: slashless(h.id('snapshots/mySnapshot')) } }), zoneResilient: false } } },
    }),
    statuses: [200, 201],
    shape: shapeOf(IMAGE_ANSWER, { 'properties.storageProfile.osDisk.snapshot.id': 'string' }),
    final: { from: 'get', shape: shapeOf(IMAGE_GET, { 'properties.storageProfile.osDisk.snapshot.id': 'string' }) },
  },
  {
    example: 'Image_Create_DataDiskFromAManagedDiskIncluded',
    what: 'OS disk and a data disk at LUN 1 from managed disks',
    setup: async (h) => void (await makeDisk(h, 'myManagedDisk2', 2, {}, WEST_US)),
    request: (h) => ({
      method: 'PUT',
      path: image(h, 'withDataDisk'),
      body: {
        location: 'West US',
        properties: {
          storageProfile: {
            osDisk: osDiskBody({ managedDisk: { id: slashless(h.id('disks/myManagedDisk')) } }),
            dataDisks: [{ lun: 1, managedDisk: { id: slashless(h.id('disks/myManagedDisk2')) } }],
            zoneResilient: false,
          },
        },
      },
    }),
    statuses: [200, 201],
    shape: shapeOf(IMAGE_ANSWER, { 'properties.storageProfile.dataDisks[].lun': 'integer', 'properties.storageProfile.dataDisks[].managedDisk.id': 'string' }),
    final: { from: 'get', shape: shapeOf(IMAGE_GET, { 'properties.storageProfile.dataDisks[].lun': 'integer', 'properties.storageProfile.dataDisks[].storageAccountType': 'string' }) },
    check: (_h, o) => assert.equal(o.got?.body.properties.storageProfile.dataDisks[0].lun, 1),
  },
  {
    example: 'Image_Create_DataDiskFromASnapshotIncluded',
    what: 'OS disk and a data disk at LUN 1 from snapshots',
    setup: async (h) => void (await makeSnapshot(h, 'mySnapshot2', h.id('disks/myManagedDisk2'), undefined, WEST_US)),
    request: (h) => ({
      method: 'PUT',
      path: image(h, 'withDataSnapshot'),
      body: {
        location: 'West US',
        properties: {
          storageProfile: {
            osDisk: osDiskBody({ snapshot: { id: slashless(h.id('snapshots/mySnapshot')) } }),
            dataDisks: [{ lun: 1, snapshot: { id: slashless(h.id('snapshots/mySnapshot2')) } }],
            zoneResilient: true,
          },
        },
      },
    }),
    statuses: [200, 201],
    shape: shapeOf(IMAGE_ANSWER, { 'properties.storageProfile.dataDisks[].lun': 'integer', 'properties.storageProfile.dataDisks[].snapshot.id': 'string' }),
    final: { from: 'get', shape: IMAGE_GET },
  },
  {
    example: 'Image_Get',
    what: 'an image with a data disk',
    request: (h) => ({ method: 'GET', path: image(h, 'withDataDisk') }),
    statuses: [200],
    shape: shapeOf(IMAGE_GET, { 'properties.storageProfile.dataDisks[].lun': 'integer', 'properties.storageProfile.dataDisks[].managedDisk.id': 'string' }),
  },
  {
    example: 'Images_Delete_MaximumSet_Gen',
    what: 'an existing image',
    request: (h) => ({ method: 'DELETE', path: image(h, 'fromSnapshot') }),
    statuses: [200, 202, 204],
    acceptedHeaders: ['Location'],
    check: async (h) => assert.equal((await h.arm('GET', image(h, 'fromSnapshot'))).status, 404),
  },
  {
    example: 'Images_Delete_MinimumSet_Gen',
    what: 'an image that does not exist',
    request: (h) => ({ method: 'DELETE', path: image(h, 'neverThere') }),
    statuses: [200, 204],
  },
  {
    example: 'VirtualMachineImage_List_MinimumSet_Gen',
    what: 'versions of a sku: a bare array of {name, location, id}',
    setup: async (h) => {
      await registerPlatformImage(h, 'myPublisher', 'myOffer', 'mySku', '1.0.0', 2);
      await registerPlatformImage(h, 'myPublisher', 'myOffer', 'mySku', '1.0.10', 2);
    },
    request: (h) => ({ method: 'GET', path: vmImages(h) }),
    statuses: [200],
    shape: { '[].name': 'string', '[].location': 'string', '[].id': 'string' },
    check: (_h, o) => {
      assert.ok(Array.isArray(o.first.body), 'the list is a bare JSON array');
      assert.deepEqual(o.first.body.map((i: { name: string }) => i.name), ['1.0.0', '1.0.10']);
    },
  },
  {
    example: 'VirtualMachineImage_List_MaximumSet_Gen',
    what: '$top and $orderby',
    request: (h) => ({ method: 'GET', path: `${vmImages(h)}&$top=1&$orderby=name%20desc` }),
    statuses: [200],
    check: (_h, o) => assert.deepEqual(o.first.body.map((i: { name: string }) => i.name), ['1.0.10']),
  },
  {
    example: 'VirtualMachineImage_Get_MaximumSet_Gen',
    what: 'one version with its properties',
    request: (h) => ({ method: 'GET', path: vmImages(h, '/1.0.0') }),
    statuses: [200],
    shape: {
      name: 'string',
      location: 'string',
      id: 'string',
      'properties.osDiskImage.operatingSystem': 'string',
      'properties.dataDiskImages': 'array',
      'properties.automaticOSUpgradeProperties.automaticOSUpgradeSupported': 'boolean',
      'properties.hyperVGeneration': 'string',
      'properties.features': 'array',
    },
  },
];

runCases('images follow the ComputeRP 2024-11-01 examples', cases);
