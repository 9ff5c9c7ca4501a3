// The ARM adapter through the real SDK against a scripted local HTTPS server: error mapping,
// 404 handling, failed operations, version ordering and the attach retry on 409.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { createAzurePort } from '../../src/azure/arm.js';
import { compareVersionsDesc } from '../../src/azure/arm-gallery.js';
import type { VmIdentity } from '../../src/azure/ports.js';
import { AzureError, CancelledError } from '../../src/errors.js';
import { json, startServer, type SeenRequest } from './helpers/local-server.js';
import { makeTestTls } from './helpers/local-tls.js';

const sub = '00000000-0000-0000-0000-000000000001';
const rg = `/subscriptions/${sub}/resourceGroups/rg1/providers/Microsoft.Compute`;
const staticCredential = { getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const vm: VmIdentity = { name: 'vm1', resourceGroup: 'rg1', subscriptionId: sub, location: 'westeurope', resourceId: `${rg}/virtualMachines/vm1` };

async function fakeArm(t: { after(fn: () => unknown): void }, route: (req: SeenRequest, res: ServerResponse, origin: string) => unknown) {
  const tls = makeTestTls();
  t.after(() => tls.remove());
  const server = await startServer((req, res) => route(req, res, `https://${req.headers.host}`), tls);
  t.after(() => server.close());
  const azure = createAzurePort({ credential: staticCredential, subscriptionId: sub, endpoint: server.origin, ca: tls.ca, pollIntervalMs: 10, retryBaseMs: 10, maxRetries: 0 });
  return { azure, server };
}

const path = (req: SeenRequest): string => req.url.split('?')[0] ?? '';

test('a 404 on get is undefined; a refused create keeps Azure\'s code, status and text', async (t) => {
  const { azure, server } = await fakeArm(t, (req, res) => {
    if (req.method === 'GET') return json(res, 404, { error: { code: 'ResourceNotFound', message: 'The Resource was not found.' } });
    json(res, 400, { error: { code: 'InvalidParameter', message: 'The value 9999 of diskSizeGB is too large.', target: 'diskSizeGB' } });
  });
  assert.equal(await azure.disks.get(`${rg}/disks/missing`), undefined);
  assert.equal(server.requests[0]?.headers.authorization, 'Bearer test-token');
  await assert.rejects(azure.disks.create(`${rg}/disks/d1`, { location: 'westeurope', sku: 'Standard_LRS', diskSizeGB: 9999, creation: { createOption: 'Empty' } }), (err: unknown) => {
    assert.ok(err instanceof AzureError);
    assert.equal(err.azureCode, 'InvalidParameter');
    assert.equal(err.statusCode, 400);
    assert.equal(err.message, `Azure refused to create disk ${rg}/disks/d1: InvalidParameter: The value 9999 of diskSizeGB is too large.`);
    return true;
  });
  const put = server.requests.find((r) => r.method === 'PUT');
  assert.deepEqual(JSON.parse(put?.body ?? '{}'), {
    location: 'westeurope', sku: { name: 'Standard_LRS' }, properties: { diskSizeGB: 9999, creationData: { createOption: 'Empty' } },
  });
});

test('an operation that ends as Failed is an AzureError with the operation\'s code and message', async (t) => {
  const { azure } = await fakeArm(t, (req, res, origin) => {
    if (req.method === 'PUT') return json(res, 201, { location: 'westeurope', properties: { provisioningState: 'Creating' } }, { 'azure-asyncoperation': `${origin}/op/1?api-version=x` });
    if (path(req) === '/op/1') return json(res, 200, { status: 'Failed', error: { code: 'GalleryImageVersionQuotaExceeded', message: 'Too many versions.' } });
    json(res, 500, {});
  });
  await assert.rejects(azure.gallery.createVersion(`${rg}/galleries/g/images/i/versions/1.0.0`, {
    location: 'westeurope', osSnapshotId: `${rg}/snapshots/s`, dataDisks: [], targetRegions: [], excludeFromLatest: false,
  }), (err: unknown) => {
    assert.ok(err instanceof AzureError);
    assert.equal(err.azureCode, 'GalleryImageVersionQuotaExceeded');
    assert.match(err.message, /create gallery image version .*versions\/1\.0\.0: GalleryImageVersionQuotaExceeded: Too many versions\./);
    return true;
  });
});

test('timeoutMs ends a long-running operation that never finishes', async (t) => {
  const { azure } = await fakeArm(t, (req, res, origin) => {
    if (req.method === 'PUT') return json(res, 202, {}, { 'azure-asyncoperation': `${origin}/op/slow` });
    json(res, 200, { status: 'InProgress' });
  });
  await assert.rejects(azure.snapshots.create(`${rg}/snapshots/s1`, { location: 'westeurope', sourceResourceId: `${rg}/disks/d1` }, { timeoutMs: 200 }), (err: unknown) => {
    assert.ok(err instanceof AzureError);
    assert.match(err.message, /gave up after 0 s waiting for Azure to create snapshot/);
    assert.match(err.hint ?? '', /may still finish/);
    return true;
  });
});

test('platform image versions come newest first by numeric segments, not text order', async (t) => {
  const { azure, server } = await fakeArm(t, (req, res) => json(res, 200, [
    { name: '9.0.1', location: 'westeurope', id: 'a' }, { name: '10.0.0', location: 'westeurope', id: 'b' }, { name: '10.0.10', location: 'westeurope', id: 'c' }, { name: '10.0.9', location: 'westeurope', id: 'd' },
  ]));
  const versions = await azure.platformImages.listVersions({ location: 'westeurope', publisher: 'Canonical', offer: 'ubuntu', sku: '22_04-lts' });
  assert.deepEqual(versions, ['10.0.10', '10.0.9', '10.0.0', '9.0.1']);
  const url = new URL(server.requests[0]?.url ?? '', 'https://x');
  assert.equal(url.pathname, `/subscriptions/${sub}/providers/Microsoft.Compute/locations/westeurope/publishers/Canonical/artifacttypes/vmimage/offers/ubuntu/skus/22_04-lts/versions`);
  assert.equal(url.searchParams.get('$orderby'), 'name desc');
});

test('compareVersionsDesc handles uneven lengths and non-numeric segments', () => {
  assert.deepEqual(['1.2', '1.10', '1.2.1', '1.b', '1.a'].sort(compareVersionsDesc), ['1.b', '1.a', '1.10', '1.2.1', '1.2']);
});

test('attach retries a 409 from attachDetachDataDisks, then waits for the operation; detach of an absent disk is a no-op', async (t) => {
  let attachCalls = 0;
  const disks: { lun: number; managedDisk: { id: string } }[] = [];
  const { azure, server } = await fakeArm(t, (req, res, origin) => {
    if (req.method === 'GET' && path(req).endsWith('/virtualMachines/vm1')) {
      return json(res, 200, { location: 'westeurope', properties: { storageProfile: { dataDisks: disks.map((d) => ({ ...d, createOption: 'Attach' })) } } });
    }
    if (req.method === 'POST' && path(req).endsWith('/attachDetachDataDisks')) {
      attachCalls++;
      if (attachCalls === 1) return json(res, 409, { error: { code: 'OperationNotAllowed', message: 'Another operation is in progress on the VM.' } }, { 'retry-after': '0' });
      const body = JSON.parse(req.body) as { dataDisksToAttach?: { diskId: string; lun: number }[] };
      for (const d of body.dataDisksToAttach ?? []) disks.push({ lun: d.lun, managedDisk: { id: d.diskId } });
      return json(res, 202, {}, { 'azure-asyncoperation': `${origin}/op/attach`, location: `${origin}/op/attach-result` });
    }
    if (path(req) === '/op/attach') return json(res, 200, { status: 'Succeeded' });
    if (path(req) === '/op/attach-result') return json(res, 200, { dataDisks: disks });
    json(res, 404, { error: { code: 'NotFound', message: req.url } });
  });
  const diskId = `${rg}/disks/os1`;
  await azure.vm.attachDisk(vm, diskId, 3);
  assert.equal(attachCalls, 2, 'one refused attempt, one accepted');
  const sent = JSON.parse(server.requests.filter((r) => r.method === 'POST').at(-1)?.body ?? '{}') as unknown;
  assert.deepEqual(sent, { dataDisksToAttach: [{ diskId, lun: 3 }] });
  assert.deepEqual(await azure.vm.listDataDisks(vm), [{ lun: 3, diskId }]);
  await azure.vm.attachDisk(vm, diskId.toUpperCase(), 3);
  assert.equal(attachCalls, 2, 'attaching an attached disk at the same LUN sends nothing');
  await azure.vm.detachDisk(vm, `${rg}/disks/not-attached`);
  assert.equal(attachCalls, 2, 'detaching a disk that is not attached sends nothing');
});

test('attach gives up after the configured retries and reports Azure\'s conflict', async (t) => {
  const tls = makeTestTls();
  t.after(() => tls.remove());
  const server = await startServer((req, res) => {
    if (req.method === 'GET') return json(res, 200, { location: 'westeurope', properties: { storageProfile: { dataDisks: [] } } });
    json(res, 409, { error: { code: 'OperationNotAllowed', message: 'busy' } });
  }, tls);
  t.after(() => server.close());
  const azure = createAzurePort({ credential: staticCredential, subscriptionId: sub, endpoint: server.origin, ca: tls.ca, pollIntervalMs: 10, retryBaseMs: 5, conflictRetries: 2, maxRetries: 0 });
  await assert.rejects(azure.vm.attachDisk(vm, `${rg}/disks/os1`, 0), (err: unknown) => {
    assert.ok(err instanceof AzureError);
    assert.equal(err.statusCode, 409);
    assert.match(err.message, /OperationNotAllowed: busy/);
    return true;
  });
  assert.equal(server.requests.filter((r) => r.method === 'POST').length, 3);
});

test('aborting the signal while an operation runs is a CancelledError naming the operation', async (t) => {
  const { azure } = await fakeArm(t, (req, res, origin) => {
    if (req.method === 'PUT') return json(res, 202, {}, { 'azure-asyncoperation': `${origin}/op/forever` });
    json(res, 200, { status: 'InProgress' });
  });
  const controller = new AbortController();
  const pending = azure.images.create(`${rg}/images/img1`, { location: 'westeurope', osDisk: { managedDiskId: `${rg}/disks/d1` }, dataDisks: [] }, { signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(pending, (err: unknown) => {
    assert.ok(err instanceof CancelledError);
    assert.match(err.message, /create image .*images\/img1/);
    return true;
  });
});
