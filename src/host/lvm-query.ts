// Reading LVM and partition facts of an attached disk: its partition nodes (from sysfs), the physical
// volumes on exactly those nodes, and the logical volumes of a set of volume groups.

import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runArgv } from './exec.js';

export interface PhysicalVolume {
  pv: string;
  vg: string;
}

export interface LogicalVolume {
  name: string;
  vg: string;
  path: string;
  attr: string;
}

/** Partition device paths of `device` as the kernel lists them in sysfs (/dev/loop3 → /dev/loop3p1...). */
export function partitionsOf(device: string, sysroot = '/sys', devroot = '/dev'): string[] {
  const name = basename(device);
  const dir = join(sysroot, 'class/block', name);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const parts = entries.filter((e) => e.startsWith(name) && existsSync(join(dir, e, 'partition')));
  const number = (p: string): number => Number(/(\d+)$/.exec(p)?.[1] ?? 0);
  return parts.sort((a, b) => number(a) - number(b)).map((p) => join(devroot, p));
}

/** Parses `pvs --noheadings -o pv_name,vg_name --separator ,` output; PVs without a VG are dropped. */
export function parsePvs(output: string): PhysicalVolume[] {
  const out: PhysicalVolume[] = [];
  for (const line of output.split('\n')) {
    const [pv, vg] = line.trim().split(',').map((s) => s.trim());
    if (pv && vg) out.push({ pv, vg });
  }
  return out;
}

/**
 * The PVs that lie on `device` itself or on one of `partitions`. Paths are compared whole: Packer
 * compared by prefix, so /dev/sdc also claimed the PVs of /dev/sdca1.
 */
export function pvsOnDevice(pvs: readonly PhysicalVolume[], device: string, partitions: readonly string[]): PhysicalVolume[] {
  const own = new Set([device, ...partitions]);
  return pvs.filter((p) => own.has(p.pv));
}

/** Parses `lvs --noheadings --separator , -o lv_name,vg_name,lv_path,lv_attr` output. */
export function parseLvs(output: string): LogicalVolume[] {
  const out: LogicalVolume[] = [];
  for (const line of output.split('\n')) {
    const [name, vg, path, attr] = line.trim().split(',').map((s) => s.trim());
    if (name && vg) out.push({ name, vg, path: path || `/dev/${vg}/${name}`, attr: attr ?? '' });
  }
  return out;
}

/** Every PV the host sees, with its VG (`pvs` errors propagate). */
export async function listPhysicalVolumes(signal?: AbortSignal): Promise<PhysicalVolume[]> {
  const r = await runArgv(['pvs', '--noheadings', '-o', 'pv_name,vg_name', '--separator', ','], { signal });
  return parsePvs(r.stdout);
}

/** The LVs of `vgs`. */
export async function listLogicalVolumes(vgs: readonly string[], signal?: AbortSignal): Promise<LogicalVolume[]> {
  const r = await runArgv(['lvs', '--noheadings', '--separator', ',', '-o', 'lv_name,vg_name,lv_path,lv_attr', ...vgs], { signal });
  return parseLvs(r.stdout);
}

/** `blkid -o export` of one device as a map (TYPE, UUID, LABEL, PARTUUID, PARTLABEL...); empty when blkid finds nothing. */
export async function probeDevice(device: string, signal?: AbortSignal): Promise<Record<string, string>> {
  const r = await runArgv(['blkid', '-c', '/dev/null', '-o', 'export', device], { signal, validExitCodes: [0, 2] }).catch(() => undefined);
  const out: Record<string, string> = {};
  for (const line of (r?.stdout ?? '').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}
