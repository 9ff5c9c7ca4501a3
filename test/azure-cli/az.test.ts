// Microsoft's own CLI as a third client of the emulator (after @azure/arm-compute and Packer):
// Debian's az 2.45 signs in through the emulator's IMDS (`az login --identity`) and Entra ID
// (`az login --service-principal`), then drives every disk, attach, snapshot, image, gallery and
// platform-image command a build needs, list forms included; azchroot's use_azure_cli_auth then
// takes its token from that az profile. Everything runs inside a sandbox (network namespace with lo only).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { addPlatformImage } from '../azure/helpers/emulator-images.js';
import { azSkip, openAzWorld, type AzWorld } from './az-sandbox.js';
import { checkTraffic, describe, readTraffic } from '../openapi/api-definitions.js';

const skip = azSkip;
const APP = '9a2c0000-0000-4000-8000-0000000000c1';
const UAI = '9a2c0000-0000-4000-8000-0000000000d1';
const SECRET = 'az-sp-secret-1f3a';
const CONNECT = fileURLToPath(new URL('../../src/azure/connect.js', import.meta.url));
let dir = '';
let w: AzWorld;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(`${tmpdir()}/azc-azcli-`);
  w = await openAzWorld(dir, { applications: [{ appId: APP, secrets: [SECRET] }], userAssignedIdentities: [{ name: 'az-builder', clientId: UAI }] });
  addPlatformImage(`${dir}/state`, 'Canonical:ubuntu-24_04-lts:server:24.04.202501010');
  addPlatformImage(`${dir}/state`, 'Canonical:ubuntu-24_04-lts:server:24.04.202502020');
  addPlatformImage(`${dir}/state`, 'Debian:debian-12:12-gen2:0.20250101.1');
});

