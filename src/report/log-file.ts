// The debug log: every message (debug included), redacted, appended to a file when --log-file or
// AZCHROOT_LOG=1 is given (file from AZCHROOT_LOG_PATH, default ./azchroot.log), or with Packer's
// PACKER_LOG=1 to PACKER_LOG_PATH, or to stderr when that is unset, as Packer does.

import { writeSync } from 'node:fs';
import { openAppendPrivate } from '../host/private-files.js';
import { HostError } from '../errors.js';
import { Redactor, type Level, type Reporter } from './reporter.js';
import { formatLines } from './line-format.js';

export const DEFAULT_LOG_FILE = 'azchroot.log';

/** The log file to write: --log-file wins, else AZCHROOT_LOG=1 (AZCHROOT_LOG_PATH or azchroot.log), else PACKER_LOG_PATH with PACKER_LOG. */
export function logFilePath(env: Record<string, string | undefined>, flag?: string): string | undefined {
  if (flag) return flag;
  if (enabled(env.AZCHROOT_LOG)) return env.AZCHROOT_LOG_PATH || DEFAULT_LOG_FILE;
  if (enabled(env.PACKER_LOG) && env.PACKER_LOG_PATH) return env.PACKER_LOG_PATH;
  return undefined;
}

/** PACKER_LOG=1 without PACKER_LOG_PATH: Packer logs to stderr, and so do we (when no log file is chosen otherwise). */
export function logsToStderr(env: Record<string, string | undefined>, flag?: string): boolean {
  return logFilePath(env, flag) === undefined && enabled(env.PACKER_LOG);
}

// Packer's rule: anything but unset, "" and "0" turns logging on (we also take "false").
function enabled(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
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
