// One undoer per kind. Each is idempotent (what is already gone counts as released) and checks that
// what it is about to touch is the thing the build made: the mount's identity, the disk's build tag.
// A build's cleanups and `azchroot cleanup` after a crash both come here; nothing else undoes.

import { existsSync, lstatSync } from 'node:fs';
import { readFile, readdir, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AzurePort, VmIdentity } from '../azure/ports.js';
import { imagePathOf, readImageText, removeImageFile, renameInImage, statInImage, type ImageRoot } from '../chroot/confined-path.js';
import { deleteIfExists } from '../errors.js';
import { describeHolders } from '../host/busy-processes.js';
import { runArgv } from '../host/exec.js';
import { acquireHostLock, attachLockPath } from '../host/host-lock.js';
import { identityMismatch, type MountIdentity } from '../host/mount-identity.js';
import { isMountPoint } from '../host/proc-mounts.js';
import { shellQuote } from '../host/shell-quote.js';
import { unmountTree } from '../host/unmount.js';
import { isProvisionerTempDirOf } from '../provisioners/temp-dir.js';
import type { Reporter } from '../report/reporter.js';
import type { PendingResource, ResourceKind } from './journal.js';

export const POLICY_RC_CONTENT = '#!/bin/sh\n# Installed by azchroot for the build: no service starts inside the chroot.\nexit 101\n';

/** Tag on every temporary Azure resource: the build it belongs to. */
export const BUILD_TAG = 'azchroot-build-id';

export interface UndoEnv {
  azure?: AzurePort;
  vm?: VmIdentity;
  reporter: Reporter;
  signal: AbortSignal;
  /** Where the host lock lives (detach holds it, as attach does). */
  stateDir: string;
  buildId: string;
  /** Runs one host command (a build wraps it with command_wrapper); throws on failure. */
  run(command: string): Promise<void>;
  /** skip_cleanup: temporary disks and snapshots are kept, not deleted. */
  keepAzure?: boolean;
  /** Prefix of messages; unset: the step that made the thing. */
  step?: string;
}

/** An undoer refused because the thing is not ours (or not reachable); the message says what to do. */
export class RefusedError extends Error {}

export type Outcome = 'removed' | 'kept';
type Undoer = (p: PendingResource, env: UndoEnv) => Promise<Outcome>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const exists = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

/** The image a file record belongs to: its recorded root (the mount path) and chroot mounts. */
function imageRootOf(p: PendingResource): ImageRoot {
  const mounts = Array.isArray(p.detail?.hostMounts) ? (p.detail.hostMounts as unknown[]).filter((m): m is string => typeof m === 'string') : [];
  return { hostRoot: str(p.detail?.root) ?? '/', hostMounts: mounts };
}

/** True when the image root `root` (if recorded) is still mounted: files inside it can be reached. */
function insideMountedImage(p: PendingResource): boolean {
  const root = str(p.detail?.root);
  return root === undefined || isMountPoint(root);
}

function needAzure(env: UndoEnv, what: string): { azure: AzurePort; vm: VmIdentity | undefined } {
  if (!env.azure) throw new RefusedError(`needs Azure access to ${what}: run azchroot cleanup on the build VM with Azure credentials`);
  return { azure: env.azure, vm: env.vm };
}

