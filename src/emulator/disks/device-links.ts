// The device links a Linux VM on Azure has for a data disk: WALinuxAgent's
// <devroot>/disk/azure/scsi1/lun<N> (and lun<N>-part<P>) and azure-vm-utils'
// <devroot>/disk/azure/data/by-lun/<N> (and <N>-part<P>). Packer resolves them with
// filepath.Abs(dir + "/" + readlink(link)), i.e. lexically, so targets are RELATIVE: with devroot
// /dev the scsi1 link reads ../../../loop0 and the by-lun link ../../../../loop0.

import { mkdir, readdir, readlink, realpath, rename, rm, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { tempPathFor } from './atomic-file.js';

/** The directory holding the lun links under `devroot`. */
export function lunDir(devroot: string): string {
  return join(devroot, 'disk', 'azure', 'scsi1');
}

/** The link path for `lun` under `devroot`. */
export function lunLinkPath(devroot: string, lun: number): string {
  return join(lunDir(devroot), `lun${lun}`);
}

/** The relative target that leads from `linkDir` to `device` (both absolute). */
export function relativeTarget(linkDir: string, device: string): string {
  return relative(linkDir, device);
}

/** Creates or replaces the lun link so that it points (relatively) at `device`. */
export async function createLunLink(devroot: string, lun: number, device: string): Promise<string> {
  const dir = lunDir(devroot);
  await mkdir(dir, { recursive: true });
  // Resolve symlinked parents (e.g. /tmp -> /private/tmp) so the kernel's physical ".." walk and a
  // lexical resolution agree when devroot is not /dev.
  const physicalDir = await realpath(dir);
  const link = lunLinkPath(devroot, lun);
  const temp = tempPathFor(link);
  await symlink(relativeTarget(physicalDir, device), temp);
  // rename replaces a stale link atomically, so a poller never sees a half-made state.
  await rename(temp, link).catch(async (err: unknown) => {
    await rm(temp, { force: true });
    throw err;
  });
  return link;
}

/** Removes the lun link if it exists; when `device` is given, only if the link points at `device`. */
export async function removeLunLink(devroot: string, lun: number, device?: string): Promise<void> {
  const link = lunLinkPath(devroot, lun);
  let target: string;
  try {
    target = await readlink(link);
  } catch {
    return;
  }
  if (device !== undefined) {
    const resolved = join(await realpath(lunDir(devroot)), target);
    // A link that now points at another disk belongs to a newer attachment: leave it.
    if (resolved !== device) return;
  }
  await rm(link, { force: true });
}

/** The azure-vm-utils directory of by-lun links under `devroot`. */
export function byLunDir(devroot: string): string {
  return join(devroot, 'disk', 'azure', 'data', 'by-lun');
}

async function relativeLink(dir: string, name: string, device: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const physicalDir = await realpath(dir);
  const link = join(dir, name);
  const temp = tempPathFor(link);
  await symlink(relativeTarget(physicalDir, device), temp);
  await rename(temp, link).catch(async (err: unknown) => {
    await rm(temp, { force: true });
    throw err;
  });
}

/**
 * Every link a VM has for the disk at `lun`: scsi1/lun<N>, data/by-lun/<N> and the -part<P> links of
 * `partitions` (e.g. [{name:'loop0p1', number:1}]). The scsi1 link is made last: Packer and azchroot
 * wait for it, so the others exist when it appears.
 */
export async function createDiskLinks(devroot: string, lun: number, device: string, partitions: Array<{ name: string; number: number }>): Promise<void> {
  const parent = dirname(device);
  for (const p of partitions) {
    await relativeLink(lunDir(devroot), `lun${lun}-part${p.number}`, join(parent, p.name));
    await relativeLink(byLunDir(devroot), `${lun}-part${p.number}`, join(parent, p.name));
  }
  await relativeLink(byLunDir(devroot), String(lun), device);
  await createLunLink(devroot, lun, device);
}

/** Removes every link of the disk at `lun` that points at `device` (or all of them when absent). */
export async function removeDiskLinks(devroot: string, lun: number, device?: string): Promise<void> {
  await removeLunLink(devroot, lun, device);
  const prefixes: Array<[string, RegExp]> = [
    [lunDir(devroot), new RegExp(`^lun${lun}-part\\d+$`)],
    [byLunDir(devroot), new RegExp(`^${lun}(-part\\d+)?$`)],
  ];
  for (const [dir, re] of prefixes) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => re.test(n))) {
      const link = join(dir, name);
      if (device !== undefined) {
        const target = await readlink(link).catch(() => undefined);
        if (target === undefined) continue;
        const resolved = join(await realpath(dir), target);
        if (resolved !== device && !resolved.startsWith(`${device}p`)) continue;
      }
      await rm(link, { force: true });
    }
  }
}