after(async () => {
  try {
    await w?.close();
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

const g = () => ['-g', w.endpoints.resourceGroup];

test('az login --identity signs in through IMDS (system- and user-assigned) and finds the subscription and tenant', { skip, timeout: 300_000 }, async () => {
  const e = w.endpoints;
  const accounts = await w.ok('login', '--identity');
  assert.equal(accounts.length, 1);
  assert.equal(accounts[0].id, e.subscriptionId);
  assert.equal(accounts[0].tenantId, e.tenantId);
  assert.equal(accounts[0].user.type, 'servicePrincipal');
  assert.equal(accounts[0].user.assignedIdentityInfo, 'MSI');
  const uai = await w.ok('login', '--identity', '--username', UAI);
  assert.equal(uai[0].user.assignedIdentityInfo, `MSIClient-${UAI}`);
  const token = await w.ok('account', 'get-access-token');
  assert.equal(token.subscription, e.subscriptionId);
  assert.equal(token.tenant, e.tenantId);
});

test('az login --service-principal signs in at the emulator\'s Entra ID; a wrong secret gets AADSTS7000215', { skip, timeout: 300_000 }, async () => {
  const e = w.endpoints;
  const bad = await w.az('login', '--service-principal', '-u', APP, '-p', 'not-the-secret', '--tenant', e.tenantId);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /AADSTS7000215/);
  const accounts = await w.ok('login', '--service-principal', '-u', APP, '-p', SECRET, '--tenant', e.tenantId);
  assert.equal(accounts[0].id, e.subscriptionId);
  assert.equal(accounts[0].user.name, APP);
  const account = await w.ok('account', 'show');
  assert.equal(account.tenantId, e.tenantId);
  assert.equal(account.state, 'Enabled');
});

test('az disk, vm disk attach/detach, snapshot, image, sig, sig image-definition and sig image-version commands succeed, list forms included', { skip, timeout: 900_000 }, async () => {
  const e = w.endpoints;
  const loc = ['-l', e.location];
  const disk = await w.ok('disk', 'create', ...g(), '-n', 'az-disk', '--size-gb', '1', '--sku', 'Standard_LRS', '--os-type', 'Linux', '--hyper-v-generation', 'V2', ...loc);
  assert.equal(disk.provisioningState, 'Succeeded');
  assert.equal(disk.diskSizeGb, 1);
  assert.equal(disk.diskState, 'Unattached');
  assert.equal((await w.ok('disk', 'show', ...g(), '-n', 'az-disk')).sku.name, 'Standard_LRS');
  assert.equal((await w.ok('disk', 'update', ...g(), '-n', 'az-disk', '--size-gb', '2')).diskSizeGb, 2);
  assert.ok((await w.ok('disk', 'list', ...g())).some((d: { name: string }) => d.name === 'az-disk'));
  assert.ok((await w.ok('disk', 'list')).some((d: { name: string }) => d.name === 'az-disk'));

  await w.ok('vm', 'disk', 'attach', ...g(), '--vm-name', e.vmName, '--name', 'az-disk');
  const attached = await w.ok('vm', 'show', ...g(), '-n', e.vmName);
  assert.deepEqual(attached.storageProfile.dataDisks.map((d: { name: string; lun: number }) => [d.name, d.lun]), [['az-disk', 0]]);
  assert.equal((await w.ok('disk', 'show', ...g(), '-n', 'az-disk')).diskState, 'Attached');
  await w.ok('vm', 'disk', 'detach', ...g(), '--vm-name', e.vmName, '--name', 'az-disk');
  assert.deepEqual((await w.ok('vm', 'show', ...g(), '-n', e.vmName)).storageProfile.dataDisks, []);
  assert.ok((await w.ok('vm', 'list', ...g())).some((v: { name: string }) => v.name === e.vmName));

  const snap = await w.ok('snapshot', 'create', ...g(), '-n', 'az-snap', '--source', 'az-disk', '--hyper-v-generation', 'V2');
  assert.equal(snap.provisioningState, 'Succeeded');
  assert.match(snap.creationData.sourceResourceId, /\/disks\/az-disk$/);
  assert.equal((await w.ok('snapshot', 'show', ...g(), '-n', 'az-snap')).diskSizeGb, 2);
  assert.deepEqual((await w.ok('snapshot', 'list', ...g())).map((s: { name: string }) => s.name), ['az-snap']);
  assert.deepEqual((await w.ok('snapshot', 'list')).map((s: { name: string }) => s.name), ['az-snap']);

  const image = await w.ok('image', 'create', ...g(), '-n', 'az-image', '--source', 'az-disk', '--os-type', 'Linux', '--hyper-v-generation', 'V2');
  assert.equal(image.provisioningState, 'Succeeded');
  assert.equal(image.hyperVGeneration, 'V2');
  assert.equal((await w.ok('image', 'show', ...g(), '-n', 'az-image')).storageProfile.osDisk.osType, 'Linux');
  assert.deepEqual((await w.ok('image', 'list', ...g())).map((i: { name: string }) => i.name), ['az-image']);

  const gallery = await w.ok('sig', 'create', ...g(), '-r', 'azGallery');
  assert.equal(gallery.provisioningState, 'Succeeded');
  assert.equal((await w.ok('sig', 'show', ...g(), '-r', 'azGallery')).name, 'azGallery');
  assert.ok((await w.ok('sig', 'list', ...g())).some((x: { name: string }) => x.name === 'azGallery'));
  assert.ok((await w.ok('sig', 'list')).some((x: { name: string }) => x.name === 'azGallery'));

  const def = await w.ok('sig', 'image-definition', 'create', ...g(), '-r', 'azGallery', '-i', 'az-def', '--publisher', 'azc', '--offer', 'test', '--sku', 'v2', '--os-type', 'Linux', '--os-state', 'Generalized', '--hyper-v-generation', 'V2');
  assert.equal(def.provisioningState, 'Succeeded');
  assert.deepEqual(def.identifier, { publisher: 'azc', offer: 'test', sku: 'v2' });
  assert.equal((await w.ok('sig', 'image-definition', 'show', ...g(), '-r', 'azGallery', '-i', 'az-def')).hyperVGeneration, 'V2');
  assert.deepEqual((await w.ok('sig', 'image-definition', 'list', ...g(), '-r', 'azGallery')).map((d: { name: string }) => d.name), ['az-def']);

  const version = await w.ok('sig', 'image-version', 'create', ...g(), '-r', 'azGallery', '-i', 'az-def', '-e', '1.0.0', '--managed-image', 'az-image', '--target-regions', e.location);
  assert.equal(version.provisioningState, 'Succeeded');
  assert.equal(version.publishingProfile.targetRegions[0].name.replace(/\s/g, '').toLowerCase(), e.location);
  const fromSnap = await w.ok('sig', 'image-version', 'create', ...g(), '-r', 'azGallery', '-i', 'az-def', '-e', '1.0.1', '--os-snapshot', 'az-snap', '--target-regions', e.location);
  assert.equal(fromSnap.provisioningState, 'Succeeded');
  assert.equal((await w.ok('sig', 'image-version', 'show', ...g(), '-r', 'azGallery', '-i', 'az-def', '-e', '1.0.1')).name, '1.0.1');
  assert.deepEqual((await w.ok('sig', 'image-version', 'list', ...g(), '-r', 'azGallery', '-i', 'az-def')).map((v: { name: string }) => v.name).sort(), ['1.0.0', '1.0.1']);

  // And everything goes away again, in the order a build's cleanup uses.
  for (const v of ['1.0.0', '1.0.1']) await w.ok('sig', 'image-version', 'delete', ...g(), '-r', 'azGallery', '-i', 'az-def', '-e', v);
  await w.ok('sig', 'image-definition', 'delete', ...g(), '-r', 'azGallery', '-i', 'az-def');
  await w.ok('sig', 'delete', ...g(), '-r', 'azGallery');
  await w.ok('image', 'delete', ...g(), '-n', 'az-image');
  await w.ok('snapshot', 'delete', ...g(), '-n', 'az-snap');
  await w.ok('disk', 'delete', ...g(), '-n', 'az-disk', '--yes');
  assert.ok(!(await w.ok('disk', 'list', ...g())).some((d: { name: string }) => d.name === 'az-disk'));
});

test('az vm image list-publishers/list-offers/list-skus/list/show read the platform images', { skip, timeout: 300_000 }, async () => {
  const loc = ['-l', w.endpoints.location];
  assert.deepEqual((await w.ok('vm', 'image', 'list-publishers', ...loc)).map((p: { name: string }) => p.name), ['Canonical', 'Debian']);
  assert.deepEqual((await w.ok('vm', 'image', 'list-offers', ...loc, '-p', 'Canonical')).map((o: { name: string }) => o.name), ['ubuntu-24_04-lts']);
  assert.deepEqual((await w.ok('vm', 'image', 'list-skus', ...loc, '-p', 'Canonical', '-f', 'ubuntu-24_04-lts')).map((s: { name: string }) => s.name), ['server']);
  const all = await w.ok('vm', 'image', 'list', ...loc, '-p', 'Canonical', '-f', 'ubuntu-24_04-lts', '-s', 'server', '--all');
  assert.deepEqual(all.map((i: { urn: string }) => i.urn).sort(), ['Canonical:ubuntu-24_04-lts:server:24.04.202501010', 'Canonical:ubuntu-24_04-lts:server:24.04.202502020']);
  const shown = await w.ok('vm', 'image', 'show', ...loc, '--urn', 'Canonical:ubuntu-24_04-lts:server:latest');
  assert.equal(shown.name, '24.04.202502020');
  assert.equal(shown.hyperVGeneration, 'V2');
});

// Before use_azure_cli_auth below, whose azchroot calls use our SDK's api-versions.
test('every Compute request az sent and every answer it got matches the API definitions of its api-version', { skip, timeout: 60_000 }, () => {
  const report = checkTraffic(readTraffic(`${dir}/state/traffic.jsonl`));
  assert.ok(report.checked >= 40, `checked ${report.checked} requests`);
  assert.deepEqual([...new Set(report.unchecked)], [], 'every api-version az used has definitions');
  assert.equal(report.violations.length, 0, describe(report.violations));
});

test('use_azure_cli_auth: azchroot takes its token from the az profile signed in to the emulator and makes its first ARM call', { skip, timeout: 300_000 }, async () => {
  await w.ok('login', '--service-principal', '-u', APP, '-p', SECRET, '--tenant', w.endpoints.tenantId);
  const script = `
    const { connectAzure } = await import(${JSON.stringify(CONNECT)});
    const c = await connectAzure({ auth: { cloudEnvironmentName: 'Public', useAzureCliAuth: true }, emulator: JSON.parse(process.env.EMU) });
    console.log(JSON.stringify({ identity: c.identity, subscriptionId: c.subscriptionId, dataDisks: await c.azure.vm.listDataDisks(c.vm) }));
  `;
  const env = { ...w.env, EMU: JSON.stringify(w.endpoints) };
  const r = await w.sandbox.run(['env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, '--input-type=module', '-e', script], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}');
  assert.match(out.identity, new RegExp(`^Azure CLI login, object id [0-9a-f-]{36}$`));
  assert.equal(out.subscriptionId, w.endpoints.subscriptionId);
  assert.deepEqual(out.dataDisks, []);
});
