// After a second Ctrl-C: say what unfinished builds may have left, and how to remove it.

import { listJournals, readJournal, journalDir, startDetail } from '../../ledger/journal.js';
import { describeLeftovers, leftoversHint } from '../../ledger/leftovers.js';
import { join } from 'node:path';

/** Prints what the builds of this process (`pid`) may have left, from their journals in `stateDir`. */
export function printLeftovers(stateDir: string, write: (text: string) => void, pid = process.pid): void {
  let any = false;
  for (const buildId of listJournals(stateDir)) {
    const entries = readJournal(join(journalDir(stateDir), `${buildId}.jsonl`));
    if (startDetail(entries)?.pid !== pid) continue;
    const lines = describeLeftovers(entries);
    if (lines.length === 0) continue;
    any = true;
    write(`Build ${buildId} was stopped before its cleanup finished. These may be left behind:\n`);
    for (const l of lines) write(`  - ${l}\n`);
    write(`  ${leftoversHint(stateDir, buildId, startDetail(entries)?.emulator as string | undefined)}\n`);
  }
  if (!any) write('Stopped. The journal shows nothing left behind.\n');
}
