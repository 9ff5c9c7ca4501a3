// Finding the block device of a disk attached at a LUN. Resolvers, in order: the waagent SCSI link
// (<devroot>/disk/azure/scsi1/lun<N>), the azure-vm-utils NVMe link (<devroot>/disk/azure/data/by-lun/<N>),
// a sysfs scan of the VMBus data-disk SCSI controller, and NVMe namespace LUN+2 on the Azure NVMe
// controller. Polled until one answers; the error lists every place tried.

import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { CancelledError, HostError } from '../errors.js';

export interface FindDeviceOptions {
  devroot?: string;
  sysroot?: string;
  timeoutMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
}

export interface FoundDevice {
  device: string;
  /** Which resolver found it, e.g. "scsi1 link <devroot>/disk/azure/scsi1/lun0". */
  via: string;
}

interface Resolver {
  describe: string;
  find(): string | undefined;
}

/** Waits for the device of `lun`; throws HostError (AZC_HOST_DEVICE) naming every path tried. */
export async function findDevice(lun: number, options: FindDeviceOptions = {}): Promise<FoundDevice> {
  const resolvers = deviceResolvers(lun, options.devroot ?? '/dev', options.sysroot ?? '/sys');
  const timeoutMs = options.timeoutMs ?? 180_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const r of resolvers) {
      const device = r.find();
      if (device) return { device, via: r.describe };
    }
    if (options.signal?.aborted) throw new CancelledError(`interrupted while waiting for the disk at LUN ${lun} to appear`);
    if (Date.now() >= deadline) break;
    await sleep(options.pollMs ?? 100, options.signal);
  }
  throw new HostError('AZC_HOST_DEVICE', `the disk attached at LUN ${lun} did not show up as a block device within ${formatSeconds(timeoutMs)}; tried:\n${resolvers.map((r) => `  - ${r.describe}`).join('\n')}`, {
    hint: 'install the Azure udev rules (WALinuxAgent for SCSI, azure-vm-utils for NVMe), or raise the device timeout (AZCHROOT_DEVICE_TIMEOUT_MS, in ms)',
  });
}

// 1500 → "1.5 s", 180000 → "180 s": a short test timeout must not read as a rounded-up one.
function formatSeconds(ms: number): string {
  return `${Number.isInteger(ms / 1000) ? ms / 1000 : (ms / 1000).toFixed(1)} s`;
}

/** The resolvers for `lun`, in the order they are tried. */
export function deviceResolvers(lun: number, devroot: string, sysroot: string): Resolver[] {
  const scsiLink = join(devroot, 'disk/azure/scsi1', `lun${lun}`);
  const nvmeLink = join(devroot, 'disk/azure/data/by-lun', String(lun));
  return [
    { describe: `SCSI link ${scsiLink}`, find: () => fromLink(scsiLink, devroot) },
    { describe: `NVMe link ${nvmeLink}`, find: () => fromLink(nvmeLink, devroot) },
    {
      describe: `sysfs ${join(sysroot, 'bus/scsi/devices')}/*:*:*:${lun}/block/* on the VMBus data-disk controller (device_id {00000001-0001-...})`,
      find: () => fromScsiSysfs(lun, sysroot),
    },
    {
      describe: `sysfs ${join(sysroot, 'class/nvme')}/nvme*/nvme*n${lun + 2} on an "MSFT NVMe Accelerator" controller (namespace = LUN + 2)`,
      find: () => fromNvmeSysfs(lun, sysroot),
    },
  ];
}

// A relative link target is resolved against the link's directory (waagent makes ../../sdc links).
// With a private devroot (the emulator's), the target may be named relative to the devroot while the
// node itself lives in /dev: map it there.
function fromLink(link: string, devroot: string): string | undefined {
  let target: string;
  try {
    target = readlinkSync(link);
  } catch {
    return undefined;
  }
  const absolute = resolve(dirname(link), target);
  if (isBlockDevice(absolute)) return absolute;
  const inDevroot = relative(resolve(devroot), absolute);
  if (!inDevroot.startsWith('..')) {
    const mapped = join('/dev', inDevroot);
    if (isBlockDevice(mapped)) return mapped;
  }
  return undefined;
}

function fromScsiSysfs(lun: number, sysroot: string): string | undefined {
  const dir = join(sysroot, 'bus/scsi/devices');
  for (const name of safeList(dir)) {
    const m = /^\d+:\d+:\d+:(\d+)$/.exec(name);
    if (!m || Number(m[1]) !== lun) continue;
    const real = safeRealpath(join(dir, name));
    if (!real || !onDataDiskController(real, sysroot)) continue;
    const block = safeList(join(dir, name, 'block'))[0];
    if (block && existsSync(join('/dev', block))) return join('/dev', block);
  }
  return undefined;
}

// waagent's rule: the data-disk controller is the VMBus device whose device_id starts {00000001-0001-.
function onDataDiskController(real: string, sysroot: string): boolean {
  for (let dir = real; dir.startsWith(sysroot) && dir !== sysroot; dir = dirname(dir)) {
    const id = safeRead(join(dir, 'device_id'));
    if (id !== undefined) return /^\{?00000001-0001-/i.test(id.trim());
  }
  return false;
}

function fromNvmeSysfs(lun: number, sysroot: string): string | undefined {
  const dir = join(sysroot, 'class/nvme');
  for (const ctrl of safeList(dir)) {
    if (!/MSFT NVMe Accelerator/i.test(safeRead(join(dir, ctrl, 'model')) ?? '')) continue;
    const ns = `${ctrl}n${lun + 2}`;
    if (existsSync(join(dir, ctrl, ns)) && existsSync(join('/dev', ns))) return join('/dev', ns);
  }
  return undefined;
}

function isBlockDevice(path: string): boolean {
  try {
    return statSync(path).isBlockDevice();
  } catch {
    return false;
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function safeRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((r) => {
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      r();
    }
  });
}
