// `azchroot boot-test` on files, without the Debian root file system: a disk without a boot loader
// does not boot (exit 1, at once, the firmware's words in the output), nothing is written to the file,
// and the accelerator is chosen by the KVM check and probe and printed. (SeaBIOS: under PVM, OVMF
// may not reach its shell under KVM.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootDisk } from '../../src/boot/boot-disk.js';
import { kvmUnusable } from '../../src/boot/accel.js';
import { runCli } from '../e2e/helpers/harness.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const skip = !existsSync('/usr/bin/qemu-system-x86_64') || !existsSync('/usr/bin/qemu-img') ? 'qemu-system-x86 and qemu-utils are not installed' : false;

function digest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function bootTempDirs(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('azchroot-boot-test-'));
}

test('boot-test FILE: a disk without a boot loader does not boot (exit 1, at once), and stays unchanged', { skip, timeout: 120_000 }, async (t) => {
  const dir = await makeTempDir(t, 'azc-boottest-');
  const disk = join(dir, 'blank.raw');
  writeFileSync(disk, Buffer.alloc(8 * 1024 * 1024, 0));
  const before = digest(disk);
  const res = await runCli(['boot-test', disk, '--accel', 'tcg', '--timeout', '90s', '--memory', '256'], { cwd: dir });
  assert.equal(res.code, 1, res.output);
  assert.match(res.stdout, /accelerator: tcg \(accel = "tcg"\)/);
  assert.match(res.stdout, /does not boot: the firmware found no bootable device after [\d.]+ s \(tcg\)/);
  assert.match(res.stdout, /last console lines:\n(\s+\| .*\n)*\s+\| No bootable device/);
  const log = join(dir, 'blank.boot.log');
  assert.match(res.stdout, new RegExp(`console: ${log.replace(/\./g, '\\.')}`));
  assert.match(readFileSync(log, 'latin1'), /SeaBIOS/);
  assert.equal(digest(disk), before, 'nothing written to the disk');
  assert.deepEqual(bootTempDirs(), []);
});

test('boot-test: bad flags are usage errors with a hint', { skip, timeout: 60_000 }, async (t) => {
  const dir = await makeTempDir(t, 'azc-boottest-');
  const disk = join(dir, 'x.raw');
  writeFileSync(disk, Buffer.alloc(1024 * 1024));
  const bad = await runCli(['boot-test', disk, '--timeout', 'later'], { cwd: dir });
  assert.equal(bad.code, 2, bad.output);
  assert.match(bad.stderr, /timeout: "later" is not a positive duration/);
  const missing = await runCli(['boot-test', join(dir, 'nope.raw')], { cwd: dir });
  assert.equal(missing.code, 2, missing.output);
  assert.match(missing.stderr, /no disk image file/);
  const id = await runCli(['boot-test', '/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/images/i'], { cwd: dir });
  assert.equal(id.code, 2, id.output);
  assert.match(id.stderr, /add --emulator/);
});

test('accel auto without kvm_pvm: the probe decides, and the choice is printed (no boot loader: fails at once)', { skip, timeout: 120_000 }, async (t) => {
  const dir = await makeTempDir(t, 'azc-boottest-');
  // A sysroot without kvm_pvm: on a PVM host this exercises the probe itself.
  const sysroot = join(dir, 'sys');
  mkdirSync(join(sysroot, 'module', 'kvm'), { recursive: true });
  const disk = join(dir, 'blank.raw');
  writeFileSync(disk, Buffer.alloc(8 * 1024 * 1024, 0));
  const said: string[] = [];
  const result = await bootDisk({
    disk, firmware: 'bios', config: { timeoutMs: 90_000, expect: 'never printed', accel: 'auto', memoryMib: 256 },
    logPath: join(dir, 'probe.boot.log'), say: (m) => said.push(m), sysroot,
  });
  const unusable = await kvmUnusable({ devKvm: '/dev/kvm', sysroot });
  if (unusable) assert.deepEqual(result.accel, { accel: 'tcg', reason: unusable });
  else assert.ok(result.accel.accel === 'kvm' ? result.accel.reason === 'the KVM probe booted' : /^the KVM probe failed: /.test(result.accel.reason), JSON.stringify(result.accel));
  assert.equal(said[0], `accelerator: ${result.accel.accel} (${result.accel.reason})`);
  assert.equal(result.ok, false);
  assert.match(result.detail, /no bootable device/);
  assert.match(readFileSync(join(dir, 'probe.boot.log'), 'latin1'), /SeaBIOS/);
  assert.deepEqual(bootTempDirs(), []);
});
