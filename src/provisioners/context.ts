// What every provisioner run gets: the build, a redacting reporter, the step-time template
// renderer bound to this build's data, and the cancellation signal.

import { renderStepTemplate } from '../interpolate/deferred-fields.js';
import type { VmLookup } from '../interpolate/vm-lookup.js';
import type { BuildConfig, TemplateRuntime } from '../config/model.js';
import type { Communicator } from '../chroot/communicator.js';
import type { Reporter } from '../report/reporter.js';

/** Renders Go-template text at step time; `data` is the `{{.Key}}` data of that field. */
export type StepRenderer = (text: string, data: Record<string, string>) => string;

/** Context of a host-side run (shell-local provisioner and post-processor). */
export interface LocalRunContext {
  build: BuildConfig;
  reporter: Reporter;
  /** Reporter step id and output prefix, e.g. `shell-local`. */
  step: string;
  render: StepRenderer;
  buildData: Record<string, string>;
  signal: AbortSignal;
  /** Variables added to the Vars string and to the process environment (AZCHROOT_*). */
  extraVars: Record<string, string>;
}

/** Context of a provisioner that works inside the chroot. */
export interface ProvisionerContext extends LocalRunContext {
  comm: Communicator;
}

/** Binds the step-time renderer to a build's runtime, build data and VM lookup. */
export function createStepRenderer(runtime: TemplateRuntime, buildData: Record<string, string>, vm: VmLookup): StepRenderer {
  return (text, data) => renderStepTemplate(text, runtime, data, buildData, vm);
}

/** Forwards output lines to the reporter and keeps the last `size` lines for error messages. */
export function createOutputSink(reporter: Reporter, step: string, size = 20): {
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  tail: () => string;
} {
  const last: string[] = [];
  return {
    onLine(line, stream) {
      reporter.output(line, stream, step);
      last.push(line);
      if (last.length > size) last.shift();
    },
    tail: () => last.join('\n'),
  };
}
