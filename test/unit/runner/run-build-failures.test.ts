// runBuild's failure paths with the fake AzurePort: the disk never shows up, cleanup errors, Ctrl-C,
// -on-error=abort, and checks that must fail before anything is created.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBuild, cleanupErrorsOf, type BuildDeps } from '../../../src/runner/run-build.js';
import { findJournalPath, readJournal, pendingResources } from '../../../src/ledger/journal.js';
import { AzchrootError, AzureError } from '../../../src/errors.js';
import { MemoryReporter } from '../../../src/report/reporter.js';
import { createFakeAzure, fakeVm, type FakeAzure } from '../../helpers/fake-azure.js';
import { chrootConfig, TEST_RG_PREFIX } from '../../helpers/chroot-config.js';
import type { ChrootConfig } from '../../../src/config/model.js';

const isRoot = process.getuid?.() === 0;
const OS_DISK = `${TEST_RG_PREFIX}/disks/PackerTemp-osdisk-1`;

function setup(t: { after(fn: () => void): void }, overrides: Partial<BuildDeps> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'azc-run-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const azure = createFakeAzure();
  azure.addPlatformImage({ location: 'westeurope', publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server' }, '1.0.1', 'V2');
  azure.addPlatformImage({ location: 'westeurope', publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server' }, '1.0.10', 'V2');
  const reporter = new MemoryReporter();
  const deps: BuildDeps = {
    azure, vm: fakeVm(), reporter, signal: new AbortController().signal, view: 'plain', onError: 'cleanup', force: false,
    stateDir: join(dir, 'state'), devroot: join(dir, 'dev'), sysroot: join(dir, 'sys'), buildId: 'test-build', deviceTimeoutMs: 200,
    runProvisioners: async () => undefined,
    ...overrides,
  };
  return { dir, azure, reporter, deps };
}

function journalOf(deps: BuildDeps) {
  return readJournal(findJournalPath(deps.stateDir!, deps.buildId));
}

test('runBuild: the device never shows up → the disk is still detached and deleted (Packer leaks it)', { skip: !isRoot }, async (t) => {
  const { azure, reporter, deps } = setup(t);
  await assert.rejects(runBuild(chrootConfig(), deps), (e: unknown) => AzchrootError.is(e) && e.code === 'AZC_HOST_DEVICE' && /the disk attached at LUN 0 did not show up/.test(e.message));
  const calls = azure.calls.map((c) => c.split(' ')[0]);
  assert.ok(calls.indexOf('vm.detachDisk') > calls.indexOf('vm.attachDisk'));
  assert.ok(calls.indexOf('disks.delete') > calls.indexOf('vm.detachDisk'));
  assert.equal(azure.store.disks.size, 0);
  assert.equal(azure.store.vmDisks.length, 0);
  // The latest platform version was resolved numerically (1.0.10 > 1.0.1) and its generation used.
  assert.equal(azure.store.platform.length, 2);
  assert.ok(azure.calls.includes('platformImages.get Canonical:ubuntu-24_04-lts:server:1.0.10'));
  assert.deepEqual(pendingResources(journalOf(deps)), []);
  assert.match(reporter.text(), /step attach-disk failed/);
});

test('runBuild: a cleanup failure is reported after the original error and never replaces it', { skip: !isRoot }, async (t) => {
  const { azure, reporter, deps } = setup(t);
  azure.fail('disks.delete', new AzureError('delete refused by policy', { azureCode: 'RequestDisallowedByPolicy', statusCode: 403 }));
  const error = await runBuild(chrootConfig(), deps).then(() => undefined, (e: unknown) => e);
  assert.ok(AzchrootError.is(error));
  assert.equal(error.code, 'AZC_HOST_DEVICE');
  assert.deepEqual(cleanupErrorsOf(error), [`temporary disk ${chrootConfig().builder.temporaryOsDiskId}: delete refused by policy`]);
  const messages = reporter.lines.filter((l) => l.level === 'error' || l.level === 'warn').map((l) => l.message);
  const original = messages.findIndex((m) => m.includes('step attach-disk failed'));
  const cleanup = messages.findIndex((m) => m.includes(`could not remove the temporary disk ${OS_DISK}: delete refused by policy`));
  assert.ok(original >= 0 && cleanup > original, messages.join('\n'));
  assert.ok(messages.some((m) => m.includes(`temporary disk: ${OS_DISK}`) && m.includes('azchroot cleanup --build-id test-build')));
  assert.equal(azure.store.disks.size, 1);
});

test('runBuild: Ctrl-C during attach cancels the call, then cleanup detaches and deletes with a fresh signal', { skip: !isRoot }, async (t) => {
  const ac = new AbortController();
  const { azure, deps } = setup(t, { signal: ac.signal });
  azure.hang('vm.attachDisk');
  const running = runBuild(chrootConfig(), deps);
  setTimeout(() => ac.abort(), 100);
  await assert.rejects(running, (e: unknown) => AzchrootError.is(e) && e.code === 'AZC_CANCELLED');
  assert.ok(azure.calls.some((c) => c.startsWith('vm.detachDisk')));
  assert.equal(azure.store.disks.size, 0);
  const end = journalOf(deps).find((e) => e.event === 'end');
  assert.equal(end?.detail?.status, 'cancelled');
});

test('runBuild: -on-error=abort skips cleanup and lists what is left', { skip: !isRoot }, async (t) => {
  const { azure, reporter, deps } = setup(t, { onError: 'abort' });
  await assert.rejects(runBuild(chrootConfig(), deps), { code: 'AZC_HOST_DEVICE' });
  assert.equal(azure.store.disks.size, 1);
  assert.equal(azure.store.vmDisks.length, 1);
  assert.ok(!azure.calls.some((c) => c.startsWith('disks.delete') || c.startsWith('vm.detachDisk')));
  const text = reporter.text();
  assert.match(text, /-on-error=abort: cleanup skipped/);
  assert.ok(text.includes(`temporary disk: ${OS_DISK}`));
  assert.ok(text.includes(`disk attached to this VM at LUN 0: ${OS_DISK}`));
});

const gallery: ChrootConfig['sharedImageDestination'] = {
  resourceGroup: 'gal-rg', galleryName: 'gal', imageName: 'ubuntu', imageVersion: '1.2.3', targetRegions: [], excludeFromLatest: false,
};
const galleryImage = `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/gal-rg/providers/Microsoft.Compute/galleries/gal/images/ubuntu`;

test('runBuild: a Hyper-V generation mismatch with the destination fails before anything is created', { skip: !isRoot }, async (t) => {
  const { azure, deps } = setup(t);
  azure.addGalleryImage({ id: galleryImage, location: 'West Europe', osType: 'Linux', hyperVGeneration: 'V1' });
  await assert.rejects(runBuild(chrootConfig({ sharedImageDestination: gallery }), deps), (e: unknown) => {
    assert.ok(AzchrootError.is(e));
    assert.match(e.message, /Hyper-V generation mismatch: the build is V2 \(from the platform image\) but gallery image definition .* is V1/);
    return true;
  });
  assert.ok(!azure.calls.some((c) => c.startsWith('disks.create')));
});

test('runBuild: an existing gallery version fails the build unless -force', { skip: !isRoot }, async (t) => {
  const { azure, deps } = setup(t);
  azure.addGalleryImage({ id: galleryImage, location: 'westeurope', osType: 'Linux', hyperVGeneration: 'V2' });
  azure.addGalleryVersion({ id: `${galleryImage}/versions/1.2.3`, name: '1.2.3', location: 'westeurope', targetRegions: ['westeurope'], dataDiskLuns: [] });
  await assert.rejects(runBuild(chrootConfig({ sharedImageDestination: gallery, imageResourceId: undefined }), deps), (e: unknown) => {
    assert.ok(AzchrootError.is(e));
    assert.match(e.message, /gallery image version .*\/versions\/1\.2\.3 already exists/);
    assert.match(e.hint ?? '', /-force/);
    return true;
  });
  assert.ok(!azure.calls.some((c) => c.startsWith('disks.create')));
});

test('runBuild: a source disk in another region is refused before anything is created', { skip: !isRoot }, async (t) => {
  const { azure, deps } = setup(t);
  const src = `${TEST_RG_PREFIX}/disks/source`;
  azure.addDisk({ id: src, location: 'northeurope' });
  await assert.rejects(runBuild(chrootConfig({ source: { kind: 'disk', id: src } }), deps), /is in northeurope, but this VM is in westeurope/);
  assert.ok(!azure.calls.some((c) => c.startsWith('disks.create')));
});

test('runBuild: a zonal VM gets its disks in its zone', { skip: !isRoot }, async (t) => {
  const { azure, deps } = setup(t, { vm: fakeVm({ zone: '2' }) });
  await assert.rejects(runBuild(chrootConfig(), deps), { code: 'AZC_HOST_DEVICE' });
  // The fake refuses cross-zone attachment: attach got as far as the device wait.
  assert.ok(azure.calls.some((c) => c.startsWith('vm.attachDisk')));
  assert.ok(azure.calls.some((c) => c.startsWith('vm.detachDisk')));
});

test('runBuild: an interruption cleans up even with -on-error=abort (it is not a build error)', { skip: !isRoot }, async (t) => {
  const ac = new AbortController();
  const { azure, deps } = setup(t, { signal: ac.signal, onError: 'abort' });
  azure.hang('vm.attachDisk');
  const running = runBuild(chrootConfig(), deps);
  setTimeout(() => ac.abort(), 100);
  await assert.rejects(running, { code: 'AZC_CANCELLED' });
  assert.equal(azure.store.disks.size, 0);
});
