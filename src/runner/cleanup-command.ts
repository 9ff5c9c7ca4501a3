// `azchroot cleanup`: releases what an interrupted or killed build left, from its journal, through
// the ledger's undoers, in the ledger's one order: the same code a live build's cleanup runs. The
// undoers check identities first (a mount must be the one the build made, a disk must carry the
// build's tag), so a reused device name or mount path of another build is never touched.

import type { AzurePort, VmIdentity } from '../azure/ports.js';
import { UsageError } from '../errors.js';
import { runShell } from '../host/exec.js';
import { findJournalPath, journalPath, listJournals, resolveBuildId, openJournal, pendingResources, readJournal, retireJournal, startDetail, type JournalEntry } from '../ledger/journal.js';
import { releasePending } from '../ledger/ledger.js';
import type { Reporter } from '../report/reporter.js';

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
  const ids = options.buildId ? [resolveBuildId(options.stateDir, options.buildId)] : listJournals(options.stateDir);
  const removed: string[] = [];
  const failed: string[] = [];
  const signal = options.signal ?? new AbortController().signal;
  for (const buildId of ids) {
    const path = findJournalPath(options.stateDir, buildId);
    let entries: JournalEntry[];
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
    const pending = pendingResources(entries).filter((p) => p.temporary);
    // A retired journal (journal/done/) has nothing pending by construction.
    if (path !== journalPath(options.stateDir, buildId)) continue;
    if (pending.length > 0) {
      const journal = openJournal(options.stateDir, buildId);
      try {
        const report = await releasePending(pending, journal, {
          azure: options.azure,
          vm: options.vm ?? (startDetail(entries)?.vm as VmIdentity | undefined),
          reporter: options.reporter,
          signal,
          stateDir: options.stateDir,
          buildId,
          step: 'cleanup',
          run: async (command) => void (await runShell(command, { signal })),
        });
        for (const p of report.removed) {
          const label = `${p.kind} ${p.id}`;
          removed.push(label);
          options.reporter.say(`removed ${label}`);
        }
        for (const f of report.failed) {
          const message = f.error instanceof Error ? f.error.message : String(f.error);
          failed.push(`${f.kind} ${f.id}: ${message}`);
        }
        if (!entries.some((e) => e.event === 'end')) journal.append({ event: 'end', detail: { status: 'killed', cleanedUp: report.failed.length === 0 } });
      } finally {
        journal.close();
      }
    } else if (!entries.some((e) => e.event === 'end')) {
      openJournal(options.stateDir, buildId).append({ event: 'end', detail: { status: 'killed', cleanedUp: true } });
    }
    try {
      retireJournal(options.stateDir, buildId);
    } catch {
      // Left in place: nothing is pending in it, so a later cleanup has nothing to do there.
    }
  }
  return { removed, failed };
}

// A build whose journal has no end record and whose process is alive is still running.
function runningPid(entries: readonly JournalEntry[]): number | undefined {
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
