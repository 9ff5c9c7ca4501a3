// Compute Galleries, image definitions and image versions against the GalleryRP 2025-03-03
// examples (galleryExamples/).

import assert from 'node:assert/strict';
import type { Harness } from '../emulator/helpers/harness.js';
import { makeDisk, makeImage, makeSnapshot } from './helpers/fixtures.js';

/** The examples' definition is Hyper-V V1; Azure fails a version whose source generation differs. */
const V1 = { hyperVGeneration: 'V1' };
import { shapeOf, under } from './helpers/shape.js';
import { FROM_IMAGE, FROM_SNAPSHOTS, GALLERY, IMAGE_DEFINITION, NO_DATA_DISKS } from './helpers/gallery-shapes.js';
import { GALLERY_API, armDone, rgPath, runCases, type SpecCase } from './helpers/spec-case.js';

const gallery = (h: Harness, rest = '') => rgPath(h, `galleries/myGalleryName${rest}`, GALLERY_API);
const version = (h: Harness, v: string) => gallery(h, `/images/myGalleryImageName/versions/${v}`);

/** The two target regions of the examples: West US with the default account type, East US on ZRS. */
const TARGET_REGIONS = [
  { name: 'West US', regionalReplicaCount: 1, excludeFromLatest: false },
  { name: 'East US', regionalReplicaCount: 2, storageAccountType: 'Standard_ZRS', excludeFromLatest: false },
];
const SAFETY = { allowDeletionOfReplicatedLocations: false, blockDeletionBeforeEndOfLife: false };

