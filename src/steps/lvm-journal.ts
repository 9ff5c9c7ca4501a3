// Journal records of detected LVM volume groups: written before activation (and before a clash
// rename), so that `azchroot cleanup` can deactivate them and give renamed VGs their names back.
// They carry no resource kind, so pendingResources() ignores them; lvmLeftovers() reads them.

import type { Journal, JournalEntry } from '../runner/journal.js';
import { runArgv } from '../host/exec.js';
import type { LvmState, VgRename } from './state.js';

export interface LvmRecord {
  vgs: string[];
  renames: VgRename[];
}

/** Writes the intent record of an activation (renames included). */
export function journalLvmIntent(journal: Journal, lvm: LvmRecord): void {
  journal.append({ event: 'intent', detail: { lvm } });
}

/** Writes that the VGs are deactivated and renamed back. */
export function journalLvmDone(journal: Journal, lvm: LvmRecord): void {
  journal.append({ event: 'removed', detail: { lvm } });
}

/** The LVM record of a journal still to undo (the last intent without a later removed record). */
export function lvmLeftovers(entries: readonly JournalEntry[]): LvmRecord | undefined {
  let pending: LvmRecord | undefined;
  for (const e of entries) {
    const lvm = e.detail?.lvm as LvmRecord | undefined;
    if (e.kind || !lvm || !Array.isArray(lvm.vgs)) continue;
    if (e.event === 'intent') pending = { vgs: lvm.vgs, renames: Array.isArray(lvm.renames) ? lvm.renames : [] };
    else if (e.event === 'removed') pending = undefined;
  }
  return pending;
}

/** Deactivates the VGs of `lvm` and renames temporary ones back; for `azchroot cleanup` (run after the mounts are gone). */
export async function undoLvm(lvm: LvmRecord, signal?: AbortSignal, onLine?: (line: string, stream: 'stdout' | 'stderr') => void): Promise<void> {
  await runArgv(['vgchange', '-an', ...lvm.vgs], { signal, onLine });
  for (const r of lvm.renames) await renameBack(r, signal, onLine);
}

/** `vgrename <tmp> <orig>` seeing only the image's PVs (the host's VG of the same name would make it refuse). */
export async function renameBack(r: VgRename, signal?: AbortSignal, onLine?: (line: string, stream: 'stdout' | 'stderr') => void): Promise<void> {
  await runArgv(['vgrename', ...r.pvs.flatMap((pv) => ['--devices', pv]), r.tmp, r.orig], { signal, onLine });
}

/** The record of `lvm` state. */
export function lvmRecord(lvm: LvmState): LvmRecord {
  return { vgs: lvm.vgs ?? [lvm.vg], renames: lvm.renames ?? [] };
}
