// api-versions: every version our SDK, Packer 1.6.6 and az 2.45 send is accepted for its resource
// type; others are refused with Azure's NoRegisteredProviderFound naming the supported list. IMDS
// refuses unknown versions too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './helpers/harness.js';

test('api-versions: clients\' versions are accepted per type; an unknown or wrong-family version is NoRegisteredProviderFound with the list', async (t) => {
  const h = await startHarness(t);
  const base = `/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute`;
  const vm = `${base}/virtualMachines/${h.emu.endpoints.vmName}`;
  const version = `${base}/galleries/azchroot_gallery/images/quickstart`;
  const accepted: Array<[string, string, string]> = [
    // @azure/arm-compute 24.1.0
    ['SDK disks', `${base}/disks/nope`, '2025-01-02'],
    ['SDK VM', vm, '2026-03-01'],
    ['SDK gallery image', version, '2025-03-03'],
    // Packer 1.6.6 (Debian), captured
    ['Packer disks', `${base}/disks/nope`, '2019-11-01'],
    ['Packer VM', vm, '2019-12-01'],
    ['Packer gallery image', version, '2019-12-01'],
    // az 2.45 (profile latest, with the test shim mapping compute 2022-11-01 to the installed 2022-08-01)
    ['az disks', `${base}/disks/nope`, '2022-07-02'],
    ['az snapshots', `${base}/snapshots/nope`, '2022-03-02'],
    ['az VM', vm, '2022-08-01'],
    ['az galleries', `${base}/galleries/azchroot_gallery`, '2021-10-01'],
    ['az versions', `${version}/versions`, '2022-03-03'],
  ];
  for (const [what, path, v] of accepted) {
    const res = await h.arm('GET', `${path}?api-version=${v}`);
    assert.ok(res.status === 200 || res.status === 404, `${what} ${v}: ${res.status} ${res.text}`);
    if (res.status === 404) assert.equal(res.body.error.code, 'ResourceNotFound', `${what} ${v}`);
  }
  for (const [path, v, type] of [
    [`${base}/disks/nope`, '2026-03-01', 'disks'],
    [vm, '2025-01-02', 'virtualMachines'],
    [`${version}/versions`, '2099-01-01', 'galleries/images/versions'],
  ] as const) {
    const res = await h.arm('GET', `${path}?api-version=${v}`);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error.code, 'NoRegisteredProviderFound');
    assert.match(res.body.error.message, new RegExp(`^No registered resource provider found for location 'westeurope' and API version '${v}' for type '${type}'\\. The supported api-versions are '2017-03-30, |^No registered resource provider found for location 'westeurope' and API version '${v}' for type '${type}'\\. The supported api-versions are '20`));
  }
  const disks = await h.arm('GET', `${base}/disks/nope?api-version=1999-01-01`);
  assert.match(disks.body.error.message, /'2017-03-30, 2018-04-01, .*2019-11-01, .*2025-01-02, 2026-03-02'/);
});

test('api-versions: IMDS refuses an unknown version and names the newest ones; Packer\'s 2017-08-01 is served', async (t) => {
  const h = await startHarness(t);
  const get = (q: string) => fetch(`${h.emu.endpoints.imdsEndpoint}/metadata/instance?${q}`, { headers: { Metadata: 'true' } });
  const bad = await get('api-version=2099-01-01');
  assert.equal(bad.status, 400);
  const body = (await bad.json()) as { error: string; 'newest-versions': string[] };
  assert.match(body.error, /api-version '2099-01-01' is invalid/);
  assert.equal(body['newest-versions'][0], '2023-07-01');
  assert.equal((await get('api-version=2017-08-01')).status, 200);
  assert.equal((await get('api-version=2021-02-01')).status, 200);
});
