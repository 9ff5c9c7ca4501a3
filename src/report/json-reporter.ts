// JSON events (--json): one JSON object per line, `{"time","level","build","step","message"}`;
// output lines have level "output" and a "stream"; `build` names the build the event belongs to.

import { Redactor, type Level, type Reporter } from './reporter.js';
import { isoSeconds } from './line-format.js';

export interface JsonEvent {
  time: string;
  level: Level | 'output';
  build?: string;
  step?: string;
  message: string;
  stream?: 'stdout' | 'stderr';
}

export interface JsonReporterOptions {
  redactor?: Redactor;
  /** Receives each JSON line, without newline (default: stdout). */
  write?: (line: string) => void;
  now?: () => Date;
  debug?: boolean;
  build?: string;
}

/** Creates a reporter that prints one redacted JSON event per line. */
export function createJsonReporter(o: JsonReporterOptions = {}): Reporter {
  const redactor = o.redactor ?? new Redactor();
  const write = o.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = o.now ?? (() => new Date());
  const emit = (level: JsonEvent['level'], message: string, step?: string, stream?: JsonEvent['stream']): void => {
    const event: JsonEvent = { time: isoSeconds(now()), level, build: o.build, step, message: redactor.redact(message), stream };
    // JSON.stringify drops the undefined build/step/stream keys.
    write(JSON.stringify(event));
  };
  return {
    say: (m, step) => emit('info', m, step),
    warn: (m, step) => emit('warn', m, step),
    error: (m, step) => emit('error', m, step),
    debug: (m, step) => { if (o.debug) emit('debug', m, step); },
    output: (line, stream, step) => emit('output', line, step, stream),
    forBuild: (build) => createJsonReporter({ ...o, build }),
  };
}
