// The rows `build -machine-readable` writes around the builds' own, as Packer 1.6.6 does: a
// finished/errored row as each build ends, then "Wait completed", the error summary
// (`error-count`, one `error` row per failed build) and the artifacts (`artifact-count`,
// `artifact,N,builder-id|id|string|files-count|end`), each followed by its `ui` line.

import type { BuildOutcome } from '../../build.js';
import { formatDiagnostic } from '../../diagnostics.js';
import { AzchrootError, messageOf, TemplateError } from '../../errors.js';
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
        // As Packer's azure-chroot artifact: the id and the text list the resources lower-cased and sorted.
        const artifact = { builderId: 'azure.chroot' as const, resources: o.resources, kept: o.kept, buildData: {} };
        const id = artifactId(artifact);
        const text = `Azure resources created:\n${id.split(',').map((r) => `${r}\n`).join('')}`;
        // The builder's artifact, then each post-processor chain's (the same one: they all keep it).
        const count = 1 + o.postProcessorChains;
        row(o.name, 'artifact-count', String(count));
        for (let i = 0; i < count; i++) {
          row(o.name, 'artifact', String(i), 'builder-id', 'azure.chroot');
          row(o.name, 'artifact', String(i), 'id', id);
          row(o.name, 'artifact', String(i), 'string', text);
          row(o.name, 'artifact', String(i), 'files-count', '0');
          row(o.name, 'artifact', String(i), 'end');
        }
        for (let i = 0; i < count; i++) row('', 'ui', 'say', `--> ${o.name}: ${text}`);
      }
    },
  };
}

/** A failure of the run itself: each diagnostic of a template error, or the error and its hint. */
function describeRunError(error: unknown): string[] {
  if (error instanceof TemplateError) return error.diagnostics.map((d) => formatDiagnostic(d));
  const hint = AzchrootError.is(error) && error.hint ? `\nHint: ${error.hint}` : '';
  return [`Error: ${messageOf(error)}${hint}`];
}
