import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createImdsClient, parseInstance } from '../../src/azure/imds.js';
import { AzchrootError } from '../../src/errors.js';
import { closedPort, json, startServer } from './helpers/local-server.js';

const compute = {
  name: 'golden-vm', resourceGroupName: 'rg1', subscriptionId: 'sub-1', location: 'westeurope', zone: '',
  resourceId: '/subscriptions/sub-1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/golden-vm', vmScaleSetName: '',
};

test('getInstance reads the instance document once, with Metadata: true and api-version 2021-02-01', async (t) => {
  const server = await startServer((req, res) => json(res, 200, { compute, network: {} }));
  t.after(() => server.close());
  const imds = createImdsClient(server.origin);
  const vm = await imds.getInstance();
  assert.deepEqual(vm, {
    name: 'golden-vm', resourceGroup: 'rg1', subscriptionId: 'sub-1', location: 'westeurope', zone: undefined,
    resourceId: compute.resourceId, vmScaleSetName: undefined,
  });
  await imds.getInstance();
  assert.equal(server.requests.length, 1, 'the result is cached');
  const [req] = server.requests;
  assert.equal(req?.url, '/metadata/instance?api-version=2021-02-01');
  assert.equal(req?.headers.metadata, 'true');
});

test('a zone and scale set are kept; a double leading slash in resourceId is collapsed', () => {
  const vm = parseInstance(JSON.stringify({ compute: { ...compute, zone: '2', vmScaleSetName: 'ss', resourceId: `/${compute.resourceId}` } }));
  assert.equal(vm.zone, '2');
  assert.equal(vm.vmScaleSetName, 'ss');
  assert.equal(vm.resourceId, compute.resourceId);
});

test('HTTP 400 is an AZC_IMDS_UNREACHABLE error with the endpoint, the status and the --emulator hint', async (t) => {
  const server = await startServer((req, res) => json(res, 400, { error: 'Bad request. Required metadata header not specified' }));
  t.after(() => server.close());
  await assert.rejects(createImdsClient(server.origin).getInstance(), (err: unknown) => {
    assert.ok(AzchrootError.is(err));
    assert.equal(err.code, 'AZC_IMDS_UNREACHABLE');
    assert.ok(err.message.includes(server.origin));
    assert.match(err.message, /HTTP 400/);
    assert.match(err.hint ?? '', /--emulator/);
    return true;
  });
  assert.equal(server.requests.length, 1, 'HTTP errors are not retried');
});

test('an unreachable endpoint is retried twice, then reported clearly', async () => {
  const endpoint = `http://127.0.0.1:${await closedPort()}`;
  await assert.rejects(createImdsClient(endpoint).getInstance(), (err: unknown) => {
    assert.ok(AzchrootError.is(err));
    assert.equal(err.code, 'AZC_IMDS_UNREACHABLE');
    assert.ok(err.message.includes(endpoint), err.message);
    assert.match(err.message, /3 attempts/);
    assert.match(err.hint ?? '', /must run on an Azure VM/);
    return true;
  });
});

test('a transport failure followed by success is recovered by the retry', async (t) => {
  let calls = 0;
  const server = await startServer((req, res) => {
    calls++;
    if (calls === 1) { res.socket?.destroy(); return; }
    json(res, 200, { compute });
  });
  t.after(() => server.close());
  const vm = await createImdsClient(server.origin).getInstance();
  assert.equal(vm.name, 'golden-vm');
  assert.equal(calls, 2);
});

test('a document without compute.name is refused as AZC_IMDS_INVALID', () => {
  assert.throws(() => parseInstance(JSON.stringify({ compute: { ...compute, name: '' } })), (err: unknown) => {
    assert.ok(AzchrootError.is(err));
    assert.equal(err.code, 'AZC_IMDS_INVALID');
    assert.match(err.message, /compute\.name/);
    return true;
  });
});

test('an aborted signal stops the request', async (t) => {
  const server = await startServer(() => { /* never answers */ });
  t.after(() => server.close());
  const controller = new AbortController();
  const pending = createImdsClient(server.origin).getInstance(controller.signal);
  controller.abort(new Error('stop'));
  await assert.rejects(pending, /stop/);
});
