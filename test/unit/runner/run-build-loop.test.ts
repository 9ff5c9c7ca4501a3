// A whole build with the fake AzurePort and a real sparse file on a real loop device standing in for
// the attached disk: from_scratch (sfdisk + mkfs.ext4 in pre_mount_commands), busybox as the image's
// /bin/sh, a provisioner writing through chroot, both outputs, then the captured data is checked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBuild, type BuildDeps } from '../../../src/runner/run-build.js';
import { findJournalPath, pendingResources, readJournal } from '../../../src/ledger/journal.js';
import { runShell } from '../../../src/host/exec.js';
import { mountsUnder } from '../../../src/host/proc-mounts.js';
import { MemoryReporter } from '../../../src/report/reporter.js';
import { createFakeAzure, fakeVm } from '../../helpers/fake-azure.js';
import { createLoopBackend } from '../../helpers/loop-backend.js';
import { chrootConfig, TEST_RG_PREFIX } from '../../helpers/chroot-config.js';

const canRun = process.getuid?.() === 0 && existsSync('/dev/loop-control') && existsSync('/bin/busybox');
const GALLERY_IMAGE = `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/gal-rg/providers/Microsoft.Compute/galleries/gal/images/scratch`;

function loopsOf(file: string): string {
  return execFileSync('losetup', ['-j', file], { encoding: 'utf8' }).trim();
}

