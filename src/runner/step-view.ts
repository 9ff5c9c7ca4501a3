// How the build's progress is shown. tty: a listr2 task list with per-step timings in the titles;
// plain/json: no renderer, the reporter prints. listr2 only displays: the steps, their order, the
// ledger's cleanup and cancellation all belong to run-build.ts. listr2 registers no signal handler
// of its own (it would exit on Ctrl-C without cleaning up): signals are the CLI's.

import { Listr } from 'listr2';
import type { PendingResource } from '../ledger/journal.js';
import type { ReleaseOptions, ReleaseReport } from '../ledger/ledger.js';
import type { Reporter } from '../report/reporter.js';
import { routeLinesToTask } from '../report/task-output.js';

export type ViewKind = 'tty' | 'plain' | 'json';

export interface ViewItem {
  id: string;
  title: string;
  /** Evaluated when the item is reached (earlier steps decide). */
  enabled(): boolean;
  exec(): Promise<void>;
}

export interface Timing {
  step: string;
  ms: number;
}

/** "850 ms", "12.3 s", "2m05s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Runs `items` in order, recording timings; rejects with the first step's error. */
export async function runItems(view: ViewKind, reporter: Reporter, items: readonly ViewItem[], timings: Timing[]): Promise<void> {
  const timed = async (item: ViewItem): Promise<number> => {
    // In every view (the log file gets debug lines always): where a build was when it stopped.
    reporter.debug(`step started: ${item.id}`, item.id);
    const started = Date.now();
    try {
      await item.exec();
    } finally {
      timings.push({ step: item.id, ms: Date.now() - started });
    }
    return Date.now() - started;
  };
  if (view !== 'tty') {
    for (const item of items) {
      if (!item.enabled()) {
        reporter.debug(`skipped: ${item.title}`, item.id);
        continue;
      }
      reporter.say(`${item.title}...`, item.id);
      const ms = await timed(item);
      reporter.debug(`${item.title}: done in ${formatDuration(ms)}`, item.id);
    }
    return;
  }
  const list = new Listr(
    items.map((item) => ({
      title: item.title,
      skip: () => (item.enabled() ? false : 'not needed for this build'),
      // Every line the step reports stays under it, also after it ended, as Packer prints every line.
      rendererOptions: { outputBar: Infinity, persistentOutput: true },
      task: async (_: unknown, task: { title: string; output: string }) => {
        routeLinesToTask((line) => {
          task.output = line;
        });
        try {
          const ms = await timed(item);
          task.title = `${item.title} (${formatDuration(ms)})`;
        } finally {
          routeLinesToTask(undefined);
        }
      },
    })),
    { concurrent: false, exitOnError: true, registerSignalListeners: false, rendererOptions: { collapseErrors: false } },
  );
  await list.run();
}

/** Runs the ledger's release (`pending` items), shown as one "Clean up" task on a tty; returns its report. */
export async function runCleanups(
  view: ViewKind,
  reporter: Reporter,
  pending: number,
  release: (hooks: Pick<ReleaseOptions, 'before' | 'after'>) => Promise<ReleaseReport>,
  timings: Timing[],
): Promise<ReleaseReport> {
  if (pending === 0) return { removed: [], kept: [], failed: [] };
  const hooks = {
    before: (p: PendingResource) => reporter.debug(`releasing ${p.kind} ${p.id}`, 'cleanup'),
    after: (p: PendingResource, ms: number) => timings.push({ step: `cleanup:${p.kind}`, ms }),
  };
  if (view !== 'tty') return release(hooks);
  let report: ReleaseReport = { removed: [], kept: [], failed: [] };
  const started = Date.now();
  const list = new Listr(
    [
      {
        title: 'Clean up',
        rendererOptions: { outputBar: Infinity, persistentOutput: true },
        task: async (_: unknown, task: { title: string; output: string }) => {
          routeLinesToTask((line) => {
            task.output = line;
          });
          try {
            report = await release(hooks);
          } finally {
            routeLinesToTask(undefined);
          }
          const failed = report.failed.length;
          task.title = `Clean up (${formatDuration(Date.now() - started)}${failed ? `, ${failed} failed` : ''})`;
          // Thrown only to mark the task as failed; exitOnError=false keeps it from leaving list.run().
          if (failed > 0) throw new Error(`${failed} could not be removed: ${report.failed.map((f) => f.label).join(', ')}`);
        },
      },
    ],
    { exitOnError: false, registerSignalListeners: false },
  );
  await list.run();
  return report;
}
