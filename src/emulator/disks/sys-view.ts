// A sysfs-shaped view of the attached disks at <state>/sys, as a Linux guest on Azure sees them, so
// host device discovery can be pointed at it as its sysroot and its sysfs fallbacks run against a
// tree the emulator keeps true. Layout (the kernel's names; values as on Azure):
//
//   sys/devices/vmbus/<ctrl>/device_id             {f8b3781b-1e82-4818-a1c3-63d806ec15bb}
//   sys/devices/vmbus/<ctrl>/class_id              {ba6163d9-04a1-4d29-b605-72e2ffb1dc7f}
//   sys/devices/vmbus/<ctrl>/host3/target3:0:0/3:0:0:<lun>/{vendor,model}    "Msft", "Virtual Disk"
//   sys/devices/vmbus/<ctrl>/host3/target3:0:0/3:0:0:<lun>/block/<loopN>/dev  "7:N"
//   sys/devices/vmbus/<ctrl>/host3/target3:0:0/3:0:0:<lun>/block/<loopN>/<loopN>p<P>/{partition,dev}
//   sys/bus/vmbus/devices/<ctrl>         -> ../../../devices/vmbus/<ctrl>
//   sys/bus/scsi/devices/3:0:0:<lun>     -> ../../../devices/vmbus/<ctrl>/host3/target3:0:0/3:0:0:<lun>
//   sys/class/block/<loopN>              -> the block directory above
//   sys/devices/pci0000:00/0000:00:00.0/nvme/nvme0/model   "MSFT NVMe Accelerator v1.0"
//   sys/devices/pci0000:00/0000:00:00.0/nvme/nvme0/nvme0n<lun+2>/{nsid,dev}   nsid = LUN + 2
//   sys/class/nvme/nvme0                 -> ../../devices/pci0000:00/0000:00:00.0/nvme/nvme0
//
// <ctrl> is f8b3781b-1e82-4818-a1c3-63d806ec15bb, the data-disk controller WALinuxAgent's udev rules
// match for /dev/disk/azure/scsi1 ({f8b3781a-…} is scsi0, the Gen2 OS disk). The block device is the
// loop device that backs the disk (it exists in /dev); the NVMe namespace has no /dev node of its
// own: its `dev` names the loop device's major:minor. A VM has one data-disk controller type; the
// view shows both so that either discovery path can be tested.

import { mkdir, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';

/** The VMBus device id of the data-disk SCSI controller (WALinuxAgent 66-azure-storage.rules: scsi1). */
export const DATA_DISK_CONTROLLER = 'f8b3781b-1e82-4818-a1c3-63d806ec15bb';
/** The storvsc (synthetic SCSI) VMBus class id. */
export const STORVSC_CLASS = 'ba6163d9-04a1-4d29-b605-72e2ffb1dc7f';
export const NVME_MODEL = 'MSFT NVMe Accelerator v1.0';
const SCSI_HOST = 3;

/** Where the view lives for a state directory. */
export function sysRoot(stateDir: string): string {
  return join(stateDir, 'sys');
}

const controllerDir = (root: string) => join(root, 'devices/vmbus', DATA_DISK_CONTROLLER);
const scsiName = (lun: number) => `${SCSI_HOST}:0:0:${lun}`;
const lunDir = (root: string, lun: number) => join(controllerDir(root), `host${SCSI_HOST}`, `target${SCSI_HOST}:0:0`, scsiName(lun));
const nvmeDir = (root: string) => join(root, 'devices/pci0000:00/0000:00:00.0/nvme/nvme0');

async function link(target: string, at: string): Promise<void> {
  await mkdir(dirname(at), { recursive: true });
  await rm(at, { force: true });
  await symlink(relative(dirname(at), target), at);
}

/** major:minor of a block device node. */
async function majorMinor(device: string): Promise<string> {
  const rdev = (await stat(device)).rdev;
  return `${(rdev >> 8) & 0xfff}:${(rdev & 0xff) | ((rdev >> 12) & 0xfff00)}`;
}

/** Partition devices of `device` (e.g. /dev/loop0 → /dev/loop0p1) as the host kernel lists them. */
export async function partitionsOf(device: string, hostSys = '/sys'): Promise<Array<{ name: string; number: number }>> {
  const name = basename(device);
  const entries = await readdir(join(hostSys, 'class/block', name)).catch(() => [] as string[]);
  return entries
    .map((e) => ({ e, m: new RegExp(`^${name}p(\\d+)$`).exec(e) }))
    .filter((x) => x.m)
    .map((x) => ({ name: x.e, number: Number(x.m![1]) }))
    .sort((a, b) => a.number - b.number);
}

/** Adds the entries of the disk at `lun`, backed by `device`. */
export async function addToSysView(root: string, lun: number, device: string): Promise<void> {
  const ctrl = controllerDir(root);
  await mkdir(ctrl, { recursive: true });
  await writeFile(join(ctrl, 'device_id'), `{${DATA_DISK_CONTROLLER}}\n`);
  await writeFile(join(ctrl, 'class_id'), `{${STORVSC_CLASS}}\n`);
  await link(ctrl, join(root, 'bus/vmbus/devices', DATA_DISK_CONTROLLER));
  const dir = lunDir(root, lun);
  const name = basename(device);
  const block = join(dir, 'block', name);
  await mkdir(block, { recursive: true });
  await writeFile(join(dir, 'vendor'), 'Msft    \n');
  await writeFile(join(dir, 'model'), 'Virtual Disk    \n');
  const dev = await majorMinor(device);
  await writeFile(join(block, 'dev'), `${dev}\n`);
  for (const p of await partitionsOf(device)) {
    await mkdir(join(block, p.name), { recursive: true });
    await writeFile(join(block, p.name, 'partition'), `${p.number}\n`);
    await majorMinor(join(dirname(device), p.name)).then((d) => writeFile(join(block, p.name, 'dev'), `${d}\n`), () => undefined);
  }
  await link(dir, join(root, 'bus/scsi/devices', scsiName(lun)));
  await link(block, join(root, 'class/block', name));
  const nvme = nvmeDir(root);
  await mkdir(join(nvme, `nvme0n${lun + 2}`), { recursive: true });
  await writeFile(join(nvme, 'model'), `${NVME_MODEL}\n`);
  await writeFile(join(nvme, `nvme0n${lun + 2}`, 'nsid'), `${lun + 2}\n`);
  await writeFile(join(nvme, `nvme0n${lun + 2}`, 'dev'), `${dev}\n`);
  await link(nvme, join(root, 'class/nvme/nvme0'));
}

/** Removes the entries of the disk at `lun` (idempotent). */
export async function removeFromSysView(root: string, lun: number, device?: string): Promise<void> {
  await rm(join(root, 'bus/scsi/devices', scsiName(lun)), { force: true });
  await rm(lunDir(root, lun), { recursive: true, force: true });
  if (device) await rm(join(root, 'class/block', basename(device)), { force: true });
  await rm(join(nvmeDir(root), `nvme0n${lun + 2}`), { recursive: true, force: true });
}