async function underHostLock<T>(env: UndoEnv, work: () => Promise<T>): Promise<T> {
  const lock = await acquireHostLock(attachLockPath(env.stateDir), {
    signal: env.signal,
    onWait: () => env.reporter.say('waiting for another azchroot build on this VM to finish attaching or detaching', env.step),
  });
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

/** Refuses a disk tagged for another build (a reused temporary_os_disk_id must never be deleted for us). */
function checkBuildTag(id: string, tags: Record<string, string> | undefined, env: UndoEnv): void {
  const owner = tags?.[BUILD_TAG];
  if (owner !== undefined && owner !== env.buildId) {
    throw new RefusedError(`${id} belongs to build ${owner}, not ${env.buildId}: leaving it alone`);
  }
}

async function detach(env: UndoEnv, azure: AzurePort, vm: VmIdentity, diskId: string): Promise<void> {
  await underHostLock(env, () => azure.vm.detachDisk(vm, diskId, { signal: env.signal }));
}

const undoers: Record<Exclude<ResourceKind, 'image' | 'gallery-version'>, Undoer> = {
  async 'temp-dirs'(p) {
    const pid = p.detail?.pid;
    const dir = str(p.detail?.dir) ?? tmpdir();
    if (typeof pid !== 'number') return 'removed';
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => isProvisionerTempDirOf(n, pid))) await rm(join(dir, name), { recursive: true, force: true });
    return 'removed';
  },

  async 'policy-rc'(p, env) {
    if (!insideMountedImage(p)) return 'removed';
    // Read and removed inside the image: provisioners may have replaced it with a link out of it.
    const image = imageRootOf(p);
    const path = imagePathOf(image, p.id);
    const content = await readImageText(image, path).catch(() => undefined);
    if (content === POLICY_RC_CONTENT) await removeImageFile(image, path);
    else if (content !== undefined) env.reporter.warn(`${p.id} was changed during the build; leaving it in the image`, env.step);
    return 'removed';
  },

  async 'copied-file'(p) {
    // Once the image is unmounted its files travel with the disk; nothing on the host to undo.
    if (!insideMountedImage(p)) return 'removed';
    // Resolved inside the image again: provisioners may have changed it since the copy.
    const image = imageRootOf(p);
    const path = imagePathOf(image, p.id);
    const backup = str(p.detail?.backup);
    const backupPath = backup === undefined ? undefined : imagePathOf(image, backup);
    const backupThere = backupPath !== undefined && (await statInImage(image, backupPath, { followFinal: false })).stat !== undefined;
    if (backup === undefined || backupThere) await removeImageFile(image, path);
    if (backupPath !== undefined && backupThere) await renameInImage(image, backupPath, path);
    return 'removed';
  },

  async mount(p, env) {
    if (!isMountPoint(p.id)) return 'removed';
    // Inside an image root: that root must still be the build's own mount.
    const root = str(p.detail?.root);
    if (root && p.detail?.rootIdentity) {
      const rootMismatch = await identityMismatch(root, p.detail.rootIdentity as MountIdentity, env.signal);
      if (rootMismatch) throw new RefusedError(`refusing to unmount ${p.id}: ${rootMismatch}`);
    }
    const mismatch = await identityMismatch(p.id, (p.detail?.identity ?? {}) as MountIdentity, env.signal);
    if (mismatch) throw new RefusedError(`refusing to unmount: ${mismatch}`);
    const result = await unmountTree(p.id, { run: env.run, reporter: env.reporter, step: env.step });
    if (result.held.length > 0) env.reporter.warn(`processes that kept ${p.id} busy and were stopped: ${describeHolders(result.held)}`, env.step);
    if (result.lazy.length > 0) env.reporter.warn(`lazily unmounted (still busy): ${result.lazy.join(', ')}`, env.step);
    return 'removed';
  },

  async 'mount-dir'(p) {
    if (!existsSync(p.id)) return 'removed';
    if (isMountPoint(p.id)) throw new RefusedError(`${p.id} is a mount point again; not removing it`);
    // rmdir: only an empty directory, never what someone put there.
    await rmdir(p.id).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw new RefusedError(`could not remove the mount directory ${p.id}: ${e.message}`);
    });
    return 'removed';
  },

  async lvm(p, env) {
    const vgs = Array.isArray(p.detail?.vgs) ? (p.detail.vgs as string[]) : [];
    const renames = Array.isArray(p.detail?.renames) ? (p.detail.renames as { orig: string; tmp: string; pvs: string[] }[]) : [];
    const onLine = (l: string, s: 'stdout' | 'stderr'): void => env.reporter.output(l, s, env.step);
    const present = await hostVolumeGroups(env.signal);
    const active = vgs.filter((vg) => present.has(vg));
    if (active.length > 0) {
      env.reporter.say(`deactivating volume group${active.length > 1 ? 's' : ''} ${active.join(', ')}`, env.step);
      await runArgv(['vgchange', '-an', ...active], { signal: env.signal, onLine });
    }
    for (const r of renames.filter((r) => present.has(r.tmp))) {
      env.reporter.say(`renaming volume group ${r.tmp} back to ${r.orig}`, env.step);
      // Seeing only the image's PVs: the host's VG of the same name would make vgrename refuse.
      await runArgv(['vgrename', ...r.pvs.flatMap((pv) => ['--devices', pv]), r.tmp, r.orig], { signal: env.signal, onLine });
    }
    return 'removed';
  },

  async attachment(p, env) {
    const { azure, vm } = needAzure(env, 'detach');
    if (!vm) throw new RefusedError('the VM the disk is attached to is unknown: run azchroot cleanup on the build VM');
    const disk = await azure.disks.get(p.id, { signal: env.signal });
    if (!disk) return 'removed';
    checkBuildTag(p.id, disk.tags, env);
    // Attached elsewhere: not this build's attachment. Not attached (yet): an attach still in flight
    // may complete, so detach is asked anyway (it is a no-op for a disk the VM model does not hold).
    if (disk.managedBy && disk.managedBy.toLowerCase() !== vm.resourceId.toLowerCase()) return 'removed';
    env.reporter.say(`detaching disk ${p.id}${typeof p.detail?.lun === 'number' ? ` (LUN ${p.detail.lun})` : ''}`, env.step);
    await detach(env, azure, vm, p.id);
    return 'removed';
  },

  async snapshot(p, env) {
    if (env.keepAzure) return 'kept';
    const { azure } = needAzure(env, 'delete snapshots');
    await deleteIfExists(() => azure.snapshots.revokeAccess(p.id, { signal: env.signal }));
    env.reporter.say(`deleting snapshot ${p.id}`, env.step);
    await deleteIfExists(() => azure.snapshots.delete(p.id, { signal: env.signal }));
    return 'removed';
  },

  async disk(p, env) {
    if (env.keepAzure) return 'kept';
    const { azure, vm } = needAzure(env, 'delete disks');
    const disk = await azure.disks.get(p.id, { signal: env.signal });
    if (!disk) return 'removed';
    checkBuildTag(p.id, disk.tags, env);
    if (disk.managedBy) {
      if (!vm || disk.managedBy.toLowerCase() !== vm.resourceId.toLowerCase()) {
        throw new RefusedError(`${p.id} is attached to ${disk.managedBy}, not this build's VM; detach it there first`);
      }
      env.reporter.say(`detaching ${p.id} before deleting it`, env.step);
      await detach(env, azure, vm, p.id);
    }
    env.reporter.say(`deleting disk ${p.id}`, env.step);
    await deleteIfExists(() => azure.disks.delete(p.id, { signal: env.signal }));
    return 'removed';
  },
};

/** Undoes one pending record; outputs are never undone. */
export function undo(p: PendingResource, env: UndoEnv): Promise<Outcome> {
  if (p.kind === 'image' || p.kind === 'gallery-version') return Promise.resolve('kept');
  return undoers[p.kind](p, env);
}

async function hostVolumeGroups(signal: AbortSignal): Promise<Set<string>> {
  const r = await runArgv(['vgs', '--noheadings', '-o', 'vg_name'], { signal }).catch(() => undefined);
  return new Set((r?.stdout ?? '').split('\n').map((l) => l.trim()).filter(Boolean));
}
