// The debug log: every message (debug included) appended to a file, redacted, when
// AZCHROOT_LOG=1 (file from AZCHROOT_LOG_PATH, default ./azchroot.log) or --log-file is given.

import { writeSync } from 'node:fs';
import { openAppendPrivate } from '../host/private-files.js';
import { HostError } from '../errors.js';
import { Redactor, type Level, type Reporter } from './reporter.js';
import { formatLines } from './line-format.js';

export const DEFAULT_LOG_FILE = 'azchroot.log';

/** The log file to write: --log-file wins, else AZCHROOT_LOG=1 (AZCHROOT_LOG_PATH or azchroot.log), else none. */
export function logFilePath(env: Record<string, string | undefined>, flag?: string): string | undefined {
  if (flag) return flag;
  const on = env.AZCHROOT_LOG;
  if (on && on !== '0' && on.toLowerCase() !== 'false') return env.AZCHROOT_LOG_PATH || DEFAULT_LOG_FILE;
  return undefined;
}

export interface LogFileOptions {
  redactor?: Redactor;
  now?: () => Date;
}

/** Creates a reporter appending every message to `path` (mode 0600: logs can be sensitive even redacted). */
export function createLogFileReporter(path: string, o: LogFileOptions = {}): Reporter {
  const redactor = o.redactor ?? new Redactor();
  const now = o.now ?? (() => new Date());
  // Opened once, without following a symlink planted at the path (ELOOP), mode 0600.
  let fd: number;
  try {
    fd = openAppendPrivate(path, 0o600);
  } catch (err) {
    const link = (err as NodeJS.ErrnoException).code === 'ELOOP';
    throw new HostError('AZC_LOG_FILE', `cannot write the log file ${path}: ${link ? 'it is a symbolic link, which azchroot does not follow' : (err as Error).message}`, {
      hint: 'choose a writable path with --log-file or AZCHROOT_LOG_PATH',
      cause: err,
    });
  }
  // Synchronous appends keep lines in order and on disk even if the process dies.
  const reporter = (build?: string): Reporter => {
    const emit = (level: Level | 'output', text: string, step?: string): void => {
      const lines = formatLines(now(), level, redactor.redact(text), step, build);
      writeSync(fd, lines.map((l) => `${l}\n`).join(''));
    };
    return {
      say: (m, step) => emit('info', m, step),
      warn: (m, step) => emit('warn', m, step),
      error: (m, step) => emit('error', m, step),
      debug: (m, step) => emit('debug', m, step),
      output: (line, stream, step) => emit('output', stream === 'stderr' ? `(stderr) ${line}` : line, step),
      forBuild: (name) => reporter(name),
    };
  };
  return reporter();
}
