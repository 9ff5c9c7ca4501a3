// Managed disks against the DiskRP 2025-01-02 examples (diskExamples/): create (Empty, platform
// image, gallery image, copy of a disk or a snapshot), get, update, delete, begin/end access.

import assert from 'node:assert/strict';
import type { Harness } from '../emulator/helpers/harness.js';
import { makeDisk, makeGalleryVersion, makeSnapshot, registerPlatformImage, slashless, vmOsDiskId } from './helpers/fixtures.js';
import { shapeOf, type Shape } from './helpers/shape.js';
import { DISK_API, rgPath, runCases, type SpecCase } from './helpers/spec-case.js';

const disk = (h: Harness, name: string) => rgPath(h, `disks/${name}`, DISK_API);

/** What every create example's first answer has. */
const CREATE_ANSWER: Shape = {
  id: 'string',
  name: 'string',
  location: 'string',
  'properties.provisioningState': 'string',
  'properties.creationData.createOption': 'string',
};

/** What Disk_Get shows and our clients read (Packer and azchroot). */
const DISK_GET: Shape = {
  id: 'string',
  name: 'string',
  type: 'string',
  location: 'string',
  'sku.name': 'string',
  'properties.provisioningState': 'string',
  'properties.creationData.createOption': 'string',
  'properties.diskSizeGB': 'integer',
  'properties.timeCreated': 'date',
  'properties.diskState': 'string',
  'properties.uniqueId': 'string',
  'properties.encryption.type': 'string',
};

let platformId = '';
let galleryVersionId = '';
let osDiskId = '';

