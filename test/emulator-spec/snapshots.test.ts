// Snapshots against the DiskRP 2025-01-02 examples (snapshotExamples/): create from a snapshot or a
// disk (full and incremental), get, update, delete, begin/end access.

import assert from 'node:assert/strict';
import type { Harness } from '../emulator/helpers/harness.js';
import { makeDisk, makeSnapshot, slashless } from './helpers/fixtures.js';
import { shapeOf, type Shape } from './helpers/shape.js';
import { DISK_API, rgPath, runCases, type SpecCase } from './helpers/spec-case.js';

const snapshot = (h: Harness, name: string) => rgPath(h, `snapshots/${name}`, DISK_API);

const CREATE_ANSWER: Shape = {
  id: 'string',
  name: 'string',
  location: 'string',
  'properties.provisioningState': 'string',
  'properties.creationData.createOption': 'string',
  'properties.creationData.sourceResourceId': 'string',
};

/** Snapshot_Get: the fields our clients read. */
const SNAPSHOT_GET: Shape = {
  id: 'string',
  name: 'string',
  type: 'string',
  location: 'string',
  'properties.provisioningState': 'string',
  'properties.creationData.createOption': 'string',
  'properties.creationData.sourceResourceId': 'string',
  'properties.creationData.sourceUniqueId': 'string',
  'properties.diskSizeGB': 'integer',
  'properties.timeCreated': 'date',
  'properties.encryption.type': 'string',
  'properties.osType': 'string',
  'properties.hyperVGeneration': 'string',
};

/** Snapshot_GetIncrementalSnapshot adds these. */
const INCREMENTAL_GET: Shape = shapeOf(SNAPSHOT_GET, {
  'properties.incremental': 'boolean',
  'properties.networkAccessPolicy': 'string',
  'properties.diskState': 'string',
  'properties.diskSizeBytes': 'integer',
  'properties.uniqueId': 'string',
  'properties.incrementalSnapshotFamilyId': 'string',
});

const cases: SpecCase[] = [
  {
    example: 'Snapshot_Create_FromAnExistingSnapshot',
    what: 'Copy of a snapshot, source id without a leading slash',
    setup: async (h) => void (await makeSnapshot(h, 'mySnapshot1', await makeDisk(h, 'osDisk', 3))),
    request: (h) => ({ method: 'PUT', path: snapshot(h, 'mySnapshot2'), body: { location: 'West US', properties: { creationData: { createOption: 'Copy', sourceResourceId: slashless(h.id('snapshots/mySnapshot1')) } } } }),
    statuses: [200, 202],
    shape: CREATE_ANSWER,
    final: { from: 'get', shape: SNAPSHOT_GET },
    check: (_h, o) => {
      assert.equal(o.got?.body.type, 'Microsoft.Compute/snapshots');
      assert.equal(o.got?.body.properties.diskSizeGB, 3);
      assert.equal(o.got?.body.properties.provisioningState, 'Succeeded');
    },
  },
  {
    example: 'Snapshot_GetIncrementalSnapshot',
    what: 'incremental snapshot of a disk',
    request: (h) => ({
      method: 'PUT',
      path: snapshot(h, 'myIncrementalSnapshot'),
      body: { location: 'westeurope', properties: { incremental: true, creationData: { createOption: 'Copy', sourceResourceId: h.id('disks/osDisk') } } },
    }),
    statuses: [200, 202],
    shape: CREATE_ANSWER,
    final: { from: 'get', shape: INCREMENTAL_GET },
    check: (_h, o) => assert.equal(o.got?.body.properties.incremental, true),
  },
  {
    example: 'Snapshot_GetIncrementalSnapshot',
    what: 'a second incremental snapshot of the same disk is in the same family',
    request: (h) => ({
      method: 'PUT',
      path: snapshot(h, 'myIncrementalSnapshot2'),
      body: { location: 'westeurope', properties: { incremental: true, creationData: { createOption: 'Copy', sourceResourceId: h.id('disks/osDisk') } } },
    }),
    statuses: [200, 202],
    final: { from: 'get', shape: INCREMENTAL_GET },
    check: async (h, o) => {
      const first = await h.arm('GET', snapshot(h, 'myIncrementalSnapshot'));
      assert.equal(o.got?.body.properties.incrementalSnapshotFamilyId, first.body.properties.incrementalSnapshotFamilyId);
      const full = await h.arm('GET', snapshot(h, 'mySnapshot1'));
      assert.equal(full.body.properties.incrementalSnapshotFamilyId, undefined, 'full snapshots have no family');
    },
  },
  {
    example: 'Snapshot_Get',
    what: 'a snapshot of a disk, with tags',
    setup: async (h) => void (await makeSnapshot(h, 'mySnapshot', h.id('disks/osDisk'), { department: 'Development', project: 'Snapshots' })),
    request: (h) => ({ method: 'GET', path: snapshot(h, 'mySnapshot') }),
    statuses: [200],
    shape: shapeOf(SNAPSHOT_GET, { 'tags.department': 'string', 'tags.project': 'string' }),
  },
  {
    example: 'Snapshot_Update',
    what: 'PATCH diskSizeGB and tags',
    request: (h) => ({ method: 'PATCH', path: snapshot(h, 'mySnapshot'), body: { properties: { diskSizeGB: 20 }, tags: { department: 'Development', project: 'UpdateSnapshots' } } }),
    statuses: [200, 202],
    acceptedHeaders: ['Location'],
    shape: { name: 'string', location: 'string', 'properties.creationData.createOption': 'string', 'properties.diskSizeGB': 'integer', 'properties.provisioningState': 'string' },
    final: { from: 'get', shape: shapeOf(SNAPSHOT_GET, { 'tags.project': 'string' }) },
    check: (_h, o) => {
      assert.equal(o.got?.body.properties.diskSizeGB, 20);
      assert.deepEqual(o.got?.body.tags, { department: 'Development', project: 'UpdateSnapshots' });
    },
  },
  {
    example: 'Snapshot_BeginGetAccess',
    what: 'Read access gives accessSAS',
    request: (h) => ({ method: 'POST', path: snapshot(h, 'mySnapshot/beginGetAccess'), body: { access: 'Read', durationInSeconds: 300, fileFormat: 'VHDX' } }),
    statuses: [200, 202],
    acceptedHeaders: ['Location'],
    final: { from: 'result', shape: { accessSAS: 'string' } },
  },
  {
    example: 'Snapshot_EndGetAccess',
    what: 'ends the SAS',
    request: (h) => ({ method: 'POST', path: snapshot(h, 'mySnapshot/endGetAccess') }),
    statuses: [200, 202],
    acceptedHeaders: ['Location'],
    final: { from: 'get', shape: SNAPSHOT_GET, path: (h) => snapshot(h, 'mySnapshot') },
    check: (_h, o) => assert.equal(o.got?.body.properties.diskState, 'Unattached'),
  },
  {
    example: 'Snapshot_Delete',
    what: 'an existing snapshot',
    request: (h) => ({ method: 'DELETE', path: snapshot(h, 'mySnapshot') }),
    statuses: [200, 202, 204],
    acceptedHeaders: ['Location'],
    check: async (h) => assert.equal((await h.arm('GET', snapshot(h, 'mySnapshot'))).status, 404),
  },
  {
    example: 'Snapshot_Delete',
    what: 'a snapshot that does not exist',
    request: (h) => ({ method: 'DELETE', path: snapshot(h, 'neverThere') }),
    statuses: [200, 204],
  },
];

runCases('snapshots follow the DiskRP 2025-01-02 examples', cases);
