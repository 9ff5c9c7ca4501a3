import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupLeftovers } from '../../../src/runner/cleanup-command.js';
import { findJournalPath, openJournal, pendingResources, readJournal } from '../../../src/ledger/journal.js';
import { mountsUnder } from '../../../src/host/proc-mounts.js';
import { captureMountIdentity } from '../../../src/host/mount-identity.js';
import { MemoryReporter } from '../../../src/report/reporter.js';
import { createFakeAzure, fakeVm } from '../../helpers/fake-azure.js';

const isRoot = process.getuid?.() === 0;
const RG = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/build-rg/providers/Microsoft.Compute';

function deadPid(): number {
  return spawnSync('true').pid ?? 999999;
}

test('cleanupLeftovers: removes mounts (deepest first), the attachment, snapshots and disks of a killed build; outputs stay', { skip: !isRoot }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-cleanup-'));
  const root = join(dir, 'mnt', 'loop9');
  t.after(() => {
    for (const m of mountsUnder(dir).reverse()) execFileSync('umount', ['-l', m]);
    rmSync(dir, { recursive: true, force: true });
  });
  mkdirSync(root, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', root]);
  mkdirSync(join(root, 'proc'));
  execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', join(root, 'proc')]);

  const vm = fakeVm();
  const azure = createFakeAzure();
  const disk = `${RG}/disks/PackerTemp-osdisk-9`;
  const snap = `${RG}/snapshots/PackerTemp-osdisk-snapshot-9`;
  const image = `${RG}/images/out`;
  azure.addDisk({ id: disk, location: 'westeurope' });
  await azure.vm.attachDisk(vm, disk, 0);
  await azure.snapshots.create(snap, { location: 'westeurope', sourceResourceId: disk });

  // The journal a SIGKILLed build leaves: no end record, its process gone.
  const stateDir = join(dir, 'state');
  const j = openJournal(stateDir, 'killed-1');
  j.append({ event: 'start', detail: { pid: deadPid(), vm } });
  j.intent('disk', disk); j.created('disk', disk);
  j.intent('attachment', disk, { detail: { lun: 0 } }); j.created('attachment', disk);
  j.intent('mount', root); j.created('mount', root);
  j.intent('mount', join(root, 'proc')); j.created('mount', join(root, 'proc'));
  j.intent('snapshot', snap); j.created('snapshot', snap);
  j.intent('image', image, { temporary: false }); j.created('image', image);
  j.close();

  const reporter = new MemoryReporter();
  const result = await cleanupLeftovers({ azure, stateDir, buildId: 'killed-1', reporter });
  assert.deepEqual(result.failed, []);
  assert.deepEqual(result.removed, [`mount ${join(root, 'proc')}`, `mount ${root}`, `attachment ${disk}`, `snapshot ${snap}`, `disk ${disk}`]);
  assert.deepEqual(mountsUnder(dir), []);
  assert.equal(azure.store.vmDisks.length, 0);
  assert.equal(azure.store.disks.size, 0);
  assert.equal(azure.store.snapshots.size, 0);
  assert.deepEqual(pendingResources(readJournal(findJournalPath(stateDir, 'killed-1'))).map((p) => p.kind), ['image']);

  // Idempotent: a second run finds nothing to do.
  assert.deepEqual(await cleanupLeftovers({ azure, stateDir, all: true, reporter }), { removed: [], failed: [] });
});

test('cleanupLeftovers: a mount at the journaled path that is not the one the build made is refused, never unmounted; the disk stays attached', { skip: !isRoot }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-cleanup-'));
  const root = join(dir, 'mnt', 'loop3');
  t.after(() => {
    for (const m of mountsUnder(dir).reverse()) execFileSync('umount', ['-l', m]);
    rmSync(dir, { recursive: true, force: true });
  });
  mkdirSync(root, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', root]);
  const identity = await captureMountIdentity(root);
  assert.ok(identity?.mountId !== undefined && identity.devno);
  // The killed build's mount went away (a reboot); another build now has its own file system there.
  execFileSync('umount', [root]);
  execFileSync('mount', ['-t', 'tmpfs', 'other-build', root]);

  const vm = fakeVm();
  const azure = createFakeAzure();
  const disk = `${RG}/disks/PackerTemp-osdisk-3`;
  azure.addDisk({ id: disk, location: 'westeurope' });
  await azure.vm.attachDisk(vm, disk, 0);
  const stateDir = join(dir, 'state');
  const j = openJournal(stateDir, 'killed-3');
  j.append({ event: 'start', detail: { pid: deadPid(), vm } });
  j.intent('disk', disk); j.created('disk', disk);
  j.intent('attachment', disk, { detail: { lun: 0 } }); j.created('attachment', disk);
  j.intent('mount', root, { detail: { root: true } }); j.created('mount', root, { identity });
  j.close();

  const result = await cleanupLeftovers({ azure, stateDir, buildId: 'killed-3', reporter: new MemoryReporter() });
  assert.equal(result.failed.length, 3, result.failed.join('\n'));
  assert.match(result.failed[0]!, /^mount .*loop3: refusing to unmount: .*loop3 is mounted from other-build \(device \d+:\d+, mount \d+\), not the mount this build made/);
  assert.match(result.failed[1]!, /^attachment .*: not detached or deleted while mount .*loop3 is still in use/);
  assert.deepEqual(mountsUnder(dir), [root], 'the other build\'s mount is still there');
  assert.equal(azure.store.vmDisks.length, 1, 'the disk is not detached under a mount');
  assert.deepEqual(pendingResources(readJournal(j.path)).map((p) => p.kind).sort(), ['attachment', 'disk', 'mount']);
});

test('cleanupLeftovers: leaves a build that is still running alone, and needs --build-id or --all', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-cleanup-'));
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  t.after(() => { child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); });
  const j = openJournal(dir, 'live-1');
  j.append({ event: 'start', detail: { pid: child.pid } });
  j.intent('disk', `${RG}/disks/x`);
  j.close();
  const azure = createFakeAzure();
  const result = await cleanupLeftovers({ azure, stateDir: dir, all: true, reporter: new MemoryReporter() });
  assert.deepEqual(result.removed, []);
  assert.match(result.failed[0] ?? '', /live-1: still running \(pid \d+\)/);
  assert.ok(!azure.calls.some((c) => c.startsWith('disks.')));
  await assert.rejects(cleanupLeftovers({ stateDir: dir, reporter: new MemoryReporter() }), { code: 'AZC_USAGE' });
});

test('cleanupLeftovers: Azure resources without Azure access are reported as failed, not dropped from the journal', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-cleanup-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const j = openJournal(dir, 'b-3');
  j.append({ event: 'start', detail: { pid: deadPid() } });
  j.intent('disk', `${RG}/disks/y`);
  j.close();
  const result = await cleanupLeftovers({ stateDir: dir, buildId: 'b-3', reporter: new MemoryReporter() });
  assert.deepEqual(result.removed, []);
  assert.match(result.failed[0] ?? '', /disk .*\/disks\/y: needs Azure access/);
  assert.equal(pendingResources(readJournal(j.path)).length, 1);
});
