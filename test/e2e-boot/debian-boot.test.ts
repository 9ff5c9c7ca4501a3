// A real Debian image end to end, booted before capture: a from_scratch build from the cached
// bookworm root file system (kernel, systemd, GRUB) and builds layered on it from a registered
// platform image (`latest`), all in a lo-only sandbox against the emulator, each with boot_test.
// Images that cannot boot (a broken fstab, no kernel) fail their boot test, are not published, and
// leave nothing behind. Make the root file system first (root namespace): test/e2e-boot/make-rootfs.sh.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addImageCommand, exportCommand } from '../../src/cli/commands/emulator-files.js';
import type { Endpoints } from '../../src/emulator/api.js';
import { layout } from '../../src/emulator/state-layout.js';
import { BIN } from '../e2e/helpers/harness.js';
import { readFromPartition } from '../e2e-lvm/boot-image.js';
import { loopsUnder, mountsMatching } from '../helpers/block-usage.js';
import { openSandbox, type Sandbox } from '../helpers/netns.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { groupPrefix, resourcesByType, startSandboxedEmulator, type SandboxedEmulator } from '../packer/packer-scenario.js';
import { layeredTemplate, makeDaemonDeb, markerUnitCommands, ROOTFS, scratchTemplate } from './debian-image.js';

const skip = process.getuid?.() !== 0 ? 'needs root'
  : !ROOTFS ? 'the boot layer runs from .ci/boot (or: AZCHROOT_BOOT_ROOTFS=$(bash test/e2e-boot/make-rootfs.sh) node test/run.js e2e-boot)'
  : !existsSync(ROOTFS) ? `${ROOTFS} is missing: run test/e2e-boot/make-rootfs.sh (in the root network namespace)`
  : !existsSync('/usr/bin/qemu-system-x86_64') ? 'qemu-system-x86 is not installed'
  : false;

let dir: string;
let state: string;
let sandbox: Sandbox;
let emulator: SandboxedEmulator;
let endpoints: Endpoints;
let deb: string;
const cleanups: (() => Promise<void>)[] = [];
const URN_V1 = 'azc:debian:bookworm-boot';

before(async () => {
  if (skip) return;
  dir = await makeTempDir({ after: (fn: () => Promise<void>) => void cleanups.push(fn) } as never, 'azc-boot-');
  state = join(dir, 'emulator');
  sandbox = await openSandbox();
  cleanups.push(() => sandbox.teardown());
  emulator = await startSandboxedEmulator(sandbox, state);
  cleanups.push(() => emulator.stop());
  endpoints = emulator.endpoints;
  deb = makeDaemonDeb(dir);
});

after(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

function imageId(name: string): string {
  return `${groupPrefix(endpoints)}/images/${name}`;
}

interface Run { code: number | null; output: string }

async function build(name: string, hcl: string): Promise<Run> {
  const sub = join(dir, name);
  await mkdir(join(sub, 'journal'), { recursive: true });
  const template = join(sub, `${name}.pkr.hcl`);
  await writeFile(template, hcl);
  // env -C: entering the sandbox's mount namespace resets the working directory to /.
  const res = await sandbox.run(['env', '-C', sub, process.execPath, BIN, 'build', '--emulator', state, '--state-dir', join(sub, 'journal'), template], { cwd: sub, timeoutMs: 480_000 });
  return { code: res.code, output: `${res.stdout}${res.stderr}` };
}

function bootTempDirs(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('azchroot-boot-test-'));
}

/** Nothing of a build may remain: temporary disks, attachments, loop devices, mounts, QEMU, temp dirs. */
async function assertNothingLeft(context: string): Promise<void> {
  const resources = await resourcesByType(state);
  const disks = (resources.get('microsoft.compute/disks') ?? []).filter((r) => !String(r.body.name).includes('_OsDisk_'));
  assert.deepEqual(disks.map((r) => r.id), [], `no temporary disk\n${context}`);
  assert.deepEqual((resources.get('microsoft.compute/snapshots') ?? []).map((r) => r.id), [], `no snapshot\n${context}`);
  assert.deepEqual(JSON.parse(readFileSync(join(state, 'attachments.json'), 'utf8')), [], `no attachment\n${context}`);
  assert.deepEqual(loopsUnder(state), [], `no loop device\n${context}`);
  assert.deepEqual(mountsMatching(dir, [], sandbox.holderPid), [], `no mount in the sandbox\n${context}`);
  assert.deepEqual(mountsMatching(dir), [], `no mount on the host\n${context}`);
  assert.deepEqual(bootTempDirs(), [], `no boot-test temp directory\n${context}`);
  const qemus = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('azchroot-boot-test-');
    } catch {
      return false;
    }
  });
  assert.deepEqual(qemus, [], `no QEMU left running\n${context}`);
}

