// The retry policy of every ARM call, through the real SDK against a scripted local HTTPS server,
// with an injected clock: waits are recorded, never slept, so Retry-After values of minutes cost
// nothing and the deadline is exact.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { ArmCallError } from '../../src/azure/arm-call.js';
import { createAzurePort } from '../../src/azure/arm.js';
import type { VmIdentity } from '../../src/azure/ports.js';
import { classify, RETRIABLE_CONFLICT_CODES, RETRIABLE_OPERATION_CODES, type RetryClock } from '../../src/azure/retry-policy.js';
import { AzureError } from '../../src/errors.js';
import { json, startServer, type SeenRequest } from './helpers/local-server.js';
import { makeTestTls } from './helpers/local-tls.js';

const sub = '00000000-0000-0000-0000-000000000001';
const rg = `/subscriptions/${sub}/resourceGroups/rg1/providers/Microsoft.Compute`;
const staticCredential = { getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const vm: VmIdentity = { name: 'vm1', resourceGroup: 'rg1', subscriptionId: sub, location: 'westeurope', resourceId: `${rg}/virtualMachines/vm1` };
const DEADLINE = 600_000;

/** A clock whose sleep only moves time forward and records the wait. */
function fakeClock(): RetryClock & { waits: number[] } {
  let now = 1_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    random: () => 0.5, // no jitter: back-off is exactly base * 2^n
    async sleep(ms) {
      waits.push(ms);
      now += ms;
    },
  };
}

async function fakeArm(t: { after(fn: () => unknown): void }, route: (req: SeenRequest, res: ServerResponse, origin: string) => unknown) {
  const tls = makeTestTls();
  t.after(() => tls.remove());
  const server = await startServer((req, res) => route(req, res, `https://${req.headers.host}`), tls);
  t.after(() => server.close());
  const clock = fakeClock();
  const log: string[] = [];
  const azure = createAzurePort({
    credential: staticCredential, subscriptionId: sub, endpoint: server.origin, ca: tls.ca, pollIntervalMs: 1,
    retry: { deadlineMs: DEADLINE, baseDelayMs: 1000, maxDelayMs: 60_000, maxRetryAfterMs: 120_000 },
    clock, log: (l) => log.push(l),
  });
  return { azure, server, clock, log };
}

const path = (req: SeenRequest): string => req.url.split('?')[0] ?? '';
const count = (reqs: SeenRequest[], method: string, suffix = '') => reqs.filter((r) => r.method === method && path(r).endsWith(suffix)).length;
const diskSpec = { location: 'westeurope', sku: 'Standard_LRS', diskSizeGB: 4, creation: { createOption: 'Empty' as const } };
const okDisk = (res: ServerResponse) => json(res, 200, { id: `${rg}/disks/d1`, location: 'westeurope', properties: { provisioningState: 'Succeeded', diskSizeGB: 4 } });

test('429 and 503 wait what Retry-After says (seconds or HTTP date), capped; the SDK sends each request once', async (t) => {
  let puts = 0;
  const { azure, server, clock, log } = await fakeArm(t, (req, res) => {
    if (req.method !== 'PUT') return json(res, 500, {});
    puts += 1;
    if (puts === 1) return json(res, 429, { error: { code: 'TooManyRequests', message: 'throttled' } }, { 'retry-after': '7' });
    if (puts === 2) return json(res, 503, { error: { code: 'ServiceUnavailable', message: 'busy' } }, { 'retry-after': '3600' });
    if (puts === 3) return json(res, 503, { error: { code: 'ServiceUnavailable', message: 'busy' } }, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() });
    okDisk(res);
  });
  const disk = await azure.disks.create(`${rg}/disks/d1`, diskSpec);
  assert.equal(disk.diskSizeGB, 4);
  assert.equal(count(server.requests, 'PUT'), 4, 'one request per attempt: no SDK retry on top');
  assert.equal(clock.waits[0], 7000);
  assert.equal(clock.waits[1], 120_000, 'Retry-After of an hour is capped');
  assert.ok(clock.waits[2]! > 25_000 && clock.waits[2]! <= 30_000, `HTTP-date Retry-After: ${clock.waits[2]}`);
  assert.match(log[0] ?? '', /create disk .*d1: attempt 1 failed \(HTTP 429 TooManyRequests\); retrying in 7000 ms/);
});

