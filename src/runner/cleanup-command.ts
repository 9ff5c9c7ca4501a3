// `azchroot cleanup`: removes what an interrupted or killed build left, from its journal (the source
// of truth: every temporary resource was journaled before its creation started). Order per build:
// files in the image, mounts (deepest first), the attachment, snapshots, disks. Outputs stay.

import { readdir, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AzurePort, VmIdentity } from '../azure/ports.js';
import { UsageError } from '../errors.js';
import { runShell } from '../host/exec.js';
import { mountsUnder } from '../host/proc-mounts.js';
import { shellQuote } from '../host/shell-quote.js';
import { unmountTree } from '../host/unmount.js';
import type { Reporter } from '../report/reporter.js';
import { deleteIfExists } from '../steps/azure-ids.js';
import { journalLvmDone, lvmLeftovers, undoLvm } from '../steps/lvm-journal.js';
import { isProvisionerTempDirOf } from '../provisioners/temp-dir.js';
import { journalPath, listJournals, openJournal, pendingResources, readJournal, startDetail, type PendingResource } from './journal.js';

export interface CleanupOptions {
  azure?: AzurePort;
  vm?: VmIdentity;
  stateDir: string;
  buildId?: string;
  all?: boolean;
  reporter: Reporter;
  devroot?: string;
  signal?: AbortSignal;
}

/** Removes the temporary leftovers of one build (`buildId`) or of every journaled build (`all`). */
export async function cleanupLeftovers(options: CleanupOptions): Promise<{ removed: string[]; failed: string[] }> {
  if (!options.buildId && !options.all) throw new UsageError('say which build to clean up: --build-id <id> or --all');
  const ids = options.buildId ? [options.buildId] : listJournals(options.stateDir);
  const removed: string[] = [];
  const failed: string[] = [];
  for (const buildId of ids) {
    const path = journalPath(options.stateDir, buildId);
    let entries;
    try {
      entries = readJournal(path);
    } catch {
      failed.push(`${buildId}: no journal at ${path}`);
      continue;
    }
    const running = runningPid(entries);
    if (running !== undefined) {
      options.reporter.warn(`build ${buildId} is still running (pid ${running}); leaving it alone`);
      failed.push(`${buildId}: still running (pid ${running})`);
      continue;
    }
    await removeTempDirsOf(startDetail(entries)?.pid, removed);
    const pending = pendingResources(entries).filter((p) => p.temporary);
    let lvm = lvmLeftovers(entries);
    if (pending.length === 0 && !lvm) continue;
    const journal = openJournal(options.stateDir, buildId);
    const vm = options.vm ?? (startDetail(entries)?.vm as VmIdentity | undefined);
    try {
      for (const p of [...ordered(pending), undefined]) {
        // Volume groups of the image are deactivated (and renamed back) once nothing is mounted
        // from them, before the disk is detached.
        if (lvm && (p === undefined || !HOST_KINDS.includes(p.kind))) {
          const record = lvm;
          lvm = undefined;
          try {
            await undoLvm(record, options.signal);
            journalLvmDone(journal, record);
            removed.push(`volume groups ${record.vgs.join(', ')}`);
            options.reporter.say(`deactivated volume groups ${record.vgs.join(', ')}`);
          } catch (error) {
            failed.push(`volume groups ${record.vgs.join(', ')}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
        if (p === undefined) break;
        const label = `${p.kind} ${p.id}`;
        try {
          const done = await removeOne(p, options, vm);
          if (done) {
            journal.removed(p.kind, p.id);
            removed.push(label);
            options.reporter.say(`removed ${label}`);
          }
        } catch (error) {
          failed.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
          options.reporter.error(`could not remove ${label}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    } finally {
      journal.close();
    }
  }
  return { removed, failed };
}

const ORDER: PendingResource['kind'][] = ['policy-rc', 'file-backup', 'mount', 'attachment', 'snapshot', 'disk'];
/** Leftovers inside the host's view of the image, removed before its volume groups are deactivated. */
const HOST_KINDS: PendingResource['kind'][] = ['policy-rc', 'file-backup', 'mount'];

function ordered(pending: PendingResource[]): PendingResource[] {
  const depth = (p: PendingResource) => p.id.split('/').length;
  return [...pending].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || (a.kind === 'mount' ? depth(b) - depth(a) : 0));
}

async function removeOne(p: PendingResource, o: CleanupOptions, vm: VmIdentity | undefined): Promise<boolean> {
  const signal = o.signal;
  switch (p.kind) {
    case 'policy-rc':
      await rm(p.id, { force: true });
      return true;
    case 'file-backup': {
      const backup = typeof p.detail?.backup === 'string' ? p.detail.backup : undefined;
      if (!backup) return true;
      // Only possible while the image is still mounted; once unmounted the backup travels with the disk.
      await runShell(`if [ -e ${shellQuote(backup)} ] || [ -L ${shellQuote(backup)} ]; then rm -f ${shellQuote(p.id)} && mv -f ${shellQuote(backup)} ${shellQuote(p.id)}; fi`, { signal });
      return true;
    }
    case 'mount':
      if (mountsUnder(p.id).length > 0) {
        await unmountTree(p.id, { run: async (c) => void (await runShell(c, { signal })), reporter: o.reporter });
      }
      // The root mount's directory, when the build made it (an empty directory only: rmdir).
      if (p.detail?.createdDir === true) await rmdir(p.id).catch(() => undefined);
      return true;
    case 'attachment':
      if (!o.azure || !vm) throw new Error('needs Azure access to detach: run azchroot cleanup on the build VM with Azure credentials');
      await o.azure.vm.detachDisk(vm, p.id, { signal });
      return true;
    case 'snapshot':
      if (!o.azure) throw new Error('needs Azure access');
      await deleteIfExists(() => o.azure!.snapshots.revokeAccess(p.id, { signal }));
      await deleteIfExists(() => o.azure!.snapshots.delete(p.id, { signal }));
      return true;
    case 'disk': {
      if (!o.azure) throw new Error('needs Azure access');
      const disk = await o.azure.disks.get(p.id, { signal });
      if (disk?.managedBy && vm) await o.azure.vm.detachDisk(vm, p.id, { signal });
      if (disk) await deleteIfExists(() => o.azure!.disks.delete(p.id, { signal }));
      return true;
    }
    default:
      return false;
  }
}

// A build whose journal has no end record and whose process is alive is still running.
/** Removes the provisioner temp directories a dead build process left (never this process's own). */
async function removeTempDirsOf(pid: unknown, removed: string[]): Promise<void> {
  if (typeof pid !== 'number' || pid === process.pid) return;
  let names: string[] = [];
  try {
    names = await readdir(tmpdir());
  } catch {
    return;
  }
  for (const name of names.filter((n) => isProvisionerTempDirOf(n, pid))) {
    await rm(join(tmpdir(), name), { recursive: true, force: true });
    removed.push(`temp directory ${join(tmpdir(), name)}`);
  }
}

function runningPid(entries: ReturnType<typeof readJournal>): number | undefined {
  if (entries.some((e) => e.event === 'end')) return undefined;
  const pid = startDetail(entries)?.pid;
  if (typeof pid !== 'number' || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}