function exists(id: string): boolean {
  return existsSync(layout.resource(state, id));
}

test('from_scratch Debian (V1, BIOS, KVM forced off): GRUB on the attached disk, fstab by UUID, dpkg -i offline; boots before capture', { skip, timeout: 600_000 }, async () => {
  const started = Date.now();
  const id = imageId('debian-v1');
  const run = await build('debian-v1', scratchTemplate({ dir: join(dir, 'debian-v1'), name: 'debian-v1', imageId: id, generation: 'V1', deb, bootTest: 'boot_test {\n    accel = "tcg"\n  }' }));
  const context = `build output:\n${run.output}\nemulator:\n${emulator.stderr()}`;
  assert.equal(run.code, 0, context);
  assert.match(run.output, /device links refreshed by the emulator's device-link service: [1-9]\d* by-uuid link/, context);
  assert.match(run.output, /accelerator: tcg \(accel = "tcg"\)/, context);
  assert.match(run.output, /the image booted in [\d.]+ s \(tcg\): "debian-v1 login:/, context);
  // The postinst's daemon kept the chroot busy; azchroot stopped it before unmounting.
  assert.match(run.output, /processes that kept \S+ busy and were stopped: .*sleep/, context);
  assert.ok(exists(id), 'the image is published');

  const log = join(dir, 'debian-v1', 'debian-v1.boot.log');
  assert.match(run.output, new RegExp(`console: ${log.replace(/[.]/g, '\\.')}`));
  const console = readFileSync(log, 'latin1');
  assert.match(console, /Loading Linux \d/);
  assert.match(console, /debian-v1 login:/);
  const manifest = JSON.parse(readFileSync(join(dir, 'debian-v1', 'manifest.json'), 'utf8')) as { builds: { files: { name: string; size: number }[] }[] };
  assert.deepEqual(manifest.builds[0]?.files, [{ name: log, size: Buffer.byteLength(console, 'latin1') }]);

  const raw = join(dir, 'debian-v1.raw');
  await exportCommand({ state, resourceId: id, file: raw, format: 'raw' });
  const [fstab, grubCfg, answer, policy] = readFromPartition(raw, 1, ['etc/fstab', 'boot/grub/grub.cfg', 'var/lib/azc-daemon/policy-rc.d-answer', 'usr/sbin/policy-rc.d'], join(dir, 'p1'));
  assert.match(fstab ?? '', /^UUID=[0-9a-f-]{36} \/ ext4 /m);
  const uuid = /^UUID=([0-9a-f-]{36})/m.exec(fstab ?? '')?.[1];
  assert.ok(grubCfg?.includes(`root=UUID=${uuid}`), 'update-grub found /dev/disk/by-uuid (the emulator made the link)');
  assert.doesNotMatch(grubCfg ?? '', /root=\/dev\/loop/);
  assert.equal(answer, '101\n', 'azchroot\'s policy-rc.d denied the service start');
  assert.equal(policy, undefined, 'policy-rc.d removed before capture');
  await assertNothingLeft(context);
  await addImageCommand({ state, urn: `${URN_V1}:1.0.0`, file: raw });
  process.stdout.write(`# from_scratch Debian build with boot test: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
});

test('a build layered on the registered image (latest) boots with accel auto and its own marker; boot-test --emulator boots the result', { skip, timeout: 1_200_000 }, async () => {
  const id = imageId('layered');
  const marker = `AZC-LAYERED-${process.pid}`;
  const run = await build('layered', layeredTemplate({ dir: join(dir, 'layered'), name: 'layered', urn: `${URN_V1}:latest`, imageId: id, bootTest: `boot_test {\n    expect = "${marker}"\n  }`, inline: markerUnitCommands(marker) }));
  const context = `build output:\n${run.output}`;
  assert.equal(run.code, 0, context);
  // kvm_pvm (this machine) means TCG without trying; elsewhere the probe decides.
  const pvm = existsSync('/sys/module/kvm_pvm');
  assert.match(run.output, pvm ? /accelerator: tcg \(the kvm_pvm module is loaded/ : /accelerator: (kvm \(the KVM probe booted\)|tcg \((the KVM probe failed|\/dev\/kvm is not usable))/, context);
  assert.match(run.output, new RegExp(`the image booted in [\\d.]+ s \\(\\w+\\): "${marker}"`), context);
  assert.ok(exists(id));
  await assertNothingLeft(context);

  const cli = await sandbox.run(['env', '-C', join(dir, 'layered'), process.execPath, BIN, 'boot-test', '--emulator', state, id, '--accel', 'tcg', '--expect', marker, '--timeout', '8m'], { timeoutMs: 540_000 });
  assert.equal(cli.code, 0, cli.stdout + cli.stderr);
  assert.match(cli.stdout, new RegExp(`boots: "${marker}"`), cli.stdout + cli.stderr);
  assert.ok(existsSync(join(dir, 'layered', 'layered.boot.log')));
  await assertNothingLeft(cli.stdout);
});

for (const broken of [
  {
    name: 'broken-fstab',
    inline: ['echo "UUID=$(grub-probe --target=fs_uuid /) /srv xfs defaults 0 2" >> /etc/fstab'],
    reason: /emergency|Local File Systems/,
  },
  {
    name: 'no-kernel',
    inline: ['rm -f /boot/vmlinuz-* /boot/initrd.img-* /vmlinuz* /initrd.img*', 'update-grub'],
    reason: /GRUB prompt/,
  },
]) {
  test(`an image with ${broken.name.replace('-', ' ')} fails its boot test at once, is not published and leaves nothing behind`, { skip, timeout: 600_000 }, async () => {
    const id = imageId(broken.name);
    const run = await build(broken.name, layeredTemplate({ dir: join(dir, broken.name), name: broken.name, urn: `${URN_V1}:latest`, imageId: id, bootTest: 'boot_test {\n    accel = "tcg"\n    timeout = "8m"\n  }', inline: broken.inline }));
    const context = `build output:\n${run.output}`;
    assert.equal(run.code, 1, context);
    assert.match(run.output, /step boot-test failed/, context);
    assert.match(run.output, /Error: the image did not boot \(tcg, [\d.]+ s\)/, context);
    assert.match(run.output, broken.reason, context);
    assert.match(run.output, /nothing is captured/, context);
    assert.match(run.output, /last console lines:\n\s+\| /, context);
    // Failed long before the timeout.
    const seconds = Number(/did not boot \(tcg, ([\d.]+) s\)/.exec(run.output)?.[1]);
    assert.ok(seconds < 240, `failed after ${seconds} s, not at the timeout\n${context}`);
    assert.ok(existsSync(join(dir, broken.name, `${broken.name}.boot.log`)), 'the console log is kept');
    assert.equal(exists(id), false, 'nothing published');
    assert.doesNotMatch(run.output, /Azure resources created/);
    await assertNothingLeft(context);
  });
}

test('from_scratch Debian (V2, UEFI with OVMF, accel auto): ESP + GRUB for EFI; boots before capture', { skip, timeout: 600_000 }, async () => {
  const id = imageId('debian-v2');
  const run = await build('debian-v2', scratchTemplate({ dir: join(dir, 'debian-v2'), name: 'debian-v2', imageId: id, generation: 'V2', deb, bootTest: 'boot_test {}' }));
  const context = `build output:\n${run.output}`;
  assert.equal(run.code, 0, context);
  assert.match(run.output, /booting \/dev\/loop\d+ \(uefi, 1024 MiB, timeout 300 s\)/, context);
  assert.match(run.output, /accelerator: (tcg|kvm) \(/, context);
  assert.match(run.output, /the image booted in [\d.]+ s \(\w+\): "debian-v2 login:/, context);
  assert.match(readFileSync(join(dir, 'debian-v2', 'debian-v2.boot.log'), 'latin1'), /BdsDxe: starting Boot\w+ [\s\S]*Loading Linux \d/);
  assert.ok(exists(id));
  await assertNothingLeft(context);
});
