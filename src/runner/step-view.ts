// How the build's progress is shown. tty: a listr2 task list with per-step timings in the titles;
// plain/json: no renderer, the reporter prints. listr2 only displays: the steps, their order, the
// cleanup stack and cancellation all belong to run-build.ts.

import { Listr } from 'listr2';
import type { Reporter } from '../report/reporter.js';
import { routeLinesToTask } from '../report/task-output.js';
import type { CleanupFailure, CleanupStack } from './cleanup-stack.js';

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
      // The last lines the step reported stay visible under it while it runs.
      rendererOptions: { outputBar: 6, persistentOutput: false },
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
    { concurrent: false, exitOnError: true, rendererOptions: { collapseErrors: false } },
  );
  await list.run();
}

/** Unwinds the cleanup stack, shown as one "Clean up" task on a tty; returns the failures. */
export async function runCleanups(view: ViewKind, reporter: Reporter, stack: CleanupStack, timings: Timing[]): Promise<CleanupFailure[]> {
  if (stack.size === 0) return [];
  const hooks = {
    before: (id: string) => reporter.debug(`cleaning up ${id}`, id),
    after: (id: string, ms: number) => timings.push({ step: `cleanup:${id}`, ms }),
  };
  if (view !== 'tty') return stack.unwind(hooks);
  let failures: CleanupFailure[] = [];
  const started = Date.now();
  const list = new Listr(
    [
      {
        title: 'Clean up',
        rendererOptions: { outputBar: 6, persistentOutput: false },
        task: async (_: unknown, task: { title: string; output: string }) => {
          routeLinesToTask((line) => {
            task.output = line;
          });
          try {
            failures = await stack.unwind(hooks);
          } finally {
            routeLinesToTask(undefined);
          }
          task.title = `Clean up (${formatDuration(Date.now() - started)}${failures.length ? `, ${failures.length} failed` : ''})`;
          // Thrown only to mark the task as failed; exitOnError=false keeps it from leaving list.run().
          if (failures.length > 0) throw new Error(`${failures.length} cleanup step(s) failed: ${failures.map((f) => f.id).join(', ')}`);
        },
      },
    ],
    { exitOnError: false },
  );
  await list.run();
  return failures;
}
