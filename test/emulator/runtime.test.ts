import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { FAST, httpsRequest, startHarness } from './helpers/harness.js';
import { readEndpoints } from '../../src/emulator/start.js';
import { AzchrootError } from '../../src/errors.js';
import { createLatencyModel } from '../../src/emulator/latency.js';
import type { RequestLogEntry } from '../../src/emulator/state-layout.js';

const loc = 'westeurope';
const emptyDisk = { location: loc, diskSizeGB: 1, creationData: { createOption: 'Empty' as const } };

test('faults: status N times, then success; options, faults.json and admin endpoint all feed the rules', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'azemu-faults-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  writeFileSync(join(stateDir, 'faults.json'), JSON.stringify([{ operation: 'snapshots.createOrUpdate', status: 500, code: 'InternalExecutionError', times: 1 }]));
  const h = await startHarness(t, { stateDir, faults: [{ operation: 'disks.createOrUpdate', status: 409, code: 'Conflict', message: 'busy', times: 2 }] });
  const c = h.client();
  for (let i = 0; i < 2; i++) {
    await assert.rejects(c.disks.createOrUpdate(h.rg, 'd', emptyDisk, FAST), (e: any) => e.statusCode === 409 && e.code === 'Conflict' && e.message === 'busy');
  }
  await c.disks.createOrUpdate(h.rg, 'd', emptyDisk, FAST);
  await assert.rejects(c.snapshots.createOrUpdate(h.rg, 's', { location: loc, creationData: { createOption: 'Copy', sourceResourceId: h.id('disks/d') } }, FAST), (e: any) => e.statusCode === 500 && e.code === 'InternalExecutionError');

  const admin = h.emu.endpoints.adminEndpoint;
  const added = await httpsRequest(`${admin}/faults`, h.ca, 'POST', JSON.stringify([{ operation: '*', failLro: true, code: 'DiskServiceInternalError', message: 'boom', times: 1 }]));
  assert.equal(added.status, 200);
  assert.equal(added.body.faults.length, 1);
  await assert.rejects(c.disks.createOrUpdate(h.rg, 'failed', emptyDisk, FAST), (e: any) => /boom/.test(e.message));
  assert.equal((await c.disks.get(h.rg, 'failed')).provisioningState, 'Failed');
  const badRule = await httpsRequest(`${admin}/faults`, h.ca, 'POST', JSON.stringify({ operation: 'x' }));
  assert.equal(badRule.status, 400);
  h.emu.addFaults([{ operation: 'disks.get', status: 503 }]);
  await assert.rejects(c.disks.get(h.rg, 'd'), (e: any) => e.statusCode === 503);
  assert.equal((await httpsRequest(`${admin}/faults`, h.ca, 'DELETE')).status, 204);
  assert.equal((await c.disks.get(h.rg, 'd')).name, 'd');
});

test('faults: throttling answers 429 with an integer Retry-After; the SDK retries it', async (t) => {
  const h = await startHarness(t);
  const c = h.client();
  await c.disks.createOrUpdate(h.rg, 'd', emptyDisk, FAST);
  h.emu.addFaults([{ operation: 'disks.get', retryAfter: 0, times: 1 }]);
  const raw = await h.arm('GET', `/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/disks/d?api-version=2025-01-02`);
  assert.equal(raw.status, 429);
  assert.equal(raw.headers['retry-after'], '0');
  assert.equal(raw.body.error.code, 'TooManyRequests');
  h.emu.addFaults([{ operation: 'disks.get', retryAfter: 1, times: 1 }]);
  const retrying = new (await import('@azure/arm-compute')).ComputeManagementClient(
    { getToken: async () => ({ token: await h.token(), expiresOnTimestamp: Date.now() + 3_600_000 }) },
    h.sub,
    { endpoint: h.emu.endpoints.armEndpoint, tlsOptions: { ca: h.ca }, retryOptions: { maxRetries: 2, retryDelayInMs: 1 } },
  );
  assert.equal((await retrying.disks.get(h.rg, 'd')).name, 'd');
});

test('faults: link delay and neverLink reach DiskBackend.attach', async (t) => {
  const h = await startHarness(t, { faults: [{ operation: 'virtualMachines.attachDetachDataDisks', neverLink: true, times: 1 }] });
  const c = h.client();
  await c.disks.createOrUpdate(h.rg, 'd', emptyDisk, FAST);
  await c.virtualMachines.attachDetachDataDisks(h.rg, 'golden-vm', { dataDisksToAttach: [{ diskId: h.id('disks/d'), lun: 0 }] }, FAST);
  assert.deepEqual(h.backend.attached.get(0)?.options, { linkDelayMs: undefined, neverLink: true });
});

