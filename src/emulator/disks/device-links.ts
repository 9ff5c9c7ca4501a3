// The Azure-style device links <devroot>/disk/azure/scsi1/lun<N>. Packer resolves them with
// filepath.Abs(dir + "/" + readlink(link)), i.e. lexically, so the target must be RELATIVE:
// with devroot /dev the link reads ../../../loop0.

import { mkdir, readlink, realpath, rename, rm, symlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
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
