// Finding the block device of a disk attached at a LUN, and making sure it is that disk.
// Resolvers, in order:
//  1. WALinuxAgent's SCSI link <devroot>/disk/azure/scsi1/lun<N>;
//  2. azure-vm-utils' link <devroot>/disk/azure/data/by-lun/<N> (SCSI and NVMe VMs);
//  3. sysfs: a SCSI device with LUN N under the Hyper-V VMBus storage controller for data disks,
//     device_id {f8b3781b-1e82-4818-a1c3-63d806ec15bb} (also ...781c and ...781d, the further data
//     controllers), vendor Msft: the controller azure-vm-utils' 80-azure-disk.rules types as "data";
//  4. sysfs: an NVMe namespace of an "MSFT NVMe Accelerator" controller whose nsid attribute is
//     N + 2 (nsid 1 is the OS disk), as azure-vm-utils computes the LUN; the kernel's nvmeXnY name
//     is not the nsid, and multipath path nodes (nvmeXcYnZ) have no /dev node and are skipped.
// Between rounds, where this is the real /dev, udev is let settle and the data controllers' SCSI
// hosts are rescanned. A device is accepted only when it is the disk just attached: its size is the
// disk's size, it is not mounted, and (where given) its serial matches; a link to anything else is
// a stale link, refused with a message naming it.

import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { CancelledError, HostError } from '../errors.js';
import { runArgv } from './exec.js';
import { readMounts } from './proc-mounts.js';

/** VMBus device ids of the Hyper-V SCSI controllers Azure puts data disks on. */
export const DATA_DISK_CONTROLLER_IDS = [
  '{f8b3781b-1e82-4818-a1c3-63d806ec15bb}',
  '{f8b3781c-1e82-4818-a1c3-63d806ec15bb}',
  '{f8b3781d-1e82-4818-a1c3-63d806ec15bb}',
];

/** What the attached disk must look like. */
export interface ExpectedDisk {
  /** The managed disk's size (diskSizeGB, GiB). */
  sizeGB?: number;
  /** Serial or WWN, where the platform exposes one. */
  serial?: string;
}

export interface FindDeviceOptions {
  devroot?: string;
  sysroot?: string;
  timeoutMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
  expect?: ExpectedDisk;
  /** Mount table to check the device against (default /proc/self/mounts). */
  mountsFile?: string;
  /** Runs between rounds; default: udev settle and SCSI rescan when devroot is /dev. */
  rescan?: () => Promise<void>;
}

export interface FoundDevice {
  device: string;
  /** Which resolver found it, e.g. "SCSI link <devroot>/disk/azure/scsi1/lun0". */
  via: string;
}

interface Resolver {
  describe: string;
  find(): string | undefined;
}

