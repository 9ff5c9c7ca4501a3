// The emulator's traffic for Packer's and the Azure CLI's api-versions against Azure's API
// definitions (test/openapi/models, extracted by scripts/extract-compute-models.py): a run of
// disk, snapshot, image, gallery and VM calls has no violation, and a wrong field is caught.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startHarness } from '../emulator/helpers/harness.js';
import { checkTraffic, describe, readTraffic, type TrafficEntry } from './api-definitions.js';

async function recordedRun(t: Parameters<typeof startHarness>[0]): Promise<TrafficEntry[]> {
  const h = await startHarness(t, { recordTraffic: true });
  const loc = 'westeurope';
  const put = async (path: string, apiVersion: string, body: unknown) => {
    const r = await h.arm('PUT', `${path}?api-version=${apiVersion}`, { body });
    assert.ok(r.status < 300, `${path}: ${r.status} ${r.text}`);
  };
  await put(`/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/disks/d1`, '2022-07-02', { location: loc, sku: { name: 'Standard_LRS' }, properties: { diskSizeGB: 1, creationData: { createOption: 'Empty' } } });
  await put(`/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/snapshots/s1`, '2019-11-01', { location: loc, properties: { creationData: { createOption: 'Copy', sourceResourceId: h.id('disks/d1') } } });
  await put(`/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/images/i1`, '2019-12-01', { location: loc, properties: { storageProfile: { osDisk: { osType: 'Linux', osState: 'Generalized', managedDisk: { id: h.id('disks/d1') } } } } });
  await put(`/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/galleries/g1`, '2021-10-01', { location: loc });
  await put(`/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/galleries/g1/images/def1`, '2021-10-01', { location: loc, properties: { osType: 'Linux', osState: 'Generalized', identifier: { publisher: 'p', offer: 'o', sku: 's' } } });
  for (const [path, v] of [
    ['disks/d1', '2022-07-02'], ['disks', '2019-11-01'], ['snapshots/s1', '2022-03-02'], ['images/i1', '2022-08-01'], ['images', '2019-12-01'],
    ['galleries/g1', '2021-10-01'], ['galleries/g1/images/def1', '2019-12-01'], ['galleries/g1/images', '2021-10-01'], ['virtualMachines/golden-vm', '2019-12-01'],
    ['virtualMachines/golden-vm', '2022-08-01'], ['disks/missing', '2019-11-01'],
  ] as const) {
    await h.arm('GET', `/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/${path}?api-version=${v}`);
  }
  return readTraffic(join(h.stateDir, 'traffic.jsonl'));
}

test('disk, snapshot, image, gallery and VM traffic at Packer\'s and az\'s api-versions has no violation of the API definitions', async (t) => {
  const traffic = await recordedRun(t);
  const report = checkTraffic(traffic);
  assert.ok(report.checked >= 16, `checked ${report.checked} Compute requests`);
  assert.deepEqual(report.unchecked, [], 'every Compute request had definitions for its api-version');
  assert.equal(report.violations.length, 0, describe(report.violations));
  assert.ok(!traffic.some((e) => JSON.stringify(e).includes('access_token')), 'sign-in traffic is not recorded');
});

test('a wrong field is caught: a string diskSizeGB, a missing required location, a bad error envelope, an array that is not one', async (t) => {
  const traffic = await recordedRun(t);
  const diskGet = traffic.find((e) => e.operation === 'disks.get' && e.status === 200)!;
  const diskPut = traffic.find((e) => e.operation === 'disks.createOrUpdate')!;
  const notFound = traffic.find((e) => e.status === 404)!;
  const list = traffic.find((e) => e.operation === 'disks.list' || e.operation === 'disks.listByResourceGroup') ?? traffic.find((e) => e.operation === 'images.listByResourceGroup')!;
  const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

  const wrongType = clone(diskGet);
  (wrongType.responseBody as any).properties.diskSizeGB = '1';
  const r1 = checkTraffic([wrongType]);
  assert.deepEqual(r1.violations.map((v) => [v.where, v.path]), [['response', 'properties.diskSizeGB']], describe(r1.violations));
  assert.match(r1.violations[0]!.problem, /must be int/);

  const noLocation = clone(diskPut);
  delete (noLocation.requestBody as any).location;
  assert.deepEqual(checkTraffic([noLocation]).violations.map((v) => [v.where, v.path, v.problem]), [['request', 'location', 'is required by Disk']]);

  const badError = clone(notFound);
  badError.responseBody = { code: 'ResourceNotFound' };
  assert.equal(checkTraffic([badError]).violations[0]?.path, 'error');

  const notArray = clone(list);
  (notArray.responseBody as any).value = {};
  assert.match(checkTraffic([notArray]).violations[0]?.problem ?? '', /must be an array/);

  const extra = clone(diskGet);
  (extra.responseBody as any).properties.inventedField = 1;
  assert.ok(checkTraffic([extra]).extra.some((f) => f.path === 'properties.inventedField'), 'a property the definitions lack is reported');
});
