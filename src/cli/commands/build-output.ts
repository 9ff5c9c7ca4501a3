// Where a build's messages and artifacts go: plain lines (cron, no TTY, and beside the task view on a
// TTY), JSON events (-machine-readable/--json), plus an optional debug log file. All redacted.

import { reporterForBuild, type Redactor, type Reporter } from '../../report/reporter.js';
import { createPlainReporter } from '../../report/plain-reporter.js';
import { createJsonReporter } from '../../report/json-reporter.js';
import { createMachineReporter } from '../../report/machine-readable.js';
import { createLogFileReporter } from '../../report/log-file.js';
import { fanOut } from '../../report/compose.js';
import { writeLine } from '../../report/task-output.js';
import { writeTo } from '../../report/closed-output.js';

const RECENT_LINES = 15;

/** Passes everything to `inner` and keeps a copy of each warning. */
function rememberWarnings(inner: Reporter, into: string[], build?: string): Reporter {
  return {
    ...inner,
    warn: (m, step) => {
      into.push(`${build ? `${build}: ` : ''}${step ? `[${step}] ` : ''}${m}`);
      inner.warn(m, step);
    },
    forBuild: (name) => rememberWarnings(reporterForBuild(inner, name), into, name),
  };
}

export interface BuildOutput {
  reporter: Reporter;
  /** On a terminal: the last lines the steps reported (they scroll away with the task view), for a failure. */
  recentLines(): string[];
  /** Prints one build's artifact the way Packer does (or as a JSON event). */
  artifact(build: string, text: string, timings: readonly { step: string; ms: number }[]): void;
  close(): Promise<void>;
}

/** The output for a view; `logFile` adds a debug log with every message. */
export function createOutput(view: 'tty' | 'plain' | 'json' | 'machine', redactor: Redactor, options: { logFile?: string; logToStderr?: boolean; timestamps?: boolean; debug: boolean }): BuildOutput {
  const write = (line: string) => writeTo(process.stdout, `${line}\n`);
  const warnings: string[] = [];
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > RECENT_LINES) recent.shift();
  };
  const main =
    view === 'machine'
      ? createMachineReporter({ redactor, write })
      : view === 'json'
      ? createJsonReporter({ redactor, write, debug: options.debug })
      : view === 'plain'
        ? createPlainReporter({ redactor, write, debug: options.debug })
        : rememberWarnings(
            createPlainReporter({ redactor, debug: options.debug, timestamps: options.timestamps ?? false, write: (line) => (remember(line), writeLine(line)) }),
            warnings,
          );
  const logs = [
    ...(options.logFile ? [createLogFileReporter(options.logFile, { redactor })] : []),
    ...(options.logToStderr ? [createPlainReporter({ redactor, debug: true, write: (line) => writeTo(process.stderr, `${line}\n`) })] : []),
  ];
  const reporter = logs.length > 0 ? fanOut(main, ...logs) : main;
  let first = true;
  return {
    reporter,
    recentLines: () => [...recent],
    artifact(build, text, timings) {
      // Packer's rows are written by the machine trailer, all at once.
      if (view === 'machine') return;
      if (view === 'json') {
        const resources = text.split('\n').slice(1).filter(Boolean);
        write(redactor.redact(JSON.stringify({ time: new Date().toISOString(), level: 'artifact', build, resources, timings })));
        return;
      }
      if (first) write('==> Builds finished. The artifacts of successful builds are:');
      first = false;
      write(redactor.redact(`--> ${build}: ${text.trimEnd()}`));
      write(`    ${describeTimings(timings)}`);
    },
    close: async () => {
      // On a terminal, step output scrolls away with the task view: repeat the warnings at the end (once).
      if (warnings.length > 0) write(redactor.redact(`Warnings:\n${warnings.map((w) => `  ${w}`).join('\n')}`));
      warnings.length = 0;
    },
  };
}

/** "timings: preflight 2 ms, attach-disk 62 ms, ...; cleanup 23 ms; total 998 ms" (cleanups summed). */
export function describeTimings(timings: readonly { step: string; ms: number }[]): string {
  const steps = timings.filter((t) => !t.step.startsWith('cleanup:'));
  const cleanup = timings.filter((t) => t.step.startsWith('cleanup:')).reduce((n, t) => n + t.ms, 0);
  const total = timings.reduce((n, t) => n + t.ms, 0);
  return `timings: ${steps.map((t) => `${t.step} ${t.ms} ms`).join(', ')}; cleanup ${cleanup} ms; total ${total} ms`;
}
