// Packer's -machine-readable format, row for row: `timestamp,target,type,data...`, one per line,
// with commas in the data written as `%!(PACKER_COMMA)` and carriage returns and newlines as `\r`
// and `\n` (Packer's MachineReadableUi). Step messages are `ui,say` rows prefixed `==> BUILD: `,
// command output `ui,message` rows prefixed `    BUILD: `, as Packer's targeted UI writes them.

import { Redactor, type Reporter } from './reporter.js';

/** One row: `1796351828,target,type,data,...`. */
export function machineRow(time: Date, target: string, type: string, data: readonly string[]): string {
  const escaped = data.map((d) => d.replaceAll(',', '%!(PACKER_COMMA)').replaceAll('\r', '\\r').replaceAll('\n', '\\n'));
  return [String(Math.floor(time.getTime() / 1000)), target, type, ...escaped].join(',');
}

export interface MachineReporterOptions {
  redactor?: Redactor;
  /** Receives each row, without newline (default: stdout). */
  write?: (line: string) => void;
  now?: () => Date;
  build?: string;
}

/** A reporter writing Packer's ui rows; debug messages are not rows (they go to the log). */
export function createMachineReporter(o: MachineReporterOptions = {}): Reporter {
  const redactor = o.redactor ?? new Redactor();
  const write = o.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = o.now ?? (() => new Date());
  const ui = (kind: 'say' | 'message' | 'error', text: string, prefix: string): void => {
    const lines = redactor.redact(text).split('\n').map((l) => `${prefix}${l}`);
    write(machineRow(now(), '', 'ui', [kind, lines.join('\n')]));
  };
  const loud = o.build ? `==> ${o.build}: ` : '';
  const quiet = o.build ? `    ${o.build}: ` : '';
  return {
    say: (m) => ui('say', m, loud),
    warn: (m) => ui('say', `Warning: ${m}`, loud),
    error: (m) => ui('error', m, loud),
    debug: () => {},
    output: (line) => ui('message', line, quiet),
    forBuild: (build) => createMachineReporter({ ...o, build }),
  };
}

const UNITS: [name: string, microseconds: number][] = [
  ['hour', 3_600_000_000], ['minute', 60_000_000], ['second', 1_000_000], ['millisecond', 1000], ['microsecond', 1],
];

/** A duration as Packer prints it: its two largest non-zero units, `6 milliseconds 956 microseconds`. */
export function packerDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms * 1000));
  const parts: string[] = [];
  for (const [name, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 && parts.length < 2) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.length > 0 ? parts.join(' ') : '0 microseconds';
}