const cases: SpecCase[] = [
  {
    example: 'Disk_Create_Empty',
    what: 'Empty disk with diskSizeGB',
    request: (h) => ({ method: 'PUT', path: disk(h, 'myDisk'), body: { location: 'West US', properties: { creationData: { createOption: 'Empty' }, diskSizeGB: 200 } } }),
    statuses: [200, 202],
    shape: shapeOf(CREATE_ANSWER, { 'properties.diskSizeGB': 'integer' }),
    final: { from: 'get', shape: DISK_GET },
    check: (_h, o) => {
      assert.equal(o.got?.body.properties.diskSizeGB, 200);
      assert.equal(o.got?.body.properties.provisioningState, 'Succeeded');
      assert.equal(o.got?.body.type, 'Microsoft.Compute/disks');
    },
  },
  {
    example: 'Disk_Create_FromAPlatformImage',
    what: 'FromImage with imageReference.id in Azure casing',
    setup: async (h) => {
      await registerPlatformImage(h, 'myPublisher', 'myOffer', 'mySku', '1.0.0');
      platformId = `/Subscriptions/${h.sub}/Providers/Microsoft.Compute/Locations/westus/Publishers/myPublisher/ArtifactTypes/VMImage/Offers/myOffer/Skus/mySku/Versions/1.0.0`;
    },
    request: (h) => ({ method: 'PUT', path: disk(h, 'fromPlatform'), body: { location: 'West US', properties: { osType: 'Windows', creationData: { createOption: 'FromImage', imageReference: { id: platformId } } } } }),
    statuses: [200, 202],
    shape: shapeOf(CREATE_ANSWER, { 'properties.osType': 'string', 'properties.creationData.imageReference.id': 'string' }),
    final: { from: 'get', shape: shapeOf(DISK_GET, { 'properties.osType': 'string', 'properties.hyperVGeneration': 'string', 'properties.creationData.imageReference.id': 'string' }) },
    check: (_h, o) => {
      assert.equal(o.got?.body.properties.osType, 'Windows', 'the requested osType wins over the image');
      assert.equal(o.got?.body.properties.hyperVGeneration, 'V1');
      assert.equal(o.got?.body.properties.diskSizeGB, 30, 'size comes from the image');
    },
  },
  {
    example: 'Disk_Create_FromAnAzureComputeGalleryImage',
    what: 'FromImage with galleryImageReference.id',
    setup: async (h) => {
      galleryVersionId = await makeGalleryVersion(h, '1.0.0', await makeDisk(h, 'galleryOs', 3));
    },
    request: (h) => ({ method: 'PUT', path: disk(h, 'fromGallery'), body: { location: 'West US', properties: { osType: 'Linux', creationData: { createOption: 'FromImage', galleryImageReference: { id: galleryVersionId } } } } }),
    statuses: [200, 202],
    shape: shapeOf(CREATE_ANSWER, { 'properties.osType': 'string', 'properties.hyperVGeneration': 'string', 'properties.creationData.galleryImageReference.id': 'string' }),
    final: { from: 'get', shape: shapeOf(DISK_GET, { 'properties.osType': 'string', 'properties.hyperVGeneration': 'string', 'properties.creationData.galleryImageReference.id': 'string' }) },
    check: (_h, o) => {
      assert.equal(o.got?.body.properties.hyperVGeneration, 'V2', 'generation of the image definition');
      assert.equal(o.got?.body.properties.diskSizeGB, 3);
    },
  },
  {
    example: 'Disk_Create_FromAnExistingManagedDisk',
    what: 'Copy of a disk, sourceResourceId without a leading slash',
    setup: async (h) => void (await makeDisk(h, 'myDisk1', 5)),
    request: (h) => ({ method: 'PUT', path: disk(h, 'myDisk2'), body: { location: 'West US', properties: { creationData: { createOption: 'Copy', sourceResourceId: slashless(h.id('disks/myDisk1')) } } } }),
    statuses: [200, 202],
    shape: shapeOf(CREATE_ANSWER, { 'properties.creationData.sourceResourceId': 'string' }),
    final: { from: 'get', shape: shapeOf(DISK_GET, { 'properties.creationData.sourceResourceId': 'string', 'properties.creationData.sourceUniqueId': 'string' }) },
    check: (_h, o) => assert.equal(o.got?.body.properties.diskSizeGB, 5),
  },
  {
    example: 'Disk_Create_ByCopyingASnapshot',
    what: 'Copy of a snapshot',
    setup: async (h) => void (await makeSnapshot(h, 'mySnapshot', await makeDisk(h, 'snapSource', 2))),
    request: (h) => ({ method: 'PUT', path: disk(h, 'fromSnapshot'), body: { location: 'West US', properties: { creationData: { createOption: 'Copy', sourceResourceId: slashless(h.id('snapshots/mySnapshot')) } } } }),
    statuses: [200, 202],
    shape: shapeOf(CREATE_ANSWER, { 'properties.creationData.sourceResourceId': 'string' }),
    final: { from: 'get', shape: shapeOf(DISK_GET, { 'properties.creationData.sourceResourceId': 'string' }) },
  },
  {
    example: 'Disk_Get',
    what: 'a disk that does not exist: 404 with the ARM error body',
    request: (h) => ({ method: 'GET', path: disk(h, 'nothingHere') }),
    statuses: [404],
    shape: { 'error.code': 'string', 'error.message': 'string' },
    check: (_h, o) => assert.equal(o.first.body.error.code, 'ResourceNotFound'),
  },
  {
    example: 'Disk_Get',
    what: 'the VM OS disk: managedBy, osType, hyperVGeneration, imageReference',
    setup: async (h) => {
      osDiskId = await vmOsDiskId(h);
    },
    request: () => ({ method: 'GET', path: `${osDiskId}?api-version=${DISK_API}` }),
    statuses: [200],
    shape: shapeOf(DISK_GET, {
      managedBy: 'string',
      'properties.osType': 'string',
      'properties.hyperVGeneration': 'string',
      'properties.creationData.imageReference.id': 'string',
    }),
    check: (_h, o) => assert.equal(o.first.body.properties.diskState, 'Attached'),
  },
  {
    example: 'Disk_Update_* (PATCH answer shape)',
    what: 'PATCH diskSizeGB grows the disk',
    setup: async (h) => void (await makeDisk(h, 'toGrow', 4)),
    request: (h) => ({ method: 'PATCH', path: disk(h, 'toGrow'), body: { properties: { diskSizeGB: 8 } } }),
    statuses: [200, 202],
    acceptedHeaders: ['Location'],
    shape: shapeOf(CREATE_ANSWER, { 'sku.name': 'string', 'properties.diskSizeGB': 'integer' }),
    final: { from: 'get', shape: DISK_GET },
    check: (_h, o) => {
      assert.equal(o.got?.body.properties.diskSizeGB, 8);
      assert.equal(o.got?.body.properties.provisioningState, 'Succeeded');
    },
  },
  {
    example: 'Disk_Delete',
    what: 'an existing disk',
    setup: async (h) => void (await makeDisk(h, 'toDelete', 1)),
    request: (h) => ({ method: 'DELETE', path: disk(h, 'toDelete') }),
    statuses: [200, 202, 204],
    acceptedHeaders: ['Location'],
    check: async (h) => assert.equal((await h.arm('GET', disk(h, 'toDelete'))).status, 404),
  },
  {
    example: 'Disk_Delete',
    what: 'a disk that does not exist',
    request: (h) => ({ method: 'DELETE', path: disk(h, 'neverThere') }),
    statuses: [200, 204],
  },
  {
    example: 'Disk_BeginGetAccess',
    what: 'Read access for 300 s gives accessSAS',
    setup: async (h) => void (await makeDisk(h, 'toExport', 1)),
    request: (h) => ({ method: 'POST', path: disk(h, 'toExport/beginGetAccess'), body: { access: 'Read', durationInSeconds: 300, fileFormat: 'VHD' } }),
    statuses: [200, 202],
    acceptedHeaders: ['Location'],
    final: { from: 'result', shape: { accessSAS: 'string' } },
    check: async (h, o) => {
      assert.match(String((o.result as { accessSAS: string }).accessSAS), /^https:\/\//);
      assert.equal((await h.arm('GET', disk(h, 'toExport'))).body.properties.diskState, 'ActiveSAS');
    },
  },
  {
    example: 'Disk_EndGetAccess',
    what: 'ends the SAS; the disk is Unattached again',
    request: (h) => ({ method: 'POST', path: disk(h, 'toExport/endGetAccess') }),
    statuses: [200, 202],
    acceptedHeaders: ['Location'],
    final: { from: 'get', shape: DISK_GET, path: (h) => disk(h, 'toExport') },
    check: (_h, o) => assert.equal(o.got?.body.properties.diskState, 'Unattached'),
  },
];

runCases('disks follow the DiskRP 2025-01-02 examples', cases);
