// Machine-readable output (-machine-readable / --json): one JSON object per line,
// `{"time","level","step","message"}`; output lines have level "output" and a "stream".

import { Redactor, type Level, type Reporter } from './reporter.js';
import { isoSeconds } from './line-format.js';

export interface JsonEvent {
  time: string;
  level: Level | 'output';
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
}

/** Creates a reporter that prints one redacted JSON event per line. */
export function createJsonReporter(o: JsonReporterOptions = {}): Reporter {
  const redactor = o.redactor ?? new Redactor();
  const write = o.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = o.now ?? (() => new Date());
  const emit = (level: JsonEvent['level'], message: string, step?: string, stream?: JsonEvent['stream']): void => {
    const event: JsonEvent = { time: isoSeconds(now()), level, step, message: redactor.redact(message), stream };
    // JSON.stringify drops the undefined step/stream keys.
    write(JSON.stringify(event));
  };
  return {
    say: (m, step) => emit('info', m, step),
    warn: (m, step) => emit('warn', m, step),
    error: (m, step) => emit('error', m, step),
    debug: (m, step) => { if (o.debug) emit('debug', m, step); },
    output: (line, stream, step) => emit('output', line, step, stream),
  };
}
