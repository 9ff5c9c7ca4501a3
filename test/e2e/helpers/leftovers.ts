// What must be gone after every end-to-end test: temporary disks and snapshots in the emulator,
// loop devices backed by files under the test directory, mounts under it or on those loop devices.
// `forceCleanup` removes whatever a failed test left, so the next test starts clean.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { AzurePort, VmIdentity } from '../../../src/azure/ports.js';
import { layout, type StoredResource } from '../../../src/emulator/state-layout.js';

export const DEFAULT_MOUNT_ROOT = '/mnt/packer-azure-chroot-disks';

/** Every stored resource of an emulator state directory. */
export function storedResources(stateDir: string): StoredResource[] {
  let names: string[];
  try {
    names = readdirSync(layout.resourcesDir(stateDir));
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.json')).map((n) => JSON.parse(readFileSync(join(layout.resourcesDir(stateDir), n), 'utf8')) as StoredResource);
}

/** Stored resources of one ARM type (e.g. `images`, `galleries/images/versions`). */
export function resourcesOfType(stateDir: string, shortType: string): StoredResource[] {
  const want = `microsoft.compute/${shortType}`.toLowerCase();
  return storedResources(stateDir).filter((r) => r.type.toLowerCase() === want);
}

/** Disks and snapshots other than the emulated VM's own OS disk. */
export function temporaryDisks(stateDir: string, vmName: string): string[] {
  return [...resourcesOfType(stateDir, 'disks'), ...resourcesOfType(stateDir, 'snapshots')]
    .filter((r) => {
      const managedBy = String(r.body.managedBy ?? '');
      const isVmOsDisk = managedBy.toLowerCase().endsWith(`/virtualmachines/${vmName.toLowerCase()}`) && String(r.body.name).startsWith(`${vmName}_OsDisk_`);
      return !isVmOsDisk;
    })
    .map((r) => r.id);
}

/** Loop devices (name → backing file) whose backing file lies under `dir`. */
export function loopsBackedUnder(dir: string): Map<string, string> {
  const root = realpathSync(dir) + sep;
  const out = execFileSync('losetup', ['--list', '--noheadings', '--raw', '--output', 'NAME,BACK-FILE'], { encoding: 'utf8' });
  const found = new Map<string, string>();
  for (const line of out.split('\n')) {
    const cut = line.indexOf(' ');
    if (cut < 0) continue;
    const file = line.slice(cut + 1).replace(/\\x20/g, ' ');
    if (file.startsWith(root)) found.set(line.slice(0, cut), file);
  }
  return found;
}

/** Mount points under one of `dirs`, or anywhere (e.g. the default mount root) on a loop device of `loops`. */
export function leakedMounts(dirs: readonly string[], loops: readonly string[]): string[] {
  const lines = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' '));
  return lines
    .filter(([source = '', target = '']) => {
      const target_ = target.replace(/\\040/g, ' ');
      if (dirs.some((dir) => target_ === dir || target_.startsWith(dir + '/'))) return true;
      // Other builds on this host may use the default mount root at the same time: only mounts of
      // our own loop devices count there (and anywhere else).
      return loops.some((l) => source === l || source.startsWith(`${l}p`));
    })
    .map(([source, target]) => `${source} on ${target}`);
}

/** Loop devices backed by files under any of `dirs`. */
export function loopsUnderAny(dirs: readonly string[]): string[] {
  return [...new Set(dirs.flatMap((d) => [...loopsBackedUnder(d).keys()]))];
}

/** Human-readable list of everything left behind (loops backed under `dirs`, mounts there); empty when clean. */
export function findLeftovers(stateDir: string, vmName: string, dirs: readonly string[]): string[] {
  const loops = loopsUnderAny(dirs);
  return [
    ...temporaryDisks(stateDir, vmName).map((id) => `resource ${id}`),
    ...loops.map((l) => `loop device ${l}`),
    ...leakedMounts(dirs, loops).map((m) => `mount ${m}`),
  ];
}

/** Unmounts, detaches and deletes whatever a failed test left (best effort, never throws). */
export async function forceCleanup(stateDir: string, dirs: readonly string[], azure: AzurePort | undefined, vm: VmIdentity | undefined): Promise<void> {
  const quiet = (cmd: string, args: string[]) => {
    try {
      execFileSync(cmd, args, { stdio: 'ignore' });
    } catch {
      // Best effort: the resource may already be gone.
    }
  };
  const loops = loopsUnderAny(dirs);
  // Deepest mount first.
  for (const m of leakedMounts(dirs, loops).map((x) => x.split(' on ')[1]!).sort((a, b) => b.length - a.length)) quiet('umount', ['-l', m]);
  if (azure && vm) {
    for (const d of await azure.vm.listDataDisks(vm).catch(() => [])) await azure.vm.detachDisk(vm, d.diskId).catch(() => undefined);
    for (const id of temporaryDisks(stateDir, vm.name)) {
      const isSnapshot = id.toLowerCase().includes('/snapshots/');
      await (isSnapshot ? azure.snapshots.delete(id) : azure.disks.delete(id)).catch(() => undefined);
    }
  }
  for (const l of loopsUnderAny(dirs)) {
    quiet('partx', ['--delete', l]);
    quiet('losetup', ['--detach', l]);
  }
}