test('a 500 answered once is retried after the back-off; 500 forever gives up at the deadline with Azure\'s code and text', async (t) => {
  let gets = 0;
  const { azure, server, clock } = await fakeArm(t, (req, res) => {
    if (path(req).endsWith('/disks/once')) {
      gets += 1;
      return gets === 1 ? json(res, 500, { error: { code: 'InternalServerError', message: 'oops' } }) : okDisk(res);
    }
    json(res, 500, { error: { code: 'InternalServerError', message: 'The server had an error.' } });
  });
  assert.equal((await azure.disks.get(`${rg}/disks/once`))?.diskSizeGB, 4);
  assert.deepEqual(clock.waits, [1000]);
  clock.waits.length = 0;

  await assert.rejects(azure.disks.get(`${rg}/disks/always`), (err: unknown) => {
    assert.ok(err instanceof AzureError);
    assert.equal(err.statusCode, 500);
    assert.equal(err.azureCode, 'InternalServerError');
    assert.match(err.message, /^Azure refused to read disk \S+\/disks\/always: InternalServerError: The server had an error\. \(gave up after \d+ attempts in \d+ min\)$/);
    assert.match(err.hint ?? '', /AZCHROOT_AZURE_RETRY_DEADLINE_MS/);
    return true;
  });
  // 1, 2, 4 ... 32 s, then 60 s waits, never past the 10 min deadline.
  assert.deepEqual(clock.waits.slice(0, 7), [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000]);
  assert.ok(clock.waits.reduce((a, b) => a + b, 0) <= DEADLINE);
  assert.equal(count(server.requests, 'GET', '/disks/always'), clock.waits.length + 1);
});

test('errors Azure will not change fail at once: 400, 403, 404 on create, a 409 that is not a concurrency conflict', async (t) => {
  const { azure, server, clock } = await fakeArm(t, (req, res) => {
    const p = path(req);
    if (p.endsWith('/bad')) return json(res, 400, { error: { code: 'InvalidParameter', message: 'diskSizeGB is too large.' } });
    if (p.endsWith('/forbidden')) return json(res, 403, { error: { code: 'AuthorizationFailed', message: 'no role' } });
    if (p.endsWith('/gone')) return json(res, 404, { error: { code: 'ResourceNotFound', message: 'source not found' } });
    json(res, 409, { error: { code: 'PropertyChangeNotAllowed', message: "Changing property 'osType' is not allowed." } });
  });
  for (const [name, status, code] of [['bad', 400, 'InvalidParameter'], ['forbidden', 403, 'AuthorizationFailed'], ['gone', 404, 'ResourceNotFound'], ['prop', 409, 'PropertyChangeNotAllowed']] as const) {
    await assert.rejects(azure.disks.create(`${rg}/disks/${name}`, diskSpec), (err: unknown) => {
      assert.ok(err instanceof AzureError, name);
      assert.equal(err.statusCode, status);
      assert.equal(err.azureCode, code);
      assert.doesNotMatch(err.message, /gave up/);
      return true;
    });
    assert.equal(count(server.requests, 'PUT', `/${name}`), 1, `${name}: one attempt`);
  }
  assert.deepEqual(clock.waits, []);
});

test('each 409 concurrency code on attach is retried; the VM model is read before every attempt', async (t) => {
  for (const code of ['OperationNotAllowed', 'AttachDiskWhileBeingDetached', 'Conflict', 'OperationPreempted']) {
    let posts = 0;
    let attached = false;
    const { azure, server, clock } = await fakeArm(t, (req, res) => {
      if (req.method === 'GET') return json(res, 200, { location: 'westeurope', properties: { storageProfile: { dataDisks: attached ? [{ lun: 0, managedDisk: { id: `${rg}/disks/os1` } }] : [] } } });
      posts += 1;
      if (posts <= 2) return json(res, 409, { error: { code, message: 'Another operation is in progress.' } });
      attached = true;
      json(res, 200, {});
    });
    await azure.vm.attachDisk(vm, `${rg}/disks/os1`, 0);
    assert.equal(posts, 3, code);
    assert.equal(count(server.requests, 'GET'), 3, `${code}: one read per attempt`);
    assert.deepEqual(clock.waits, [1000, 2000], code);
  }
});

test('a failed operation with a transient code is issued again: attach preempted, snapshot InternalExecutionError', async (t) => {
  let posts = 0;
  let snapshotPuts = 0;
  const { azure } = await fakeArm(t, (req, res, origin) => {
    const p = path(req);
    if (req.method === 'GET' && p.endsWith('/virtualMachines/vm1')) return json(res, 200, { location: 'westeurope', properties: { storageProfile: { dataDisks: [] } } });
    if (req.method === 'POST') {
      posts += 1;
      return json(res, 202, {}, { 'azure-asyncoperation': `${origin}/op/attach${posts}` });
    }
    if (req.method === 'PUT') {
      snapshotPuts += 1;
      return json(res, 201, { location: 'westeurope', properties: { provisioningState: 'Creating' } }, { 'azure-asyncoperation': `${origin}/op/snap${snapshotPuts}` });
    }
    if (p === '/op/attach1') return json(res, 200, { status: 'Failed', error: { code: 'OperationPreempted', message: 'Operation execution has been preempted by a more recent operation.' } });
    if (p === '/op/snap1') return json(res, 200, { status: 'Failed', error: { code: 'InternalExecutionError', message: 'An internal execution error occurred.' } });
    if (p.startsWith('/op/')) return json(res, 200, { status: 'Succeeded' });
    json(res, 200, { location: 'westeurope', properties: { provisioningState: 'Succeeded' } });
  });
  await azure.vm.attachDisk(vm, `${rg}/disks/os1`, 0);
  assert.equal(posts, 2);
  await azure.snapshots.create(`${rg}/snapshots/s1`, { location: 'westeurope', sourceResourceId: `${rg}/disks/os1` });
  assert.equal(snapshotPuts, 2);
});