const cases: SpecCase[] = [
  {
    example: 'Gallery_Create',
    what: 'a gallery with a description',
    request: (h) => ({ method: 'PUT', path: gallery(h), body: { location: 'West US', properties: { description: 'This is the gallery description.' } } }),
    statuses: [200, 201, 202],
    shape: GALLERY,
    final: { from: 'get', shape: GALLERY },
    check: (h, o) => assert.equal(o.got?.body.properties.identifier.uniqueName, `${h.sub}-MYGALLERYNAME`),
  },
  {
    example: 'Gallery_Get',
    what: 'the gallery',
    request: (h) => ({ method: 'GET', path: gallery(h) }),
    statuses: [200],
    shape: GALLERY,
    check: (_h, o) => assert.equal(o.first.body.properties.provisioningState, 'Succeeded'),
  },
  {
    example: 'GalleryImage_Create',
    what: 'a generalized image definition with an identifier',
    request: (h) => ({
      method: 'PUT',
      path: gallery(h, '/images/myGalleryImageName'),
      body: { location: 'West US', properties: { osType: 'Linux', osState: 'Generalized', hyperVGeneration: 'V1', identifier: { publisher: 'myPublisherName', offer: 'myOfferName', sku: 'mySkuName' } } },
    }),
    statuses: [200, 201, 202],
    shape: IMAGE_DEFINITION,
    final: { from: 'get', shape: IMAGE_DEFINITION },
  },
  {
    example: 'GalleryImage_Get',
    what: 'the image definition',
    request: (h) => ({ method: 'GET', path: gallery(h, '/images/myGalleryImageName') }),
    statuses: [200],
    shape: IMAGE_DEFINITION,
  },
  {
    example: 'GalleryImageVersion_Create_WithSnapshotsAsSource',
    what: 'OS snapshot and a data disk, two regions, safety profile',
    setup: async (h) => {
      await makeSnapshot(h, 'osSnapshot', await makeDisk(h, 'osDisk', 3, V1, 'West US'), undefined, 'West US');
      await makeDisk(h, 'dataDisk', 2, V1, 'West US');
    },
    request: (h) => ({
      method: 'PUT',
      path: version(h, '1.0.0'),
      body: {
        location: 'West US',
        properties: {
          publishingProfile: { targetRegions: TARGET_REGIONS },
          storageProfile: {
            osDiskImage: { source: { id: h.id('snapshots/osSnapshot') }, hostCaching: 'ReadOnly' },
            dataDiskImages: [{ source: { id: h.id('disks/dataDisk') }, lun: 1, hostCaching: 'None' }],
          },
          safetyProfile: SAFETY,
        },
      },
    }),
    statuses: [200, 201, 202],
    shape: FROM_SNAPSHOTS,
    final: { from: 'get', shape: FROM_SNAPSHOTS },
    check: (_h, o) => {
      const p = o.got?.body.properties;
      assert.deepEqual(
        p.publishingProfile.targetRegions.map((r: Record<string, unknown>) => [r.name, r.regionalReplicaCount, r.storageAccountType]),
        [['West US', 1, 'Standard_LRS'], ['East US', 2, 'Standard_ZRS']],
      );
      assert.equal(p.safetyProfile.allowDeletionOfReplicatedLocations, false, 'the requested safety profile is kept');
      assert.equal(p.storageProfile.osDiskImage.hostCaching, 'ReadOnly');
      assert.equal(p.storageProfile.osDiskImage.sizeInGB, 3);
      assert.equal(p.storageProfile.dataDiskImages[0].sizeInGB, 2);
      assert.equal(p.provisioningState, 'Succeeded');
    },
  },
  {
    example: 'GalleryImageVersion_Create',
    what: 'from a managed image with a data disk',
    setup: async (h) => void (await makeImage(h, 'myImage', h.id('disks/osDisk'), { 1: h.id('disks/dataDisk') }, 'West US')),
    request: (h) => ({
      method: 'PUT',
      path: version(h, '1.0.1'),
      body: { location: 'West US', properties: { publishingProfile: { targetRegions: TARGET_REGIONS }, storageProfile: { source: { id: h.id('images/myImage') } }, safetyProfile: SAFETY } },
    }),
    statuses: [200, 201, 202],
    shape: FROM_IMAGE,
    final: { from: 'get', shape: FROM_IMAGE },
    check: (_h, o) => assert.equal(o.got?.body.properties.storageProfile.dataDiskImages[0].lun, 1),
  },
  {
    example: 'GalleryImageVersion_Get_WithSnapshotsAsSource',
    what: 'a version created with only a source gets the defaults the example shows',
    setup: async (h) => void (await armDone(h, { method: 'PUT', path: version(h, '1.0.2'), body: { location: 'West US', properties: { storageProfile: { osDiskImage: { source: { id: h.id('snapshots/osSnapshot') } } } } } })),
    request: (h) => ({ method: 'GET', path: version(h, '1.0.2') }),
    statuses: [200],
    shape: shapeOf(NO_DATA_DISKS, { 'properties.storageProfile.osDiskImage.source.id': 'string' }),
    check: (_h, o) => {
      const p = o.first.body.properties;
      assert.deepEqual(p.publishingProfile.targetRegions, [{ name: 'West US', regionalReplicaCount: 1, storageAccountType: 'Standard_LRS', excludeFromLatest: false }]);
      assert.equal(p.safetyProfile.allowDeletionOfReplicatedLocations, true, "Azure's default");
      assert.deepEqual(p.storageProfile.dataDiskImages, []);
    },
  },
  {
    example: 'GalleryImageVersion_Get_WithSnapshotsAsSource',
    what: 'the version made from snapshots',
    request: (h) => ({ method: 'GET', path: version(h, '1.0.0') }),
    statuses: [200],
    shape: FROM_SNAPSHOTS,
  },
  {
    example: 'GalleryImageVersion_Get_WithReplicationStatus',
    what: '$expand=ReplicationStatus adds per-region status',
    request: (h) => ({ method: 'GET', path: `${version(h, '1.0.1')}&$expand=ReplicationStatus` }),
    statuses: [200],
    shape: shapeOf(FROM_IMAGE, {
      'properties.replicationStatus.aggregatedState': 'string',
      'properties.replicationStatus.summary[].region': 'string',
      'properties.replicationStatus.summary[].state': 'string',
      'properties.replicationStatus.summary[].details': 'string',
      'properties.replicationStatus.summary[].progress': 'integer',
    }),
    check: (_h, o) => {
      assert.equal(o.first.body.properties.replicationStatus.aggregatedState, 'Completed');
      assert.deepEqual(o.first.body.properties.replicationStatus.summary.map((s: { region: string }) => s.region), ['West US', 'East US']);
    },
  },
  {
    example: 'GalleryImageVersion_ListByGalleryImage',
    what: '{value: [...]} of versions',
    request: (h) => ({ method: 'GET', path: gallery(h, '/images/myGalleryImageName/versions') }),
    statuses: [200],
    shape: under('value[]', NO_DATA_DISKS),
    check: (_h, o) => assert.deepEqual(o.first.body.value.map((v: { name: string }) => v.name), ['1.0.0', '1.0.1', '1.0.2']),
  },
  {
    example: 'GalleryImageVersion_Delete',
    what: 'an existing version',
    request: (h) => ({ method: 'DELETE', path: version(h, '1.0.0') }),
    statuses: [200, 202, 204],
    acceptedHeaders: ['Azure-AsyncOperation', 'Location'],
    check: async (h) => assert.equal((await h.arm('GET', version(h, '1.0.0'))).status, 404),
  },
  {
    example: 'GalleryImage_Delete',
    what: 'the definition once its versions are gone',
    setup: async (h) => {
      for (const v of ['1.0.1', '1.0.2']) await armDone(h, { method: 'DELETE', path: version(h, v) });
    },
    request: (h) => ({ method: 'DELETE', path: gallery(h, '/images/myGalleryImageName') }),
    statuses: [200, 202, 204],
    acceptedHeaders: ['Azure-AsyncOperation', 'Location'],
    check: async (h) => assert.equal((await h.arm('GET', gallery(h, '/images/myGalleryImageName'))).status, 404),
  },
  {
    example: 'Gallery_Delete',
    what: 'the empty gallery',
    request: (h) => ({ method: 'DELETE', path: gallery(h) }),
    statuses: [200, 202, 204],
    acceptedHeaders: ['Azure-AsyncOperation', 'Location'],
    check: async (h) => assert.equal((await h.arm('GET', gallery(h))).status, 404),
  },
];

runCases('galleries follow the GalleryRP 2025-03-03 examples', cases);