test('runBuild: from_scratch on a real loop device, provisioned through chroot, captured to image and gallery', { skip: !canRun, timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-loopbuild-'));
  const devroot = join(dir, 'dev');
  const backend = createLoopBackend(join(dir, 'azure'), devroot);
  const verifyMount = join(dir, 'verify');
  let verifyLoop: string | undefined;
  t.after(() => {
    for (const m of mountsUnder(dir).reverse()) execFileSync('umount', ['-l', m]);
    if (verifyLoop) execFileSync('losetup', ['-d', verifyLoop]);
    backend.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const azure = createFakeAzure({ backend });
  azure.addGalleryImage({ id: GALLERY_IMAGE, location: 'westeurope', osType: 'Linux', hyperVGeneration: 'V2' });
  // An existing version with the same name: replaced because of -force, right before publishing.
  azure.addGalleryVersion({ id: `${GALLERY_IMAGE}/versions/1.0.0`, name: '1.0.0', location: 'westeurope', targetRegions: ['westeurope'], dataDiskLuns: [] });
  // Something already sits at LUN 0: the build must take LUN 1.
  azure.store.vmDisks.push({ lun: 0, diskId: '/subscriptions/x/resourceGroups/y/providers/Microsoft.Compute/disks/other' });

  // copy_files target that is a symlink in the image (like systemd-resolved's resolv.conf).
  const hostFile = join(dir, 'host-etc', 'resolv.conf');
  mkdirSync(join(dir, 'host-etc'));
  writeFileSync(hostFile, 'nameserver 192.0.2.53\n');
  const inImage = (mp: string) => `${mp}${hostFile}`;

  const imageId = `${TEST_RG_PREFIX}/images/scratch-image`;
  const config = chrootConfig({
    source: { kind: 'scratch' },
    osDiskSizeGb: 1,
    mountPartition: '1',
    mountPath: `${dir}/mnt/{{.Device}}`,
    preMountCommands: [
      "printf 'label: dos\\n,,L\\n' | sfdisk -q {{.Device}}",
      'partx -u {{.Device}} || true',
      'mkfs.ext4 -q -F {{.Device}}p1',
    ],
    postMountCommands: [
      'mkdir -p {{.MountPath}}/bin {{.MountPath}}/usr/sbin {{.MountPath}}/tmp',
      'cp /bin/busybox {{.MountPath}}/bin/busybox && ln -s busybox {{.MountPath}}/bin/sh',
      `mkdir -p {{.MountPath}}${join(dir, 'host-etc')} && ln -s /run/systemd/resolve/stub-resolv.conf ${inImage('{{.MountPath}}')}`,
    ],
    chrootMounts: [['proc', 'proc', '/proc'], ['bind', '/dev', '/dev']],
    copyFiles: [hostFile],
    imageResourceId: imageId,
    sharedImageDestination: {
      resourceGroup: 'gal-rg', galleryName: 'gal', imageName: 'scratch', imageVersion: '1.0.0',
      targetRegions: [{ name: 'westeurope', replicas: 2, storageAccountType: 'Standard_ZRS' }], excludeFromLatest: true,
    },
  });

  const seen: { buildData?: Record<string, string>; resolv?: string; wrapped?: string } = {};
  const reporter = new MemoryReporter();
  const deps: BuildDeps = {
    azure, vm: fakeVm(), reporter, signal: new AbortController().signal, view: 'plain', onError: 'cleanup', force: true,
    stateDir: join(dir, 'state'), devroot, sysroot: join(dir, 'nosys'), buildId: 'loop-build-1', deviceTimeoutMs: 10_000,
    async runProvisioners(ctx) {
      seen.buildData = ctx.buildData;
      seen.resolv = readFileSync(inImage(ctx.mountPath), 'utf8');
      seen.wrapped = ctx.wrapCommand('true');
      const cmd = `chroot ${ctx.mountPath} /bin/sh -c 'echo hello-from-chroot > /hello.txt; if [ -x /usr/sbin/policy-rc.d ]; then echo policy-rc-present >> /hello.txt; fi; [ -r /proc/self/status ] && echo proc-mounted >> /hello.txt'`;
      await runShell(ctx.wrapCommand(cmd), { signal: ctx.signal });
      // A "daemon" left running inside the chroot, as package installs do: teardown must stop it.
      await runShell(ctx.wrapCommand(`chroot ${ctx.mountPath} /bin/sh -c '/bin/busybox sleep 600 </dev/null >/dev/null 2>&1 &'`), { signal: ctx.signal });
    },
  };

  const result = await runBuild(config, deps);

  // Outputs and data handed to the provisioners.
  const versionId = `${GALLERY_IMAGE}/versions/1.0.0`;
  assert.deepEqual(result.artifact, { resources: [imageId, versionId], kept: [] });
  assert.match(seen.buildData?.Device ?? '', /^\/dev\/loop\d+$/);
  assert.equal(seen.buildData?.MountPath, `${dir}/mnt/${seen.buildData?.Device?.slice('/dev/'.length)}`);
  assert.equal(seen.resolv, 'nameserver 192.0.2.53\n');
  assert.equal(seen.wrapped, 'true');
  assert.ok(azure.calls.includes(`vm.attachDisk ${config.builder.temporaryOsDiskId} lun1`));
  assert.match(reporter.text(), /processes that kept .* busy and were stopped: \d+ \((busybox|sleep), (root|cwd|open file) inside\)/);

  // Capture: generation from the destination definition (from_scratch), intended storage/caching, gallery options.
  const image = azure.store.images.get(imageId.toLowerCase());
  assert.equal(image?.spec.hyperVGeneration, 'V2');
  assert.deepEqual(image?.spec.osDisk, { managedDiskId: config.builder.temporaryOsDiskId, storageAccountType: 'Premium_LRS', caching: 'ReadOnly' });
  const version = azure.store.galleryVersions.get(versionId.toLowerCase());
  assert.deepEqual(version?.spec?.targetRegions, [{ name: 'westeurope', replicas: 2, storageAccountType: 'Standard_ZRS' }]);
  assert.equal(version?.spec?.excludeFromLatest, true);
  assert.equal(version?.spec?.osSnapshotId, config.builder.temporaryOsDiskSnapshotId);
  const ops = azure.calls.map((c) => c.split(' ')[0]);
  assert.equal(ops.indexOf('gallery.deleteVersion'), ops.indexOf('gallery.createVersion') - 1, 'old version deleted right before publishing');
  assert.ok(ops.lastIndexOf('vm.detachDisk') < ops.indexOf('images.create'), 'detached before capture');

  // Temporary resources gone, nothing left on the host.
  assert.equal(azure.store.disks.size, 0);
  assert.equal(azure.store.snapshots.size, 0);
  assert.deepEqual(azure.store.vmDisks.map((d) => d.lun), [0]);
  assert.deepEqual(mountsUnder(dir), []);
  assert.equal(existsSync(`${dir}/mnt/${seen.buildData?.Device?.slice('/dev/'.length)}`), false, 'mount directory removed');
  assert.equal(loopsOf(backend.fileOf(config.builder.temporaryOsDiskId)), '');
  const pending = pendingResources(readJournal(findJournalPath(join(dir, 'state'), 'loop-build-1')));
  assert.deepEqual(pending.map((p) => p.kind).sort(), ['gallery-version', 'image']);
  for (const id of ['preflight', 'create-os-disk', 'attach-disk', 'pre-mount-commands', 'mount-device', 'provision', 'early-teardown', 'create-image-and-snapshots', 'publish-gallery-version']) {
    assert.ok(result.timings.some((x) => x.step === id), `timing for ${id}`);
  }

  // The captured disk holds what the provisioner wrote; the replaced file and policy-rc.d are undone.
  verifyLoop = execFileSync('losetup', ['--find', '--show', '--partscan', '--read-only', backend.imageFile(imageId)], { encoding: 'utf8' }).trim();
  mkdirSync(verifyMount);
  // Some kernels do not scan a new loop device's partitions by themselves.
  if (!existsSync(`${verifyLoop}p1`)) execFileSync('partx', ['-a', verifyLoop]);
  execFileSync('mount', ['-o', 'ro', `${verifyLoop}p1`, verifyMount]);
  try {
    assert.equal(readFileSync(join(verifyMount, 'hello.txt'), 'utf8'), 'hello-from-chroot\npolicy-rc-present\nproc-mounted\n');
    assert.equal(existsSync(join(verifyMount, 'usr/sbin/policy-rc.d')), false);
    const restored = inImage(verifyMount);
    assert.ok(lstatSync(restored).isSymbolicLink());
    assert.equal(readlinkSync(restored), '/run/systemd/resolve/stub-resolv.conf');
  } finally {
    execFileSync('umount', [verifyMount]);
    execFileSync('losetup', ['-d', verifyLoop]);
    verifyLoop = undefined;
  }
});

/** A from_scratch build on real loop devices in a temp dir (removed after `t`), BusyBox as /bin/sh. */
function scratchOnLoop(t: { after(fn: () => void): void }, prefix: string, extra: Parameters<typeof chrootConfig>[0] = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const devroot = join(dir, 'dev');
  const backend = createLoopBackend(join(dir, 'azure'), devroot);
  t.after(() => {
    for (const m of mountsUnder(dir).reverse()) execFileSync('umount', ['-l', m]);
    backend.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  const azure = createFakeAzure({ backend });
  const config = chrootConfig({
    source: { kind: 'scratch' },
    osDiskSizeGb: 1,
    mountPartition: '',
    mountPath: `${dir}/mnt/{{.Device}}`,
    preMountCommands: ['mkfs.ext4 -q -F {{.Device}}'],
    postMountCommands: ['mkdir -p {{.MountPath}}/bin && cp /bin/busybox {{.MountPath}}/bin/busybox && ln -s busybox {{.MountPath}}/bin/sh'],
    copyFiles: [],
    ...extra,
  });
  return { dir, devroot, backend, azure, config };
}

test('runBuild: a failing provisioner leaves no mount, loop device, process or disk behind', { skip: !canRun, timeout: 120_000 }, async (t) => {
  const { dir, devroot, backend, azure, config } = scratchOnLoop(t, 'azc-loopfail-', { chrootMounts: [['proc', 'proc', '/proc'], ['bind', '/dev', '/dev']] });
  let mountPath = '';
  const reporter = new MemoryReporter();
  const deps: BuildDeps = {
    azure, vm: fakeVm(), reporter, signal: new AbortController().signal, view: 'plain', onError: 'cleanup', force: false,
    stateDir: join(dir, 'state'), devroot, sysroot: join(dir, 'nosys'), buildId: 'loop-fail-1', deviceTimeoutMs: 10_000,
    async runProvisioners(ctx) {
      mountPath = ctx.mountPath;
      await runShell(ctx.wrapCommand(`chroot ${ctx.mountPath} /bin/sh -c 'cd /proc && /bin/busybox sleep 600 </dev/null >/dev/null 2>&1 &'`));
      throw new Error('provisioner "shell" failed with exit status 3');
    },
  };
  await assert.rejects(runBuild(config, deps), /provisioner "shell" failed with exit status 3/);
  assert.notEqual(mountPath, '');
  assert.deepEqual(mountsUnder(dir), []);
  assert.equal(loopsOf(backend.fileOf(config.builder.temporaryOsDiskId)), '');
  assert.equal(azure.store.disks.size, 0);
  assert.equal(azure.store.vmDisks.length, 0);
  assert.match(reporter.text(), /step provision failed/);
  assert.doesNotMatch(reporter.text(), /step provision failed: provisioner/, 'the error is said once, by whoever reports the rejection');
  assert.match(reporter.text(), /busy and were stopped/);
  assert.deepEqual(pendingResources(readJournal(findJournalPath(join(dir, 'state'), 'loop-fail-1'))), []);
});

test('runBuild -on-error=ask: "r" runs the failed step again (and the build goes on), "a" stops without cleanup', { skip: !canRun, timeout: 120_000 }, async (t) => {
  const { dir, devroot, azure, config } = scratchOnLoop(t, 'azc-loopask-', { chrootMounts: [], skipCreateImage: true });
  const questions: string[] = [];
  const pauses: string[] = [];
  const run = async (answers: string[], id: string) => {
    let attempts = 0;
    const deps: BuildDeps = {
      azure, vm: fakeVm(), reporter: new MemoryReporter(), signal: new AbortController().signal, view: 'plain', onError: 'ask', force: false,
      stateDir: join(dir, 'state'), devroot, sysroot: join(dir, 'nosys'), buildId: id, deviceTimeoutMs: 10_000,
      ask: async (q) => (questions.push(q), answers.shift() ?? 'c'),
      pauseBeforeStep: async (m) => pauses.push(m),
      async runProvisioners() {
        attempts += 1;
        if (attempts === 1) throw new Error('provisioner "shell" failed with exit status 3');
      },
    };
    return { result: runBuild(config, deps), attempts: () => attempts };
  };
  // An unknown answer is asked again; "r" retries the step, which now succeeds.
  const retried = await run(['x', 'r'], 'ask-retry');
  await retried.result;
  assert.equal(retried.attempts(), 2);
  assert.equal(questions.length, 2);
  assert.match(questions[0]!, /^Step "provision" failed: provisioner "shell" failed with exit status 3\n\[c\] Clean up and exit, \[a\] abort without cleanup, or \[r\] retry step/);
  assert.equal(azure.store.disks.size, 0, 'the retried build cleaned up as usual');
  // -debug: a pause before each step that runs, in order, once (the retried step is not paused again).
  assert.equal(pauses[0], "Pausing before step 'preflight' (Check the host). Press enter to continue.");
  assert.ok(pauses.some((m) => m.startsWith("Pausing before step 'provision' ")));
  assert.equal(new Set(pauses).size, pauses.length, pauses.join('\n'));
  // "a": the build fails and keeps its disk, attached and mounted, as -on-error=abort does.
  const aborted = await run(['a'], 'ask-abort');
  await assert.rejects(aborted.result, /exit status 3/);
  assert.equal(azure.store.disks.size, 1);
  assert.equal(azure.store.vmDisks.length, 1);
  assert.ok(mountsUnder(dir).length > 0, 'still mounted for inspection');
  assert.equal(pendingResources(readJournal(findJournalPath(join(dir, 'state'), 'ask-abort'))).some((p) => p.kind === 'disk'), true);
});