test('latency: the azure profile reports InProgress before Succeeded; instant completes on the first poll', async (t) => {
  assert.equal(createLatencyModel('instant').delayFor('galleryVersion.region', 3), 0);
  assert.equal(createLatencyModel('azure', 0.5).delayFor('galleryVersion.region', 2), 900_000);
  // disk.create is 5 s under the azure profile: 500 ms at scale 0.1.
  const h = await startHarness(t, { latency: 'azure', latencyScale: 0.1 });
  const put = await h.arm('PUT', `/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/disks/slow?api-version=2019-11-01`, { body: { location: loc, properties: { diskSizeGB: 1, creationData: { createOption: 'Empty' } } } });
  const ao = String(put.headers['azure-asyncoperation']).replace(h.emu.endpoints.armEndpoint, '');
  const monitorPath = String(put.headers.location).replace(h.emu.endpoints.armEndpoint, '');
  const monitorStatuses = new Set<number>();
  const seen: string[] = [];
  for (let i = 0; i < 1000 && seen.at(-1) !== 'Succeeded'; i++) {
    monitorStatuses.add((await h.arm('GET', monitorPath)).status);
    const s = await h.arm('GET', ao);
    seen.push(s.body.status);
    // ARM's smallest Retry-After (10 s) for a 5 s disk create, scaled by 0.1.
    if (s.body.status === 'InProgress') assert.equal(s.headers['retry-after'], '1');
    await sleep(20);
  }
  assert.ok(monitorStatuses.has(202), 'the Location URL answers 202 while running');
  assert.ok(monitorStatuses.has(200) || seen.at(-1) === 'Succeeded');
  assert.equal(seen[0], 'InProgress');
  assert.equal(seen.at(-1), 'Succeeded');
  const c = h.client();
  assert.equal((await c.disks.get(h.rg, 'slow')).provisioningState, 'Succeeded');
});

test('request log: one entry per request with method, path, api-version, operation, status', async (t) => {
  const h = await startHarness(t);
  const c = h.client();
  await c.disks.createOrUpdate(h.rg, 'd', emptyDisk, FAST);
  await assert.rejects(c.disks.get(h.rg, 'missing'));
  const entries = readFileSync(join(h.stateDir, 'requests.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RequestLogEntry);
  const put = entries.find((e) => e.operation === 'disks.createOrUpdate');
  assert.ok(put);
  assert.equal(put.method, 'PUT');
  assert.equal(put.status, 202);
  assert.equal(put.apiVersion, '2025-01-02');
  assert.equal(put.path, `/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/disks/d`);
  assert.equal(typeof put.durationMs, 'number');
  assert.ok(!Number.isNaN(Date.parse(put.time)));
  assert.ok(entries.some((e) => e.operation === 'operations.get' && e.status === 200));
  assert.ok(entries.some((e) => e.operation === 'disks.get' && e.status === 404));
  assert.ok(entries.some((e) => e.operation === 'imds.token'));
});

test('state persists across restarts; endpoints.json lives while serving; a second emulator on the same state is refused', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'azemu-restart-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const first = await startHarness(t, { stateDir });
  const vmId = (await first.client().virtualMachines.get(first.rg, 'golden-vm')).vmId;
  await first.client().disks.createOrUpdate(first.rg, 'keep', emptyDisk, FAST);
  assert.deepEqual(readEndpoints(stateDir), first.emu.endpoints);
  await assert.rejects(startHarness(t, { stateDir }), (err: unknown) => {
    // An ordinary situation, the user's to resolve: not reported as a bug.
    assert.ok(AzchrootError.is(err) && err.source === 'user', String(err));
    assert.equal(err.code, 'AZC_EMULATOR_BUSY');
    assert.match(err.message, /another emulator \(pid \d+\) is serving /);
    assert.match(err.hint ?? '', /another state directory/);
    return true;
  });
  const caBefore = readFileSync(first.emu.endpoints.caCertPath, 'utf8');
  await first.emu.stop();
  assert.equal(existsSync(join(stateDir, 'endpoints.json')), false);
  assert.equal(readEndpoints(stateDir), undefined);
  assert.ok(first.backend.calls.includes('detachAll'));

  const second = await startHarness(t, { stateDir });
  assert.equal(readFileSync(second.emu.endpoints.caCertPath, 'utf8'), caBefore, 'certificates are cached');
  const c = second.client();
  assert.equal((await c.disks.get(second.rg, 'keep')).diskSizeGB, 1);
  assert.equal((await c.virtualMachines.get(second.rg, 'golden-vm')).vmId, vmId);
});

test('a bad faults.json is a user error naming the file and the problem, and leaves the state directory free', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'azemu-faults-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const file = join(stateDir, 'faults.json');
  for (const [text, problem] of [
    ['[{"operation": "disks.create", "status": 503', /JSON|Unexpected end/],
    ['{"operation": "disks.create"}', /must hold a JSON array of fault rules/],
    ['[{"operation": "disks.create", "status": 200}]', /status must be an HTTP error status 400-599, got 200/],
  ] as const) {
    writeFileSync(file, text);
    await assert.rejects(startHarness(t, { stateDir }), (err: unknown) => {
      assert.ok(AzchrootError.is(err) && err.source === 'user', String(err));
      assert.equal(err.code, 'AZC_EMULATOR_FAULTS');
      assert.ok(err.message.startsWith(`cannot use the fault rules in ${file}: `), err.message);
      assert.match(err.message, problem);
      return true;
    });
    assert.equal(readEndpoints(stateDir), undefined, 'a refused start does not hold the state directory');
  }
  writeFileSync(file, '[{"operation": "disks.create", "status": 503, "times": 1}]');
  const h = await startHarness(t, { stateDir });
  await h.emu.stop();
});