test('a failed operation with a lasting code fails at once with that code', async (t) => {
  let puts = 0;
  const { azure } = await fakeArm(t, (req, res, origin) => {
    if (req.method === 'PUT') {
      puts += 1;
      return json(res, 201, {}, { 'azure-asyncoperation': `${origin}/op/1` });
    }
    json(res, 200, { status: 'Failed', error: { code: 'InternalDiskManagementError', message: 'The disk could not be provisioned.' } });
  });
  await assert.rejects(azure.disks.create(`${rg}/disks/d1`, diskSpec), /InternalDiskManagementError: The disk could not be provisioned\.$/);
  assert.equal(puts, 1);
});

test('a delete refused while the resource is still Creating waits for it to settle, then deletes', async (t) => {
  let state = 'Creating';
  let deletes = 0;
  let getsWhileBusy = 0;
  const { azure, server } = await fakeArm(t, (req, res) => {
    if (req.method === 'GET') {
      if (state === 'Creating') {
        getsWhileBusy += 1;
        if (getsWhileBusy === 3) state = 'Succeeded';
      }
      return json(res, 200, { location: 'westeurope', properties: { provisioningState: state } });
    }
    deletes += 1;
    if (state === 'Creating') return json(res, 409, { error: { code: 'OperationNotAllowed', message: 'An operation on the disk is still in progress.' } });
    json(res, 200, {});
  });
  await azure.disks.delete(`${rg}/disks/d1`);
  assert.equal(deletes, 2, 'the second delete comes after the disk settled');
  const methods = server.requests.map((r) => r.method);
  assert.deepEqual(methods, ['DELETE', 'GET', 'GET', 'GET', 'DELETE']);
});

test('a delete answered 404 is success; a request that gets no answer in time is retried', async (t) => {
  let gets = 0;
  const tls = makeTestTls();
  t.after(() => tls.remove());
  const server = await startServer((req, res) => {
    if (req.method === 'DELETE') return json(res, 404, { error: { code: 'ResourceNotFound', message: 'gone' } });
    gets += 1;
    if (gets === 1) return; // never answered: the per-request limit ends it
    okDisk(res);
  }, tls);
  t.after(() => server.close());
  const clock = fakeClock();
  const azure = createAzurePort({ credential: staticCredential, subscriptionId: sub, endpoint: server.origin, ca: tls.ca, pollIntervalMs: 1, requestTimeoutMs: 200, retry: { baseDelayMs: 10 }, clock });
  await azure.disks.delete(`${rg}/disks/d1`);
  assert.equal((await azure.disks.get(`${rg}/disks/d1`))?.diskSizeGB, 4);
  assert.equal(gets, 2);
  assert.deepEqual(clock.waits, [10]);
});

test('classify: the code lists, and what is never retried', () => {
  const refused = (status: number, code?: string) => new ArmCallError('x', 'refused', { statusCode: status, azureCode: code });
  for (const code of RETRIABLE_CONFLICT_CODES) assert.equal(classify(refused(409, code)).retry, true, code);
  for (const code of RETRIABLE_OPERATION_CODES) assert.equal(classify(new ArmCallError('x', 'operationFailed', { azureCode: code })).retry, true, code);
  for (const status of [408, 429, 500, 502, 503, 504]) assert.equal(classify(refused(status)).retry, true, String(status));
  for (const status of [400, 401, 403, 404]) assert.equal(classify(refused(status)).retry, false, String(status));
  assert.equal(classify(refused(409, 'PropertyChangeNotAllowed')).retry, false);
  assert.equal(classify(new ArmCallError('x', 'operationFailed', { azureCode: 'InvalidParameter' })).retry, false);
  assert.equal(classify(new ArmCallError('x', 'operationFailed', {})).retry, false, 'Failed without a code');
  assert.equal(classify(new ArmCallError('x', 'operationCanceled', {})).retry, true);
  assert.equal(classify(new ArmCallError('x', 'noAnswer', {})).retry, true);
  assert.equal(classify(new AzureError('x', { azureCode: 'Timeout' })).retry, false, 'our own operation time limit');
  assert.equal(classify(new Error('x')).retry, false);
});

test('a delete refused because the settled disk is still attached fails at once with Azure\'s 409', async (t) => {
  const { azure, server, clock } = await fakeArm(t, (req, res) => {
    if (req.method === 'GET') return json(res, 200, { location: 'westeurope', managedBy: `${rg}/virtualMachines/vm1`, properties: { provisioningState: 'Succeeded', diskState: 'Attached' } });
    json(res, 409, { error: { code: 'OperationNotAllowed', message: 'Disk d1 is attached to VM vm1.' } });
  });
  await assert.rejects(azure.disks.delete(`${rg}/disks/d1`), (err: unknown) => {
    assert.ok(err instanceof AzureError);
    assert.equal(err.statusCode, 409);
    assert.match(err.message, /OperationNotAllowed: Disk d1 is attached to VM vm1\.$/);
    return true;
  });
  assert.deepEqual(server.requests.map((r) => r.method), ['DELETE', 'GET']);
  assert.equal(clock.waits.length, 1);
});
