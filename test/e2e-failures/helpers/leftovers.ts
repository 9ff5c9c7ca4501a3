// "Nothing left behind", checked from the outside: the emulator's resource files, the VM model,
// loop devices backed by the emulator's blobs, /proc/mounts and the build journals.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findJournalPath, listJournals, pendingResources, readJournal, type PendingResource } from '../../../src/ledger/journal.js';
import { loopsUnder, mountsMatching } from '../../helpers/block-usage.js';
import type { Suite, Workspace } from './suite.js';

interface Stored {
  id: string;
  type: string;
  body: Record<string, unknown>;
}

const DEFAULT_MOUNT_ROOT = '/mnt/packer-azure-chroot-disks';

/** Every resource the emulator stores. */
export async function storedResources(state: string): Promise<Stored[]> {
  const dir = join(state, 'resources');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as Stored));
}

/** Ids of disks and snapshots other than the VM's own OS disk. */
export async function temporaryDisksAndSnapshots(state: string): Promise<string[]> {
  return (await storedResources(state))
    .filter((r) => /^Microsoft\.Compute\/(disks|snapshots)$/i.test(r.type))
    .filter((r) => !(typeof r.body.managedBy === 'string' && /\/virtualMachines\/golden-vm$/i.test(r.body.managedBy) && /^golden-vm_OsDisk_/.test(String(r.body.name))))
    .map((r) => r.id);
}

/** Ids of the stored resources of an ARM type (case-insensitive). */
export async function idsOfType(state: string, type: string): Promise<string[]> {
  return (await storedResources(state)).filter((r) => r.type.toLowerCase() === type.toLowerCase()).map((r) => r.id);
}

/** Data disks in the build VM's model. */
export async function vmDataDisks(state: string): Promise<unknown[]> {
  const vm = (await storedResources(state)).find((r) => /virtualMachines$/i.test(r.type));
  const props = (vm?.body.properties ?? {}) as { storageProfile?: { dataDisks?: unknown[] } };
  return props.storageProfile?.dataDisks ?? [];
}

/** Temporary resources the journals of `journalState` do not show as removed. */
export function pendingTemporary(journalState: string): PendingResource[] {
  return listJournals(journalState, true).flatMap((id) => pendingResources(readJournal(findJournalPath(journalState, id))).filter((p) => p.temporary));
}

/** The build ids journaled under `journalState`. */
export function buildIds(journalState: string): string[] {
  return listJournals(journalState, true);
}

/**
 * Loop devices backed by the emulator's blobs, and mounts under the workspace or of those devices
 * (anywhere, e.g. the default mount root). Other projects' builds may use the default mount root at
 * the same time, so mounts there count only when they come from this emulator's disks.
 */
export function hostLeftovers(suite: Suite, ws: Workspace): { loops: string[]; mounts: string[] } {
  const loops = existsSync(join(suite.state, 'blobs')) ? loopsUnder(join(suite.state, 'blobs')) : [];
  const ours = mountsMatching(DEFAULT_MOUNT_ROOT, loops).filter((m) => loops.some((l) => m.startsWith(`${l} `) || m.startsWith(`${l}p`)));
  return { loops, mounts: [...mountsMatching(ws.dir), ...ours] };
}

/** Asserts that nothing temporary is left: no disk or snapshot, no attachment, loop, mount or pending journal record. */
export async function assertNothingLeft(suite: Suite, ws: Workspace, context = ''): Promise<void> {
  const why = context ? ` (${context})` : '';
  assert.deepEqual(await temporaryDisksAndSnapshots(suite.state), [], `temporary disks or snapshots left in the emulator${why}`);
  assert.deepEqual(await vmDataDisks(suite.state), [], `data disks still attached to the VM${why}`);
  const host = hostLeftovers(suite, ws);
  assert.deepEqual(host.loops, [], `loop devices still backed by emulator blobs${why}`);
  assert.deepEqual(host.mounts, [], `mounts left${why}`);
  assert.deepEqual(pendingTemporary(ws.journalState), [], `journal shows temporary resources not removed${why}`);
}
