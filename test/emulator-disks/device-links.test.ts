// The links and the sysfs view a real VM has for a data disk: scsi1/lun<N> and data/by-lun/<N>
// (relative), -part<P> links for the partitions the disk has when it attaches, a sysfs-shaped tree
// under <state>/sys (SCSI host/LUN under the Hyper-V data-disk controller, NVMe nsid = LUN + 2), and
// links that appear only after a configured delay, as udev makes them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { createDiskBackend } from '../../src/emulator/disks/index.js';
import { relativeTarget } from '../../src/emulator/disks/device-links.js';
import { DATA_DISK_CONTROLLER, sysRoot } from '../../src/emulator/disks/sys-view.js';
import { deferStack, makeTempDir } from '../helpers/temp-dir.js';

const MIB = 1024 ** 2;
const lexical = (link: string) => resolve(dirname(link), readlinkSync(link));

test('attach of a partitioned disk: scsi1 and by-lun links with -part links, a sysfs view; detach removes them all', async (t) => {
  const state = await makeTempDir(t, 'azc-links-');
  const devroot = `${state}/dev`;
  const disks = createDiskBackend(state, devroot);
  deferStack(t)(() => disks.detachAll());
  const blob = await disks.createEmpty(64 * MIB);
  // Partition it while attached once, as a build's pre_mount would; the next attach finds the table.
  const first = await disks.attach('/d/os', blob, 0);
  execFileSync('sfdisk', ['-q', first], { input: 'label: dos\n,32M,L\n,,L\n' });
  await disks.detach(0);

  const device = await disks.attach('/d/os', blob, 2);
  const scsi = join(devroot, 'disk/azure/scsi1/lun2');
  const byLun = join(devroot, 'disk/azure/data/by-lun/2');
  for (const link of [scsi, byLun, `${scsi}-part1`, `${scsi}-part2`, `${byLun}-part1`, `${byLun}-part2`]) {
    assert.ok(!isAbsolute(readlinkSync(link)), `${link} is relative`);
  }
  // With devroot /dev this is ../../../../loopN (relativeTarget is the same function the backend uses).
  assert.equal(relativeTarget('/dev/disk/azure/data/by-lun', device), `../../../../${device.split('/').pop()}`);
  assert.equal(lexical(scsi), device);
  assert.equal(lexical(byLun), device);
  assert.equal(lexical(`${scsi}-part2`), `${device}p2`);
  assert.ok(statSync(`${byLun}-part1`).isBlockDevice());

  const sys = sysRoot(state);
  const lunDev = join(sys, 'bus/scsi/devices/3:0:0:2');
  const real = realpathSync(lunDev);
  assert.equal(readFileSync(join(sys, 'bus/vmbus/devices', DATA_DISK_CONTROLLER, 'device_id'), 'utf8').trim(), `{${DATA_DISK_CONTROLLER}}`);
  assert.ok(real.startsWith(realpathSync(join(sys, 'bus/vmbus/devices', DATA_DISK_CONTROLLER))), 'the LUN sits under the data-disk controller');
  assert.equal(readFileSync(join(lunDev, 'vendor'), 'utf8').trim(), 'Msft');
  const name = device.split('/').pop()!;
  const rdev = statSync(device).rdev;
  assert.equal(readFileSync(join(lunDev, 'block', name, 'dev'), 'utf8').trim(), `${(rdev >> 8) & 0xfff}:${rdev & 0xff}`);
  assert.equal(readFileSync(join(lunDev, 'block', name, `${name}p2`, 'partition'), 'utf8').trim(), '2');
  assert.equal(readFileSync(join(sys, 'class/nvme/nvme0/model'), 'utf8').trim(), 'MSFT NVMe Accelerator v1.0');
  assert.equal(readFileSync(join(sys, 'class/nvme/nvme0/nvme0n4/nsid'), 'utf8').trim(), '4', 'NVMe namespace = LUN + 2');

  await disks.detach(2);
  for (const gone of [scsi, byLun, `${scsi}-part1`, `${byLun}-part2`, lunDev, join(sys, 'class/nvme/nvme0/nvme0n4')]) {
    assert.ok(!existsSync(gone), `${gone} is removed on detach`);
  }
});

test('links appear only after the configured delay (udev), the sysfs view at once; a detach before then cancels them', async (t) => {
  const state = await makeTempDir(t, 'azc-links-delay-');
  const devroot = `${state}/dev`;
  const disks = createDiskBackend(state, devroot);
  deferStack(t)(() => disks.detachAll());
  const blob = await disks.createEmpty(8 * MIB);
  await disks.attach('/d/x', blob, 1, { linkDelayMs: 60_000 });
  assert.ok(existsSync(join(sysRoot(state), 'bus/scsi/devices/3:0:0:1')), 'the kernel view exists at once');
  assert.ok(!existsSync(join(devroot, 'disk/azure/scsi1/lun1')), 'no link before the delay has passed');
  assert.ok(!existsSync(join(devroot, 'disk/azure/data/by-lun/1')));
  await disks.detach(1);
  assert.ok(!existsSync(join(sysRoot(state), 'bus/scsi/devices/3:0:0:1')));
});
