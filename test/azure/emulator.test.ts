// Every AzurePort method and the sign-in paths end to end against the emulator (real SDKs, TLS,
// loop devices). One emulator for the file: msal-node caches the managed-identity source per process.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComputeManagementClient } from '@azure/arm-compute';
import { createAzurePort } from '../../src/azure/arm.js';
import { connectAzure, type AzureConnection } from '../../src/azure/connect.js';
import { createCredential } from '../../src/azure/credentials.js';
import type { AzurePort } from '../../src/azure/ports.js';
import { discoverTenant } from '../../src/azure/tenant-discovery.js';
import type { AuthConfig } from '../../src/config/model.js';
import type { RunningEmulator } from '../../src/emulator/api.js';
import { startEmulator } from '../../src/emulator/index.js';
import { AzchrootError, AzureError } from '../../src/errors.js';
import { MemoryReporter } from '../../src/report/reporter.js';
import { addPlatformImage } from './helpers/emulator-images.js';

const noAuth: AuthConfig = { cloudEnvironmentName: 'Public', useAzureCliAuth: false };
let stateDir: string;
let emulator: RunningEmulator;
let conn: AzureConnection;
let azure: AzurePort;
let rg: string;

before(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'azc-emu-'));
  emulator = await startEmulator({
    stateDir, quiet: true, listPageSize: 2,
    directory: { applications: [{ appId: 'app-1', secrets: ['good-secret'] }, { appId: 'setup', secrets: ['x'] }, { appId: 'app-2', secrets: ['x'] }] },
  });
  const reporter = new MemoryReporter();
  conn = await connectAzure({ auth: noAuth, emulator: emulator.endpoints, reporter });
  azure = conn.azure;
  rg = `/subscriptions/${emulator.endpoints.subscriptionId}/resourceGroups/${emulator.endpoints.resourceGroup}/providers/Microsoft.Compute`;
  assert.match(reporter.text(), /Signed in to the Azure emulator as managed identity \(system-assigned\)/);
});

