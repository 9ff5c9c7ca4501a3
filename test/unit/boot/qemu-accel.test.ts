import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseAccel, probeBootSector, PROBE_MARKER } from '../../../src/boot/accel.js';
import { qemuArgs } from '../../../src/boot/qemu-args.js';

function value(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));
}

test('qemu args (BIOS, TCG): overlay drive, serial on stdout, no network, no reboot, no display', () => {
  const args = qemuArgs({ overlay: '/tmp/a,b/overlay.qcow2', firmware: 'bios', accel: 'tcg', memoryMib: 1024, serconFile: '/tmp/s' });
  assert.deepEqual(value(args, '-nic'), ['none']);
  assert.deepEqual(value(args, '-serial'), ['stdio']);
  assert.deepEqual(value(args, '-display'), ['none']);
  assert.ok(args.includes('-no-reboot') && args.includes('-nodefaults'));
  assert.deepEqual(value(args, '-accel'), ['tcg']);
  assert.deepEqual(value(args, '-cpu'), []);
  assert.deepEqual(value(args, '-drive'), ['file=/tmp/a,,b/overlay.qcow2,format=qcow2,if=virtio,cache=unsafe']);
  assert.deepEqual(value(args, '-fw_cfg'), ['name=etc/sercon-port,file=/tmp/s']);
  assert.deepEqual(value(args, '-machine'), ['pc']);
});

test('qemu args (UEFI, KVM): read-only OVMF code, private vars, q35, host CPU', () => {
  const args = qemuArgs({ overlay: '/o.qcow2', firmware: 'uefi', accel: 'kvm', memoryMib: 512, uefi: { code: '/usr/share/OVMF/OVMF_CODE_4M.fd', vars: '/t/VARS.fd' } });
  assert.deepEqual(value(args, '-drive').slice(1), ['if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd', 'if=pflash,format=raw,unit=1,file=/t/VARS.fd']);
  assert.deepEqual(value(args, '-machine'), ['q35']);
  assert.deepEqual(value(args, '-cpu'), ['host']);
  assert.deepEqual(value(args, '-m'), ['512']);
  assert.throws(() => qemuArgs({ overlay: '/o', firmware: 'uefi', accel: 'tcg', memoryMib: 512 }));
});

function sysroot(pvm: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'azc-sys-'));
  mkdirSync(join(dir, 'module', 'kvm'), { recursive: true });
  if (pvm) mkdirSync(join(dir, 'module', 'kvm_pvm'));
  return dir;
}

test('accel: kvm_pvm makes KVM unusable without a probe; auto falls back to TCG and says why', async (t) => {
  const sys = sysroot(true);
  t.after(() => rmSync(sys, { recursive: true, force: true }));
  let probed = 0;
  const env = { devKvm: '/dev/null', sysroot: sys, probe: async () => { probed++; return undefined; } };
  assert.deepEqual(await chooseAccel('auto', env), { accel: 'tcg', reason: 'the kvm_pvm module is loaded (PVM nested virtualization: Linux kernels hang under it)' });
  assert.match((await chooseAccel('kvm', env) as { error: string }).error, /accel = "kvm" but the kvm_pvm module is loaded/);
  assert.equal(probed, 0);
});

test('accel: auto trusts KVM only when the probe boots; tcg never probes', async (t) => {
  const sys = sysroot(false);
  const dev = join(sys, 'kvm');
  writeFileSync(dev, '');
  t.after(() => rmSync(sys, { recursive: true, force: true }));
  let probed = 0;
  const ok = { devKvm: dev, sysroot: sys, probe: async () => { probed++; return undefined; } };
  const bad = { ...ok, probe: async () => { probed++; return 'no success within 20 s'; } };
  assert.deepEqual(await chooseAccel('auto', ok), { accel: 'kvm', reason: 'the KVM probe booted' });
  assert.deepEqual(await chooseAccel('auto', bad), { accel: 'tcg', reason: 'the KVM probe failed: no success within 20 s' });
  assert.equal(probed, 2);
  assert.deepEqual(await chooseAccel('tcg', bad), { accel: 'tcg', reason: 'accel = "tcg"' });
  assert.equal(probed, 2);
  const missing = await chooseAccel('auto', { ...ok, devKvm: join(sys, 'nope') });
  assert.deepEqual(missing, { accel: 'tcg', reason: `${join(sys, 'nope')} is not usable (ENOENT)` });
});

test('the probe boot sector: 512 bytes, boot signature, the marker as its message', () => {
  const s = probeBootSector();
  assert.equal(s.length, 512);
  assert.equal(s.readUInt16LE(510), 0xaa55);
  assert.ok(s.toString('latin1').includes(`${PROBE_MARKER}\r\n\0`));
  // mov si, imm16 points at the message.
  assert.equal(s[5], 0xbe);
  assert.equal(s.readUInt16LE(6) - 0x7c00, s.indexOf(PROBE_MARKER));
});
