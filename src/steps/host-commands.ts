// Host commands of the build: user templates (pre_mount_commands...) rendered with step data, every
// command wrapped by command_wrapper ({{.Command}}) and run with /bin/sh, output streamed to the reporter.

import type { VmIdentity } from '../azure/ports.js';
import type { BuildConfig } from '../config/model.js';
import type { ExecResult } from '../host/exec.js';
import { runShell } from '../host/exec.js';
import { renderStepTemplate } from '../interpolate/deferred-fields.js';
import { vmLookupFor } from '../interpolate/vm-lookup.js';
import type { StepContext } from './types.js';
import type { BuildState } from './state.js';

/** Renders a deferred field (mount_path, *_commands...) with step data such as Device and MountPath. */
export function renderField(config: BuildConfig, vm: VmIdentity, text: string, data: Record<string, string>, buildData: Record<string, string>): string {
  return renderStepTemplate(text, config.templateContext, data, buildData, vmLookupFor(vm));
}

/** command_wrapper around `command`. */
export function wrapCommand(config: BuildConfig, vm: VmIdentity, command: string, buildData: Record<string, string> = {}): string {
  return renderField(config, vm, config.builder.commandWrapper, { Command: command }, buildData);
}

/** Wraps and runs one host command for `step`, streaming its output; throws CommandError on failure. `announce` shows it at info level. */
export async function runHost(ctx: StepContext, state: BuildState, step: string, command: string, announce = false): Promise<ExecResult> {
  const wrapped = wrapCommand(ctx.config, ctx.vm, command, state.buildData);
  if (announce) ctx.reporter.say(`running: ${wrapped}`, step);
  else ctx.reporter.debug(`running: ${wrapped}`, step);
  return runShell(wrapped, { signal: ctx.signal, secrets: ctx.config.secrets, onLine: (line, stream) => ctx.reporter.output(line, stream, step) });
}

/** Renders each user command with `data`, then wraps and runs it, in order. */
export async function runUserCommands(ctx: StepContext, state: BuildState, step: string, commands: readonly string[], data: Record<string, string>): Promise<void> {
  for (const template of commands) {
    const command = renderField(ctx.config, ctx.vm, template, data, state.buildData);
    await runHost(ctx, state, step, command, true);
  }
}