/** Waits for the device of `lun`; throws HostError (AZC_HOST_DEVICE) naming every path tried, or the stale link refused. */
export async function findDevice(lun: number, options: FindDeviceOptions = {}): Promise<FoundDevice> {
  const devroot = options.devroot ?? '/dev';
  const sysroot = options.sysroot ?? '/sys';
  const resolvers = deviceResolvers(lun, devroot, sysroot);
  const timeoutMs = options.timeoutMs ?? 180_000;
  const deadline = Date.now() + timeoutMs;
  const rescan = options.rescan ?? (resolve(devroot) === '/dev' ? () => settleAndRescan(sysroot) : undefined);
  let refused: string | undefined;
  for (;;) {
    refused = undefined;
    for (const r of resolvers) {
      const device = r.find();
      if (!device) continue;
      const mismatch = identityMismatch(device, sysroot, options.expect, options.mountsFile);
      if (!mismatch) return { device, via: r.describe };
      // A stale link (udev not done yet, or left from an earlier disk): keep looking, remember why.
      refused ??= `${r.describe} leads to ${device}, which ${mismatch}`;
    }
    if (options.signal?.aborted) throw new CancelledError(`interrupted while waiting for the disk at LUN ${lun} to appear`);
    if (Date.now() >= deadline) break;
    await rescan?.().catch(() => undefined);
    await sleep(options.pollMs ?? 100, options.signal);
  }
  if (refused) {
    throw new HostError('AZC_HOST_DEVICE', `the disk attached at LUN ${lun} was not found within ${formatSeconds(timeoutMs)}: ${refused}; refusing to use a device that is not the disk just attached`, {
      hint: 'a stale /dev/disk/azure link points at another disk: run "udevadm trigger --subsystem-match=block" (or reboot) to renew the links, then run the build again',
    });
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
    { describe: `data disk link ${nvmeLink}`, find: () => fromLink(nvmeLink, devroot) },
    {
      describe: `sysfs ${join(sysroot, 'bus/scsi/devices')}/*:*:*:${lun}/block/* on the VMBus data-disk controller (device_id ${DATA_DISK_CONTROLLER_IDS[0]})`,
      find: () => fromScsiSysfs(lun, sysroot, devroot),
    },
    {
      describe: `sysfs ${join(sysroot, 'class/block')}/nvme*n* with nsid ${lun + 2} on an "MSFT NVMe Accelerator" controller (LUN = nsid - 2)`,
      find: () => fromNvmeSysfs(lun, sysroot, devroot),
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

/** The /dev node of block device `name`: in devroot, else in /dev. */
function nodeOf(name: string, devroot: string): string | undefined {
  for (const dir of [devroot, '/dev']) {
    const node = join(dir, name);
    if (isBlockDevice(node)) return node;
  }
  return undefined;
}

function fromScsiSysfs(lun: number, sysroot: string, devroot: string): string | undefined {
  const dir = join(sysroot, 'bus/scsi/devices');
  for (const name of safeList(dir)) {
    const m = /^\d+:\d+:\d+:(\d+)$/.exec(name);
    if (!m || Number(m[1]) !== lun) continue;
    const real = safeRealpath(join(dir, name));
    if (!real || !onDataDiskController(real, sysroot)) continue;
    const vendor = safeRead(join(real, 'vendor'))?.trim();
    if (vendor !== undefined && vendor !== 'Msft') continue;
    const block = safeList(join(real, 'block'))[0];
    const node = block ? nodeOf(block, devroot) : undefined;
    if (node) return node;
  }
  return undefined;
}

// The SCSI device's ancestors include the VMBus device of its controller, which has device_id.
function onDataDiskController(real: string, sysroot: string): boolean {
  const id = controllerIdOf(real, sysroot);
  return id !== undefined && DATA_DISK_CONTROLLER_IDS.includes(id);
}

function controllerIdOf(real: string, sysroot: string): string | undefined {
  const top = safeRealpath(sysroot) ?? sysroot;
  for (let dir = real; dir.startsWith(top) && dir !== top; dir = dirname(dir)) {
    const id = safeRead(join(dir, 'device_id'));
    if (id !== undefined) return id.trim().toLowerCase();
  }
  return undefined;
}

function fromNvmeSysfs(lun: number, sysroot: string, devroot: string): string | undefined {
  const dir = join(sysroot, 'class/block');
  for (const name of safeList(dir)) {
    // Namespaces (nvme0n1) and multipath heads; not partitions (nvme0n1p1) or path nodes (nvme0c0n1).
    if (!/^nvme\d+n\d+$/.test(name)) continue;
    const nsid = Number(safeRead(join(dir, name, 'nsid'))?.trim());
    if (!Number.isInteger(nsid) || nsid !== lun + 2) continue;
    // device/ is the controller, or the subsystem for a multipath head: both have the model.
    if (!/MSFT NVMe Accelerator/i.test(safeRead(join(dir, name, 'device/model')) ?? '')) continue;
    const node = nodeOf(name, devroot);
    if (node) return node;
  }
  return undefined;
}

/**
 * Why `device` is not the disk just attached, or undefined when nothing says it is not: its size
 * (from sysfs) differs from the disk's, its serial/WWN differs, or it (or a partition) is mounted.
 */
export function identityMismatch(device: string, sysroot: string, expect: ExpectedDisk | undefined, mountsFile?: string): string | undefined {
  // The name the node has (sdc), else the name it resolves to.
  const names = [basename(device), basename(safeRealpath(device) ?? device)];
  const block = names.map((n) => join(sysroot, 'class/block', n)).find((b) => existsSync(b)) ?? join(sysroot, 'class/block', names[1]!);
  if (expect?.sizeGB !== undefined) {
    const sectors = Number(safeRead(join(block, 'size'))?.trim());
    if (Number.isFinite(sectors) && sectors > 0) {
      const bytes = sectors * 512;
      // Azure's diskSizeGB is the size in GiB rounded up (a device is never larger than it says).
      if (Math.ceil(bytes / 1024 ** 3) !== expect.sizeGB) return `is ${formatGiB(bytes)}, not the ${expect.sizeGB} GiB of the disk just attached`;
    }
  }
  if (expect?.serial) {
    const seen = [safeRead(join(block, 'device/serial')), safeRead(join(block, 'serial')), safeRead(join(block, 'wwid')), safeRead(join(block, 'device/wwid'))]
      .map((s) => s?.trim()).filter((s): s is string => Boolean(s));
    if (seen.length > 0 && !seen.some((s) => s.toLowerCase().includes(expect.serial!.toLowerCase()))) {
      return `has serial/WWN ${seen[0]}, not ${expect.serial}`;
    }
  }
  const mounted = mountsOf(device, mountsFile);
  if (mounted) return `is in use (${mounted})`;
  return undefined;
}

function mountsOf(device: string, mountsFile?: string): string | undefined {
  let entries: ReturnType<typeof readMounts>;
  try {
    entries = readMounts(mountsFile);
  } catch {
    return undefined;
  }
  const real = safeRealpath(device) ?? device;
  // The device itself or one of its partitions (sdc1, nvme0n2p1, loop5p1).
  const hit = entries.find((e) => {
    const src = safeRealpath(e.source) ?? e.source;
    return src === real || (src.startsWith(real) && /^p?\d+$/.test(src.slice(real.length)));
  });
  return hit ? `${hit.source} is mounted on ${hit.target}` : undefined;
}

function formatGiB(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return `${Number.isInteger(gib) ? gib : gib.toFixed(2)} GiB`;
}

/**
 * Lets udev finish (when it runs) and asks the data-disk controllers' SCSI hosts to rescan, so a
 * disk the kernel missed (or a link udev has not made yet) shows up. Every failure is ignored.
 */
export async function settleAndRescan(sysroot: string, udevControl = '/run/udev/control'): Promise<void> {
  if (existsSync(udevControl)) {
    await runArgv(['udevadm', 'settle', '--timeout=5'], { timeoutMs: 10_000, validExitCodes: [0, 1] }).catch(() => undefined);
  }
  rescanDataControllers(sysroot);
}

/** Writes "- - -" to the scan file of each SCSI host on a data-disk controller; returns the files written. */
export function rescanDataControllers(sysroot: string): string[] {
  const written: string[] = [];
  const hosts = join(sysroot, 'class/scsi_host');
  for (const host of safeList(hosts)) {
    const real = safeRealpath(join(hosts, host));
    if (!real || !onDataDiskController(real, sysroot)) continue;
    const scan = join(hosts, host, 'scan');
    try {
      writeFileSync(scan, '- - -');
      written.push(scan);
    } catch {
      // Not writable (no permission, or not a real sysfs): nothing to do.
    }
  }
  return written;
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
