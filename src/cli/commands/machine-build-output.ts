// The rows `build -machine-readable` writes around the builds' own, as Packer 1.6.6 does: a
// finished/errored row as each build ends, then "Wait completed", the error summary
// (`error-count`, one `error` row per failed build) and the artifacts (`artifact-count`,
// `artifact,N,builder-id|id|string|files-count|end`), each followed by its `ui` line.

import type { BuildOutcome } from '../../build.js';
import { formatDiagnostic } from '../../diagnostics.js';
import { AzchrootError, TemplateError } from '../../errors.js';
import { machineRow, packerDuration } from '../../report/machine-readable.js';
import type { Redactor } from '../../report/reporter.js';
import { artifactId } from '../../post-processors/artifact.js';

export interface MachineRows {
  /** A build ended: `Build 'x' finished after ...` or `Build 'x' errored after ...: message`. */
  buildEnded(end: { name: string; ms: number; error?: unknown }): void;
  /** The trailer, after every build; `failures` without a name are the run's own (a template error). */
  finish(outcomes: readonly BuildOutcome[], failures: readonly { name: string; error: unknown }[]): void;
}

export function createMachineRows(write: (line: string) => void, redactor: Redactor, now: () => Date = () => new Date()): MachineRows {
  const started = performance.now();
  const row = (target: string, type: string, ...data: string[]): void => write(redactor.redact(machineRow(now(), target, type, data)));
  return {
    buildEnded({ name, ms, error }) {
      if (error === undefined) row('', 'ui', 'say', `Build '${name}' finished after ${packerDuration(ms)}.`);
      else row('', 'ui', 'error', `Build '${name}' errored after ${packerDuration(ms)}: ${messageOf(error)}`);
    },
    finish(outcomes, failures) {
      for (const f of failures) if (!f.name) for (const line of describeRunError(f.error)) row('', 'ui', 'error', line);
      row('', 'ui', 'say', `\n==> Wait completed after ${packerDuration(performance.now() - started)}`);
      const named = failures.filter((f) => f.name);
      if (named.length > 0) {
        row('', 'error-count', String(named.length));
        row('', 'ui', 'error', "\n==> Some builds didn't complete successfully and had errors:");
        for (const f of named) {
          row(f.name, 'error', messageOf(f.error));
          row('', 'ui', 'error', `--> ${f.name}: ${messageOf(f.error)}`);
        }
      }
      if (outcomes.length === 0) {
        row('', 'ui', 'say', '\n==> Builds finished but no artifacts were created.');
        return;
      }
      row('', 'ui', 'say', '\n==> Builds finished. The artifacts of successful builds are:');
      for (const o of outcomes) {
        const text = o.artifactText.trimEnd();
        row(o.name, 'artifact-count', '1');
        row(o.name, 'artifact', '0', 'builder-id', 'azure.chroot');
        row(o.name, 'artifact', '0', 'id', artifactId({ builderId: 'azure.chroot', resources: o.resources, kept: o.kept, buildData: {} }));
        row(o.name, 'artifact', '0', 'string', text);
        row(o.name, 'artifact', '0', 'files-count', '0');
        row(o.name, 'artifact', '0', 'end');
        row('', 'ui', 'say', `--> ${o.name}: ${text}`);
      }
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A failure of the run itself: each diagnostic of a template error, or the error and its hint. */
function describeRunError(error: unknown): string[] {
  if (error instanceof TemplateError) return error.diagnostics.map((d) => formatDiagnostic(d));
  const hint = AzchrootError.is(error) && error.hint ? `\nHint: ${error.hint}` : '';
  return [`Error: ${messageOf(error)}${hint}`];
}