after(async () => {
  try {
    await emulator?.stop();
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test('connectAzure signs in with the managed identity through the emulator\'s IMDS and reads the VM', () => {
  const e = emulator.endpoints;
  assert.equal(conn.vm.name, e.vmName);
  assert.equal(conn.vm.resourceGroup, e.resourceGroup);
  assert.equal(conn.vm.location, e.location);
  assert.equal(conn.vm.resourceId, `${rg}/virtualMachines/${e.vmName}`);
  assert.equal(conn.subscriptionId, e.subscriptionId);
  assert.match(conn.identity, /^managed identity \(system-assigned\)/);
});

test('a client secret signs in at the emulator authority; a refused secret names the identity', async () => {
  const e = emulator.endpoints;
  const sp: AuthConfig = { ...noAuth, clientId: 'app-1', clientSecret: 'good-secret' };
  const ok = await connectAzure({ auth: sp, emulator: e });
  assert.match(ok.identity, new RegExp(`^service principal app-1 \\(client secret\\) in tenant ${e.tenantId}`));
  assert.ok(await ok.azure.images.get(`${rg}/images/none`) === undefined, 'the ARM client works with that token');
  await assert.rejects(connectAzure({ auth: { ...sp, clientSecret: 'invalid-secret' }, emulator: e }), (err: unknown) => {
    assert.ok(AzchrootError.is(err));
    assert.equal(err.code, 'AZC_AUTH_FAILED');
    assert.match(err.message, /could not sign in to Azure as service principal app-1/);
    assert.match(err.message, /AADSTS7000215/);
    return true;
  });
});

test('the emulator\'s tenant is discovered from its 401 challenge', async () => {
  const e = emulator.endpoints;
  assert.equal(await discoverTenant(e.armEndpoint, e.subscriptionId, { ca: readFileSync(e.caCertPath) }), e.tenantId);
});

test('disks: create empty, read, copy, refuse a bad request, delete twice', async () => {
  const id = `${rg}/disks/azc-empty`;
  const created = await azure.disks.create(id, { location: conn.vm.location, sku: 'Standard_LRS', osType: 'Linux', hyperVGeneration: 'V2', diskSizeGB: 1, creation: { createOption: 'Empty' }, tags: { purpose: 'test' } });
  assert.equal(created.id.toLowerCase(), id.toLowerCase());
  assert.equal(created.sku, 'Standard_LRS');
  assert.equal(created.diskSizeGB, 1);
  const read = await azure.disks.get(id);
  assert.equal(read?.hyperVGeneration, 'V2');
  assert.equal(read?.diskState, 'Unattached');
  assert.deepEqual(read?.tags, { purpose: 'test' });
  assert.equal(await azure.disks.get(`${rg}/disks/nope`), undefined);

  const copy = `${rg}/disks/azc-copy`;
  await azure.disks.create(copy, { location: conn.vm.location, sku: 'Premium_LRS', creation: { createOption: 'Copy', sourceResourceId: id } });
  assert.equal((await azure.disks.get(copy))?.diskSizeGB, 1);

  await assert.rejects(azure.disks.create(`${rg}/disks/azc-bad`, { location: conn.vm.location, sku: 'Standard_LRS', creation: { createOption: 'Copy', sourceResourceId: `${rg}/disks/does-not-exist` } }), (err: unknown) => {
    assert.ok(err instanceof AzureError);
    assert.ok(err.azureCode, 'Azure\'s code is kept');
    assert.match(err.message, /^Azure (refused|failed) to create disk .*azc-bad: \w+: ./);
    return true;
  });

  await azure.disks.delete(copy);
  await azure.disks.delete(copy);
  assert.equal(await azure.disks.get(copy), undefined);
});

test('snapshots and images: create, read, revoke access, delete', async () => {
  const disk = `${rg}/disks/azc-src`;
  await azure.disks.create(disk, { location: conn.vm.location, sku: 'Standard_LRS', diskSizeGB: 1, creation: { createOption: 'Empty' } });
  const snap = `${rg}/snapshots/azc-snap`;
  await azure.snapshots.create(snap, { location: conn.vm.location, sourceResourceId: disk });
  await azure.snapshots.revokeAccess(snap);
  const image = `${rg}/images/azc-image`;
  await azure.images.create(image, { location: conn.vm.location, osDisk: { managedDiskId: disk, storageAccountType: 'Standard_LRS', caching: 'ReadOnly' }, dataDisks: [{ lun: 0, snapshotId: snap }] });
  assert.equal((await azure.images.get(image))?.id.toLowerCase(), image.toLowerCase());
  await azure.images.delete(image);
  assert.equal(await azure.images.get(image), undefined);
  await azure.snapshots.delete(snap);
  await azure.snapshots.delete(snap);
  await azure.disks.delete(disk);
});

test('gallery: image definition read, versions created, listed across pages, read and deleted', async () => {
  const e = emulator.endpoints;
  const { credential } = await createCredential({ ...noAuth, clientId: 'setup', clientSecret: 'x' }, { cloud: { name: 'emu', armEndpoint: e.armEndpoint, authorityHost: e.authorityHost, armScope: 'https://management.azure.com/.default' }, tenantId: e.tenantId, ca: readFileSync(e.caCertPath, 'utf8') });
  const sdk = new ComputeManagementClient(credential, e.subscriptionId, { endpoint: e.armEndpoint, tlsOptions: { ca: readFileSync(e.caCertPath, 'utf8') } });
  await sdk.galleries.createOrUpdate(e.resourceGroup, 'gal1', { location: e.location }, { updateIntervalInMs: 10 });
  await sdk.galleryImages.createOrUpdate(e.resourceGroup, 'gal1', 'def1', {
    location: e.location, osType: 'Linux', osState: 'Generalized', hyperVGeneration: 'V2', identifier: { publisher: 'p', offer: 'o', sku: 's' },
    architecture: 'x64', features: [{ name: 'SecurityType', value: 'TrustedLaunchSupported' }],
  }, { updateIntervalInMs: 10 });
  const imageId = `${rg}/galleries/gal1/images/def1`;
  const def = await azure.gallery.getImage(imageId);
  assert.equal(def?.osType, 'Linux');
  assert.equal(def?.hyperVGeneration, 'V2');
  assert.equal(def?.architecture, 'x64');
  assert.equal(def?.securityType, 'TrustedLaunchSupported');
  assert.equal(def?.location, e.location);
  assert.equal(await azure.gallery.getImage(`${rg}/galleries/gal1/images/missing`), undefined);

  const disk = `${rg}/disks/azc-gsrc`;
  await azure.disks.create(disk, { location: e.location, sku: 'Standard_LRS', diskSizeGB: 1, creation: { createOption: 'Empty' } });
  const snap = `${rg}/snapshots/azc-gsnap`;
  await azure.snapshots.create(snap, { location: e.location, sourceResourceId: disk });
  for (const v of ['1.0.0', '1.0.1', '1.1.0']) {
    await azure.gallery.createVersion(`${imageId}/versions/${v}`, {
      location: e.location, osSnapshotId: snap, osHostCaching: 'ReadOnly', dataDisks: v === '1.1.0' ? [{ lun: 2, snapshotId: snap }] : [],
      targetRegions: [{ name: e.location, replicas: 1, storageAccountType: 'Standard_LRS' }], excludeFromLatest: false,
    }, { timeoutMs: 60_000 });
  }
  const versions = await azure.gallery.listVersions(imageId);
  assert.deepEqual(versions.map((v) => v.name).sort(), ['1.0.0', '1.0.1', '1.1.0'], 'three versions over pages of two');
  const latest = await azure.gallery.getVersion(`${imageId}/versions/1.1.0`);
  assert.deepEqual(latest?.targetRegions, [e.location]);
  assert.deepEqual(latest?.dataDiskLuns, [2]);
  assert.equal(latest?.provisioningState, 'Succeeded');
  assert.equal(await azure.gallery.getVersion(`${imageId}/versions/9.9.9`), undefined);

  const fromGallery = `${rg}/disks/azc-from-gallery`;
  await azure.disks.create(fromGallery, { location: e.location, sku: 'Standard_LRS', creation: { createOption: 'FromImage', galleryImageReferenceId: `${imageId}/versions/1.1.0` } });
  assert.ok(await azure.disks.get(fromGallery));
  await azure.disks.delete(fromGallery);

  await azure.gallery.deleteVersion(`${imageId}/versions/1.0.0`);
  assert.equal(await azure.gallery.getVersion(`${imageId}/versions/1.0.0`), undefined);
  await azure.snapshots.delete(snap);
  await azure.disks.delete(disk);
});

test('platform images: versions newest first, "latest" resolved, a disk made from it', async () => {
  for (const v of ['9.0.0', '10.0.0', '10.0.2']) addPlatformImage(stateDir, `Canonical:ubuntu:22_04-lts-gen2:${v}`);
  const ref = { location: conn.vm.location, publisher: 'Canonical', offer: 'ubuntu', sku: '22_04-lts-gen2' };
  const versions = await azure.platformImages.listVersions(ref);
  assert.deepEqual(versions, ['10.0.2', '10.0.0', '9.0.0']);
  const image = await azure.platformImages.get(ref, versions[0] ?? '');
  assert.equal(image?.hyperVGeneration, 'V2');
  assert.equal(await azure.platformImages.get(ref, '1.2.3'), undefined);
  const imageReferenceId = `/subscriptions/${conn.subscriptionId}/providers/Microsoft.Compute/locations/${ref.location}/publishers/Canonical/artifacttypes/vmimage/offers/ubuntu/skus/22_04-lts-gen2/versions/${versions[0]}`;
  const disk = `${rg}/disks/azc-from-platform`;
  const created = await azure.disks.create(disk, { location: ref.location, sku: 'Standard_LRS', osType: 'Linux', hyperVGeneration: 'V2', creation: { createOption: 'FromImage', imageReferenceId } });
  assert.equal(created.diskSizeGB, 1);
  await azure.disks.delete(disk);
});

test('vm: attach retries an injected 409, the device link appears, detach removes it and is idempotent', async () => {
  const disk = `${rg}/disks/azc-attach`;
  await azure.disks.create(disk, { location: conn.vm.location, sku: 'Standard_LRS', diskSizeGB: 1, creation: { createOption: 'Empty' } });
  emulator.addFaults([{ operation: 'virtualMachines.attachDetachDataDisks', status: 409, code: 'OperationNotAllowed', message: 'injected conflict', times: 1 }]);
  const lun = 5;
  const link = join(emulator.endpoints.devroot, 'disk', 'azure', 'scsi1', `lun${lun}`);
  try {
    await azure.vm.attachDisk(conn.vm, disk, lun);
    assert.deepEqual((await azure.vm.listDataDisks(conn.vm)).map((d) => [d.lun, d.diskId.toLowerCase()]), [[lun, disk.toLowerCase()]]);
    assert.match(readlinkSync(link), /loop\d+$/);
    assert.equal((await azure.disks.get(disk))?.diskState, 'Attached');
    await azure.vm.attachDisk(conn.vm, disk, lun);
    await assert.rejects(azure.vm.attachDisk(conn.vm, disk, lun + 1), /already attached .* at LUN 5/);
    await assert.rejects(azure.disks.delete(disk), (err: unknown) => err instanceof AzureError && err.statusCode === 409);
  } finally {
    emulator.clearFaults();
    await azure.vm.detachDisk(conn.vm, disk);
  }
  assert.deepEqual(await azure.vm.listDataDisks(conn.vm), []);
  assert.equal(existsSync(link), false);
  await azure.vm.detachDisk(conn.vm, disk);
  await azure.disks.delete(disk);
});

test('a throttled attach (429 with Retry-After) is retried by the adapter itself', async () => {
  const e = emulator.endpoints;
  const ca = readFileSync(e.caCertPath, 'utf8');
  const { credential } = await createCredential({ ...noAuth, clientId: 'app-2', clientSecret: 'x' }, { cloud: { name: 'emu', armEndpoint: e.armEndpoint, authorityHost: e.authorityHost, armScope: 'https://management.azure.com/.default' }, tenantId: e.tenantId, ca });
  // maxRetries 0 switches off the SDK's own throttling retry, so only the adapter can recover.
  const port = createAzurePort({ credential, subscriptionId: e.subscriptionId, endpoint: e.armEndpoint, ca, pollIntervalMs: 10, retryBaseMs: 10, maxRetries: 0 });
  const disk = `${rg}/disks/azc-throttled`;
  await port.disks.create(disk, { location: e.location, sku: 'Standard_LRS', diskSizeGB: 1, creation: { createOption: 'Empty' } });
  const before = attachRequests();
  emulator.addFaults([{ operation: 'virtualMachines.attachDetachDataDisks', retryAfter: 1, times: 1 }]);
  try {
    await port.vm.attachDisk(conn.vm, disk, 7);
    assert.equal(attachRequests() - before, 2, 'one throttled request, one accepted');
  } finally {
    emulator.clearFaults();
    await port.vm.detachDisk(conn.vm, disk);
    await port.disks.delete(disk);
  }
});

function attachRequests(): number {
  return readFileSync(join(stateDir, 'requests.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"virtualMachines.attachDetachDataDisks"')).length;
}
