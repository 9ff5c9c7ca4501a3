import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAST, startHarness } from './helpers/harness.js';
import { writePlatformImage } from './helpers/platform-images.js';

const GIB = 1024 ** 3;

test('disks: Empty create, get, grow, delete through @azure/arm-compute', async (t) => {
  const h = await startHarness(t);
  const client = h.client();
  const created = await client.disks.createOrUpdate(h.rg, 'd1', { location: 'westeurope', sku: { name: 'Standard_LRS' }, diskSizeGB: 2, osType: 'Linux', hyperVGeneration: 'V2', creationData: { createOption: 'Empty' }, tags: { a: 'b' } }, FAST);
  assert.equal(created.provisioningState, 'Succeeded');
  assert.equal(created.diskSizeGB, 2);
  assert.equal(created.diskSizeBytes, 2 * GIB);
  assert.equal(created.diskState, 'Unattached');
  assert.equal(created.hyperVGeneration, 'V2');
  assert.deepEqual(created.tags, { a: 'b' });
  assert.ok(created.timeCreated instanceof Date);
  assert.match(created.uniqueId ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(created.id, h.id('disks/d1'));
  assert.equal(created.type, 'Microsoft.Compute/disks');

  const blob = [...h.backend.blobs.entries()].find(([, size]) => size === 2 * GIB);
  assert.ok(blob, 'a 2 GiB blob was created');

  // ids are case-insensitive
  const got = await client.disks.get(h.rg.toUpperCase(), 'D1');
  assert.equal(got.id, h.id('disks/d1'));

  const grown = await client.disks.update(h.rg, 'd1', { diskSizeGB: 4 }, FAST);
  assert.equal(grown.diskSizeGB, 4);
  assert.equal(h.backend.blobs.get(blob[0]), 4 * GIB);

  await assert.rejects(client.disks.update(h.rg, 'd1', { diskSizeGB: 1 }, FAST), (e: any) => e.statusCode === 409 && e.code === 'OperationNotAllowed');

  await client.disks.delete(h.rg, 'd1', FAST);
  await assert.rejects(client.disks.get(h.rg, 'd1'), (e: any) => e.statusCode === 404 && e.code === 'ResourceNotFound');
  assert.equal(h.backend.blobs.has(blob[0]), false, 'blob removed with the disk');
});

test('disks: Copy grows the copy and inherits hyperVGeneration; FromImage from platform and gallery', async (t) => {
  const h = await startHarness(t);
  const client = h.client();
  await client.disks.createOrUpdate(h.rg, 'src', { location: 'westeurope', diskSizeGB: 1, hyperVGeneration: 'V2', creationData: { createOption: 'Empty' } }, FAST);
  const copy = await client.disks.createOrUpdate(h.rg, 'copy', { location: 'westeurope', diskSizeGB: 3, creationData: { createOption: 'Copy', sourceResourceId: h.id('disks/src') } }, FAST);
  assert.equal(copy.diskSizeGB, 3);
  assert.equal(copy.hyperVGeneration, 'V2');
  assert.equal(copy.creationData?.sourceResourceId, h.id('disks/src'));
  assert.ok(copy.creationData?.sourceUniqueId);

  await assert.rejects(
    client.disks.createOrUpdate(h.rg, 'small', { location: 'westeurope', diskSizeGB: 1, creationData: { createOption: 'Copy', sourceResourceId: h.id('disks/copy') } }, FAST),
    (e: any) => e.statusCode === 400 && e.code === 'InvalidParameter',
  );

  const blobId = await h.backend.createEmpty(GIB + 5);
  writePlatformImage(h.stateDir, { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS', version: '18.04.202401010', hyperVGeneration: 'V1', blobId, sizeBytes: GIB + 5 });
  const platformId = `/Subscriptions/${h.sub}/Providers/Microsoft.Compute/Locations/westeurope/Publishers/canonical/ArtifactTypes/VMImage/Offers/ubuntuserver/Skus/18.04-lts/Versions/18.04.202401010`;
  const fromPlatform = await client.disks.createOrUpdate(h.rg, 'os', { location: 'westeurope', creationData: { createOption: 'FromImage', imageReference: { id: platformId.toLowerCase() } } }, FAST);
  assert.equal(fromPlatform.diskSizeGB, 2, 'size rounds up to whole GiB');
  assert.equal(fromPlatform.hyperVGeneration, 'V1');
  assert.equal(fromPlatform.osType, 'Linux');

  await assert.rejects(
    client.disks.createOrUpdate(h.rg, 'x', { location: 'westeurope', creationData: { createOption: 'FromImage', imageReference: { id: platformId.replace('202401010', '1') } } }, FAST),
    (e: any) => e.statusCode === 400 && e.code === 'InvalidParameter',
  );
});

test('disks: bad bodies are 400 InvalidParameter, missing api-version 400, deletes of absent disks 204', async (t) => {
  const h = await startHarness(t);
  const path = `/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/disks/bad?api-version=2025-01-02`;
  const noLocation = await h.arm('PUT', path, { body: { properties: { diskSizeGB: 1, creationData: { createOption: 'Empty' } } } });
  assert.equal(noLocation.status, 400);
  assert.equal(noLocation.body.error.code, 'InvalidParameter');
  assert.match(noLocation.body.error.message, /location/);
  const badOption = await h.arm('PUT', path, { body: { location: 'westeurope', properties: { creationData: { createOption: 'Bogus' } } } });
  assert.equal(badOption.status, 400);
  assert.equal(badOption.body.error.code, 'InvalidParameter');
  const unknownSource = await h.arm('PUT', path, { body: { location: 'westeurope', properties: { creationData: { createOption: 'Copy', sourceResourceId: h.id('disks/nope') } } } });
  assert.equal(unknownSource.status, 400);
  assert.equal(unknownSource.body.error.code, 'InvalidParameter');
  const emptyNoSize = await h.arm('PUT', path, { body: { location: 'westeurope', properties: { creationData: { createOption: 'Empty' } } } });
  assert.equal(emptyNoSize.status, 400);
  const noVersion = await h.arm('GET', path.replace(/\?.*/, ''));
  assert.equal(noVersion.status, 400);
  assert.equal(noVersion.body.error.code, 'MissingApiVersionParameter');
  const del = await h.arm('DELETE', path);
  assert.equal(del.status, 204);
});

test('disks: the PUT answers 202 with absolute Azure-AsyncOperation and Location, Retry-After 0; status completes on first poll', async (t) => {
  const h = await startHarness(t);
  const path = `//subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute//disks/raw?api-version=2019-11-01`;
  const put = await h.arm('PUT', path, { body: { location: 'westeurope', properties: { diskSizeGB: 1, creationData: { createOption: 'Empty' } } } });
  assert.equal(put.status, 202);
  assert.equal(put.headers['retry-after'], '0');
  const ao = String(put.headers['azure-asyncoperation']);
  assert.match(ao, /^https:\/\/127\.0\.0\.1:\d+\/subscriptions\/.+\/providers\/Microsoft\.Compute\/locations\/westeurope\/operations\/[0-9a-f-]+\?api-version=2019-11-01$/);
  assert.match(String(put.headers.location), /^https:\/\/.+monitor=true$/);
  assert.equal(put.body.properties.provisioningState, 'Updating');
  const status = await h.arm('GET', ao.replace(h.emu.endpoints.armEndpoint, ''));
  assert.equal(status.status, 200);
  assert.equal(status.body.status, 'Succeeded');
  const after = await h.arm('GET', path);
  assert.equal(after.body.properties.provisioningState, 'Succeeded');
  assert.equal(after.body.id, h.id('disks/raw'), 'double slashes normalised');
});

test('disks: grant and revoke access give an emulator SAS URL and toggle ActiveSAS', async (t) => {
  const h = await startHarness(t);
  const client = h.client();
  await client.disks.createOrUpdate(h.rg, 'd', { location: 'westeurope', diskSizeGB: 1, creationData: { createOption: 'Empty' } }, FAST);
  const access = await client.disks.grantAccess(h.rg, 'd', { access: 'Read', durationInSeconds: 600 }, FAST);
  assert.ok(access.accessSAS?.startsWith(`${h.emu.endpoints.armEndpoint}/_emulator/blobs/`));
  assert.equal((await client.disks.get(h.rg, 'd')).diskState, 'ActiveSAS');
  await assert.rejects(client.disks.delete(h.rg, 'd', FAST), (e: any) => e.statusCode === 409 && e.code === 'OperationNotAllowed');
  await client.disks.revokeAccess(h.rg, 'd', FAST);
  assert.equal((await client.disks.get(h.rg, 'd')).diskState, 'Unattached');
});
