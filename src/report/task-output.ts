// On a terminal the build's steps are a listr2 task list. Lines printed directly would tear that
// view apart, so while a task runs, report lines go to the task's own output area instead.

import { writeTo } from './closed-output.js';

type Sink = (line: string) => void;
let sink: Sink | undefined;

/** Sends report lines to `taskSink` until called again with undefined. */
export function routeLinesToTask(taskSink: Sink | undefined): void {
  sink = taskSink;
}

/** Writes one report line: into the running task's output, or to stdout when no task runs. */
export function writeLine(line: string): void {
  if (sink) sink(line);
  else writeTo(process.stdout, `${line}\n`);
}
