// Device discovery on fake sysfs trees shaped like real Azure VMs: a SCSI VM (Hyper-V VMBus
// storage controllers, host/target/LUN), an NVMe VM (controller model, nsid, multipath names), and
// stale links to the wrong device. Device nodes are symlinks to /dev/loop0 (a block device on any
// host with loop support); sizes come from the fake sysfs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { DATA_DISK_CONTROLLER_IDS, findDevice, rescanDataControllers } from '../../../src/host/find-device.js';
import { AzchrootError } from '../../../src/errors.js';

const NODE = '/dev/loop0';
const skip = !existsSync(NODE);
const GIB_SECTORS = (1024 ** 3) / 512;
const VMBUS = 'devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0004:00/VMBUS:00';
const OS_CTRL = 'f8b3781a-1e82-4818-a1c3-63d806ec15bb';
const DATA_CTRL = 'f8b3781b-1e82-4818-a1c3-63d806ec15bb';
const BEK_CTRL = '00000001-0001-8899-0000-000000000000';

interface Tree { root: string; sys: string; dev: string; mounts: string }

function tree(t: { after(fn: () => void): void }): Tree {
  const root = mkdtempSync(join(tmpdir(), 'azc-sysfs-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const tr = { root, sys: join(root, 'sys'), dev: join(root, 'dev'), mounts: join(root, 'mounts') };
  mkdirSync(tr.dev, { recursive: true });
  writeFileSync(tr.mounts, '/dev/sda1 / ext4 rw 0 0\n');
  return tr;
}

function link(target: string, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(relative(dirname(path), target), path);
}

/** A Hyper-V SCSI controller (VMBus device) with SCSI host `host`. */
function scsiController(tr: Tree, id: string, host: number): string {
  const dir = join(tr.sys, VMBUS, id);
  mkdirSync(join(dir, `host${host}/scsi_host/host${host}`), { recursive: true });
  writeFileSync(join(dir, 'device_id'), `{${id}}\n`);
  writeFileSync(join(dir, 'class_id'), '{ba6163d9-04a1-4d29-b605-72e2ffb1dc7f}\n');
  writeFileSync(join(dir, `host${host}/scsi_host/host${host}/scan`), '');
  link(join(dir, `host${host}/scsi_host/host${host}`), join(tr.sys, 'class/scsi_host', `host${host}`));
  return dir;
}

/** A disk `name` at host:0:0:lun on controller `ctrl`, `gib` GiB, with its /dev node. */
function scsiDisk(tr: Tree, ctrl: string, host: number, lun: number, name: string, gib: number): void {
  const hctl = `${host}:0:0:${lun}`;
  const dev = join(ctrl, `host${host}/target${host}:0:0`, hctl);
  mkdirSync(join(dev, 'block', name), { recursive: true });
  writeFileSync(join(dev, 'vendor'), 'Msft    \n');
  writeFileSync(join(dev, 'model'), 'Virtual Disk    \n');
  writeFileSync(join(dev, 'block', name, 'size'), `${gib * GIB_SECTORS}\n`);
  link(dev, join(tr.sys, 'bus/scsi/devices', hctl));
  link(join(dev, 'block', name), join(tr.sys, 'class/block', name));
  symlinkSync(NODE, join(tr.dev, name));
}

/** An Azure SCSI VM: OS disk sda and resource disk sdb on the first controller, data disks on the data controller. */
function scsiVm(tr: Tree, dataDisks: { lun: number; name: string; gib: number }[]): void {
  const os = scsiController(tr, OS_CTRL, 0);
  scsiDisk(tr, os, 0, 0, 'sda', 30);
  scsiDisk(tr, os, 0, 1, 'sdb', 16);
  const data = scsiController(tr, DATA_CTRL, 1);
  for (const d of dataDisks) scsiDisk(tr, data, 1, d.lun, d.name, d.gib);
}

test('SCSI VM: the data-disk controller {f8b3781b-...} is the one matched, not the OS controller with the same LUN', { skip }, async (t) => {
  const tr = tree(t);
  scsiVm(tr, [{ lun: 0, name: 'sdc', gib: 4 }, { lun: 1, name: 'sdd', gib: 8 }]);
  const at0 = await findDevice(0, { devroot: tr.dev, sysroot: tr.sys, timeoutMs: 100, mountsFile: tr.mounts, expect: { sizeGB: 4 }, rescan: async () => undefined });
  assert.equal(at0.device, join(tr.dev, 'sdc'));
  assert.match(at0.via, /sysfs .*bus\/scsi\/devices.*\{f8b3781b-1e82-4818-a1c3-63d806ec15bb\}/);
  const at1 = await findDevice(1, { devroot: tr.dev, sysroot: tr.sys, timeoutMs: 100, mountsFile: tr.mounts, expect: { sizeGB: 8 }, rescan: async () => undefined });
  assert.equal(at1.device, join(tr.dev, 'sdd'));
  assert.deepEqual(DATA_DISK_CONTROLLER_IDS[0], `{${DATA_CTRL}}`);
});

test('SCSI VM: a LUN on the old BEK-volume controller id is not a data disk', { skip }, async (t) => {
  const tr = tree(t);
  const bek = scsiController(tr, BEK_CTRL, 2);
  scsiDisk(tr, bek, 2, 0, 'sde', 1);
  await assert.rejects(findDevice(0, { devroot: tr.dev, sysroot: tr.sys, timeoutMs: 50, pollMs: 10, mountsFile: tr.mounts, rescan: async () => undefined }), /did not show up as a block device/);
});

test('SCSI VM: between rounds only the data controller\'s SCSI host is rescanned, then the disk is found', { skip }, async (t) => {
  const tr = tree(t);
  scsiVm(tr, []);
  let rounds = 0;
  const found = await findDevice(2, {
    devroot: tr.dev, sysroot: tr.sys, timeoutMs: 5000, pollMs: 5, mountsFile: tr.mounts, expect: { sizeGB: 4 },
    rescan: async () => {
      rounds += 1;
      const written = rescanDataControllers(tr.sys);
      assert.deepEqual(written, [join(tr.sys, 'class/scsi_host/host1/scan')]);
      // The rescan makes the kernel see the new LUN.
      if (rounds === 2) scsiDisk(tr, join(tr.sys, VMBUS, DATA_CTRL), 1, 2, 'sdf', 4);
    },
  });
  assert.equal(found.device, join(tr.dev, 'sdf'));
  assert.equal(rounds, 2);
  assert.equal(readFileSync(join(tr.sys, 'class/scsi_host/host1/scan'), 'utf8'), '- - -');
  assert.equal(readFileSync(join(tr.sys, 'class/scsi_host/host0/scan'), 'utf8'), '', 'the OS disk controller is left alone');
});

/** An Azure NVMe VM: controller nvme0 "MSFT NVMe Accelerator v1.0" with namespaces; `multipath` adds nvme0c0nX path nodes and a subsystem. */
function nvmeVm(tr: Tree, namespaces: { name: string; nsid: number; gib: number }[], o: { multipath?: boolean } = {}): void {
  const ctrl = join(tr.sys, 'devices/pci0000:00/0000:00:00.0/nvme/nvme0');
  mkdirSync(ctrl, { recursive: true });
  writeFileSync(join(ctrl, 'model'), 'MSFT NVMe Accelerator v1.0              \n');
  link(ctrl, join(tr.sys, 'class/nvme/nvme0'));
  const subsys = join(tr.sys, 'devices/virtual/nvme-subsystem/nvme-subsys0');
  if (o.multipath) {
    mkdirSync(subsys, { recursive: true });
    writeFileSync(join(subsys, 'model'), 'MSFT NVMe Accelerator v1.0              \n');
  }
  for (const ns of namespaces) {
    const head = o.multipath ? join(subsys, ns.name) : join(ctrl, ns.name);
    mkdirSync(head, { recursive: true });
    writeFileSync(join(head, 'nsid'), `${ns.nsid}\n`);
    writeFileSync(join(head, 'size'), `${ns.gib * GIB_SECTORS}\n`);
    symlinkSync(o.multipath ? '../../nvme-subsys0' : '../../nvme0', join(head, 'device'));
    link(head, join(tr.sys, 'class/block', ns.name));
    symlinkSync(NODE, join(tr.dev, ns.name));
    if (o.multipath) {
      // The path node: in sysfs under the controller, with the same nsid, but no /dev node.
      const pathName = ns.name.replace(/^nvme(\d+)n/, 'nvme$1c0n');
      const p = join(ctrl, pathName);
      mkdirSync(p, { recursive: true });
      writeFileSync(join(p, 'nsid'), `${ns.nsid}\n`);
      link(p, join(tr.sys, 'class/block', pathName));
    }
  }
  // A local NVMe disk on a Direct Disk controller: nsid 2 there is not LUN 0.
  const local = join(tr.sys, 'devices/pci0000:00/0000:00:01.0/nvme/nvme1');
  mkdirSync(join(local, 'nvme1n2'), { recursive: true });
  writeFileSync(join(local, 'model'), 'Microsoft NVMe Direct Disk v2\n');
  writeFileSync(join(local, 'nvme1n2/nsid'), '2\n');
  symlinkSync('../../nvme1', join(local, 'nvme1n2/device'));
  link(join(local, 'nvme1n2'), join(tr.sys, 'class/block/nvme1n2'));
  symlinkSync(NODE, join(tr.dev, 'nvme1n2'));
}

test('NVMe VM: the LUN is nsid - 2 read from the nsid attribute, not the kernel\'s nvmeXnY number', { skip }, async (t) => {
  const tr = tree(t);
  // After detach and re-attach the kernel names no longer follow the namespace ids.
  nvmeVm(tr, [{ name: 'nvme0n1', nsid: 1, gib: 30 }, { name: 'nvme0n2', nsid: 3, gib: 8 }, { name: 'nvme0n3', nsid: 2, gib: 4 }]);
  const at0 = await findDevice(0, { devroot: tr.dev, sysroot: tr.sys, timeoutMs: 100, mountsFile: tr.mounts, expect: { sizeGB: 4 }, rescan: async () => undefined });
  assert.equal(at0.device, join(tr.dev, 'nvme0n3'));
  assert.match(at0.via, /nsid 2 on an "MSFT NVMe Accelerator" controller/);
  const at1 = await findDevice(1, { devroot: tr.dev, sysroot: tr.sys, timeoutMs: 100, mountsFile: tr.mounts, expect: { sizeGB: 8 }, rescan: async () => undefined });
  assert.equal(at1.device, join(tr.dev, 'nvme0n2'));
});

test('NVMe VM with native multipath: the head node (nvme0n2) is used, never the path node (nvme0c0n2)', { skip }, async (t) => {
  const tr = tree(t);
  nvmeVm(tr, [{ name: 'nvme0n1', nsid: 1, gib: 30 }, { name: 'nvme0n2', nsid: 2, gib: 4 }], { multipath: true });
  const found = await findDevice(0, { devroot: tr.dev, sysroot: tr.sys, timeoutMs: 100, mountsFile: tr.mounts, expect: { sizeGB: 4 }, rescan: async () => undefined });
  assert.equal(found.device, join(tr.dev, 'nvme0n2'));
});

test('a stale link to another disk is passed over when sysfs shows the right one', { skip }, async (t) => {
  const tr = tree(t);
  scsiVm(tr, [{ lun: 0, name: 'sdc', gib: 4 }, { lun: 3, name: 'sdd', gib: 30 }]);
  // udev has not yet renewed lun0: it still points at the 30 GiB disk that was there before.
  link(join(tr.dev, 'sdd'), join(tr.dev, 'disk/azure/scsi1/lun0'));
  const found = await findDevice(0, { devroot: tr.dev, sysroot: tr.sys, timeoutMs: 100, mountsFile: tr.mounts, expect: { sizeGB: 4 }, rescan: async () => undefined });
  assert.equal(found.device, join(tr.dev, 'sdc'));
  assert.match(found.via, /sysfs/);
});

test('a stale link and nothing else: refused with a message naming the link, the device and both sizes', { skip }, async (t) => {
  const tr = tree(t);
  scsiVm(tr, [{ lun: 3, name: 'sdd', gib: 30 }]);
  link(join(tr.dev, 'sdd'), join(tr.dev, 'disk/azure/scsi1/lun0'));
  await assert.rejects(findDevice(0, { devroot: tr.dev, sysroot: tr.sys, timeoutMs: 60, pollMs: 10, mountsFile: tr.mounts, expect: { sizeGB: 4 }, rescan: async () => undefined }), (e: unknown) => {
    assert.ok(AzchrootError.is(e));
    assert.equal(e.code, 'AZC_HOST_DEVICE');
    assert.ok(e.message.includes(`SCSI link ${join(tr.dev, 'disk/azure/scsi1/lun0')} leads to ${join(tr.dev, 'sdd')}, which is 30 GiB, not the 4 GiB of the disk just attached`), e.message);
    assert.match(e.message, /refusing to use a device that is not the disk just attached/);
    assert.match(e.hint ?? '', /udevadm trigger/);
    return true;
  });
});

test('a link to a device that is mounted is refused even when the size matches', { skip }, async (t) => {
  const tr = tree(t);
  scsiVm(tr, []);
  link(join(tr.dev, 'sda'), join(tr.dev, 'disk/azure/scsi1/lun0'));
  // sda (the OS disk, 30 GiB) is mounted through its partition.
  writeFileSync(tr.mounts, `${NODE}p1 / ext4 rw 0 0\n`);
  await assert.rejects(findDevice(0, { devroot: tr.dev, sysroot: tr.sys, timeoutMs: 50, pollMs: 10, mountsFile: tr.mounts, expect: { sizeGB: 30 }, rescan: async () => undefined }),
    new RegExp(`leads to ${join(tr.dev, 'sda').replace(/[/.]/g, '\\$&')}, which is in use \\(${NODE}p1 is mounted on /\\)`));
});

test('a serial that differs is refused; without an expected size the device is accepted as before', { skip }, async (t) => {
  const tr = tree(t);
  scsiVm(tr, [{ lun: 0, name: 'sdc', gib: 4 }]);
  writeFileSync(join(tr.sys, 'class/block/sdc/wwid'), 't10.MSFT    60022480aaaa\n');
  await assert.rejects(findDevice(0, { devroot: tr.dev, sysroot: tr.sys, timeoutMs: 50, pollMs: 10, mountsFile: tr.mounts, expect: { sizeGB: 4, serial: '60022480bbbb' }, rescan: async () => undefined }), /has serial\/WWN t10\.MSFT {4}60022480aaaa, not 60022480bbbb/);
  const found = await findDevice(0, { devroot: tr.dev, sysroot: tr.sys, timeoutMs: 50, mountsFile: tr.mounts, expect: { sizeGB: 4, serial: '60022480AAAA' }, rescan: async () => undefined });
  assert.equal(found.device, join(tr.dev, 'sdc'));
  assert.equal((await findDevice(0, { devroot: tr.dev, sysroot: tr.sys, timeoutMs: 50, mountsFile: tr.mounts, rescan: async () => undefined })).device, join(tr.dev, 'sdc'));
});
