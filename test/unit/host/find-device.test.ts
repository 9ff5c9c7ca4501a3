import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDevice } from '../../../src/host/find-device.js';
import { AzchrootError } from '../../../src/errors.js';

// /dev/loop0 exists on any host with loop support; it stands in for the attached disk's node.
const NODE = '/dev/loop0';

function tempRoot(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'azc-dev-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('findDevice: the SCSI link wins and is resolved relative to its directory (devroot-relative target mapped to /dev)', { skip: !existsSync(NODE) }, async (t) => {
  const devroot = tempRoot(t);
  mkdirSync(join(devroot, 'disk/azure/scsi1'), { recursive: true });
  symlinkSync('../../../loop0', join(devroot, 'disk/azure/scsi1/lun3'));
  mkdirSync(join(devroot, 'disk/azure/data/by-lun'), { recursive: true });
  symlinkSync('/dev/loop1', join(devroot, 'disk/azure/data/by-lun/3'));
  const found = await findDevice(3, { devroot, sysroot: join(devroot, 'nosys'), timeoutMs: 200 });
  assert.equal(found.device, NODE);
  assert.match(found.via, /SCSI link .*scsi1\/lun3/);
});

test('findDevice: falls back to the data/by-lun link', { skip: !existsSync(NODE) }, async (t) => {
  const devroot = tempRoot(t);
  mkdirSync(join(devroot, 'disk/azure/data/by-lun'), { recursive: true });
  symlinkSync('../../../../loop0', join(devroot, 'disk/azure/data/by-lun/5'));
  const found = await findDevice(5, { devroot, sysroot: join(devroot, 'nosys'), timeoutMs: 200 });
  assert.equal(found.device, NODE);
  assert.match(found.via, /data disk link/);
});

test('findDevice: sysfs scan accepts only the VMBus data-disk controller', { skip: !existsSync(NODE) }, async (t) => {
  const root = tempRoot(t);
  const sys = join(root, 'sys');
  // OS disk controller (device_id 00000000-0000-...) with LUN 0, and the data controller with LUN 0.
  const osCtrl = join(sys, 'devices/vmbus/os-ctrl');
  const dataCtrl = join(sys, 'devices/vmbus/data-ctrl');
  mkdirSync(join(osCtrl, 'host0/0:0:0:0/block/loop1'), { recursive: true });
  writeFileSync(join(osCtrl, 'device_id'), '{00000000-0000-8899-0000-000000000000}\n');
  mkdirSync(join(dataCtrl, 'host3/3:0:0:0/block/loop0'), { recursive: true });
  writeFileSync(join(dataCtrl, 'device_id'), '{f8b3781b-1e82-4818-a1c3-63d806ec15bb}\n');
  mkdirSync(join(sys, 'bus/scsi/devices'), { recursive: true });
  symlinkSync(join(osCtrl, 'host0/0:0:0:0'), join(sys, 'bus/scsi/devices/0:0:0:0'));
  symlinkSync(join(dataCtrl, 'host3/3:0:0:0'), join(sys, 'bus/scsi/devices/3:0:0:0'));
  const found = await findDevice(0, { devroot: join(root, 'dev'), sysroot: sys, timeoutMs: 200 });
  assert.equal(found.device, NODE);
  assert.match(found.via, /sysfs/);
});

test('findDevice: waits for a link that appears later', { skip: !existsSync(NODE) }, async (t) => {
  const devroot = tempRoot(t);
  mkdirSync(join(devroot, 'disk/azure/scsi1'), { recursive: true });
  setTimeout(() => symlinkSync('../../../loop0', join(devroot, 'disk/azure/scsi1/lun1')), 150);
  const found = await findDevice(1, { devroot, sysroot: join(devroot, 'nosys'), timeoutMs: 5000, pollMs: 20 });
  assert.equal(found.device, NODE);
});

test('findDevice: the error lists every place tried', async (t) => {
  const devroot = tempRoot(t);
  mkdirSync(join(devroot, 'disk/azure/scsi1'), { recursive: true });
  // A dangling link is not a device.
  symlinkSync('../../../no-such-node', join(devroot, 'disk/azure/scsi1/lun2'));
  await assert.rejects(findDevice(2, { devroot, sysroot: join(devroot, 'sys'), timeoutMs: 100, pollMs: 20 }), (e: unknown) => {
    assert.ok(AzchrootError.is(e));
    assert.equal(e.code, 'AZC_HOST_DEVICE');
    assert.match(e.message, /LUN 2/);
    assert.ok(e.message.includes(join(devroot, 'disk/azure/scsi1/lun2')));
    assert.ok(e.message.includes(join(devroot, 'disk/azure/data/by-lun/2')));
    assert.ok(e.message.includes(join(devroot, 'sys/bus/scsi/devices') + '/*:*:*:2'));
    assert.ok(e.message.includes('nvme*n* with nsid 4'));
    return true;
  });
});

test('findDevice: an aborted signal stops the wait', async (t) => {
  const devroot = tempRoot(t);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(findDevice(7, { devroot, sysroot: devroot, timeoutMs: 60_000, signal: ac.signal }), (e: unknown) => AzchrootError.is(e) && e.code === 'AZC_CANCELLED');
});
