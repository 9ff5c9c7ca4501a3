// What an interrupted or aborted build may have left behind, in words a user can act on.

import { existsSync } from 'node:fs';
import { journalPath, pendingResources, readJournal, type Journal, type JournalEntry } from './journal.js';
import { KIND_LABELS } from './kinds.js';
import { releaseOrder } from './ledger.js';

/**
 * One line per resource the journal does not show as removed; outputs (image, gallery version) last,
 * and only for a build that did not succeed. Empty when nothing is left.
 */
export function describeLeftovers(journal: Journal | readonly JournalEntry[]): string[] {
  const entries: readonly JournalEntry[] = isJournal(journal) ? journal.entries() : journal;
  const succeeded = entries.some((e) => e.event === 'end' && e.detail?.status === 'succeeded');
  const pending = pendingResources(entries).filter((p) => p.temporary || !succeeded);
  const ordered = [...releaseOrder(pending.filter((p) => p.temporary)), ...pending.filter((p) => !p.temporary)];
  return ordered.map((p) => {
    const maybe = p.status === 'intent' ? ' (creation was started; it may or may not exist)' : '';
    const where = p.kind === 'attachment' && typeof p.detail?.lun === 'number' ? ` at LUN ${p.detail.lun}` : '';
    return `${KIND_LABELS[p.kind]}${where}: ${p.id}${maybe}`;
  });
}

/** The hint printed under the leftovers list (naming the emulator when the build ran against one). */
export function leftoversHint(stateDir: string, buildId: string, emulatorStateDir?: string): string {
  const state = stateDir === '/var/lib/azchroot' ? '' : ` --state-dir ${stateDir}`;
  const emulator = emulatorStateDir ? ` --emulator=${emulatorStateDir}` : '';
  return `run "azchroot cleanup --build-id ${buildId}${state}${emulator}" to remove the temporary ones`;
}

function isJournal(value: Journal | readonly JournalEntry[]): value is Journal {
  return !Array.isArray(value);
}

/** describeLeftovers for a build known by id (for the CLI's second Ctrl-C): reads its journal from disk. */
export function describeBuildLeftovers(stateDir: string, buildId: string): string[] {
  const path = journalPath(stateDir, buildId);
  return existsSync(path) ? describeLeftovers(readJournal(path)) : [];
}
