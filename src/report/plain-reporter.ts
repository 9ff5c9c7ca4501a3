// Plain timestamped lines, for cron jobs, CI logs and anything that is not a TTY:
// `2026-11-21T23:30:00Z [attach-disk] Attaching disk...`, output lines as `... [shell] <line>`.

import { Redactor, type Level, type Reporter } from './reporter.js';
import { formatLines } from './line-format.js';

export interface PlainReporterOptions {
  redactor?: Redactor;
  /** Receives each finished line, without newline (default: stdout). */
  write?: (line: string) => void;
  now?: () => Date;
  /** Show debug messages. */
  debug?: boolean;
  /** Prefix lines with the time (default true; the terminal task view shows no times). */
  timestamps?: boolean;
  /** The build the lines belong to, when a template has several. */
  build?: string;
}

/** Creates a reporter that prints redacted, timestamped lines. */
export function createPlainReporter(o: PlainReporterOptions = {}): Reporter {
  const redactor = o.redactor ?? new Redactor();
  const write = o.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = o.now ?? (() => new Date());
  const emit = (level: Level | 'output', text: string, step?: string): void => {
    for (const line of formatLines(o.timestamps === false ? undefined : now(), level, redactor.redact(text), step, o.build)) write(line);
  };
  return {
    say: (m, step) => emit('info', m, step),
    warn: (m, step) => emit('warn', m, step),
    error: (m, step) => emit('error', m, step),
    debug: (m, step) => { if (o.debug) emit('debug', m, step); },
    output: (line, _stream, step) => emit('output', line, step),
    forBuild: (build) => createPlainReporter({ ...o, build }),
  };
}
