// Runs a build's provisioners in order inside the mounted chroot, each wrapped with its
// pause_before / timeout / max_retries, with output streamed live to the reporter.

import type { ProvisionRunContext } from '../chroot/communicator.js';
import { CancelledError } from '../errors.js';
import { createChrootCommunicator } from '../chroot/chroot-communicator.js';
import type { BuildConfig, ProvisionerConfig } from '../config/model.js';
import type { VmLookup } from '../interpolate/vm-lookup.js';
import { createRedactingReporter, redactorFor } from '../report/compose.js';
import { redactError } from '../report/redact-error.js';
import type { Reporter } from '../report/reporter.js';
import { createStepRenderer, type ProvisionerContext } from './context.js';
import { runFileProvisioner } from './file.js';
import { runShellLocal } from './shell-local.js';
import { runShellProvisioner } from './shell.js';
import { runWrapped } from './wrappers.js';


export interface ProvisionerRunnerOptions {
  reporter: Reporter;
  vm: VmLookup;
  /** Delay between max_retries attempts, ms (default 2000, like Packer). */
  retryDelayMs?: number;
}

/** Returns the function the provision step calls to run `build.provisioners` in order. */
export function createProvisionerRunner(build: BuildConfig, options: ProvisionerRunnerOptions): (ctx: ProvisionRunContext) => Promise<void> {
  // Secrets are redacted here too, whatever reporter the caller passed.
  const redactor = redactorFor(build.secrets);
  const reporter = createRedactingReporter(options.reporter, redactor);
  return async (run) => {
    const comm = createChrootCommunicator({ mountPath: run.mountPath, device: run.device, wrapCommand: run.wrapCommand, reporter, secrets: build.secrets, hostMounts: build.builder.chrootMounts.map((m) => m[2]) });
    const render = createStepRenderer(build.templateContext, run.buildData, options.vm);
    const extraVars = { AZCHROOT_DEVICE: run.device, AZCHROOT_MOUNT_PATH: run.mountPath };
    for (const [i, p] of build.provisioners.entries()) {
      const step = p.type;
      reporter.say(`Running provisioner ${i + 1} of ${build.provisioners.length}: ${describe(p)}`, step);
      const attempt = (signal: AbortSignal): Promise<void> => {
        const ctx: ProvisionerContext = { build, reporter, step, render, buildData: run.buildData, signal, extraVars, comm };
        return runOne(p, ctx);
      };
      try {
        await runWrapped(p, attempt, { reporter, step, signal: run.signal, retryDelayMs: options.retryDelayMs });
      } catch (err) {
        const redacted = redactError(err, redactor);
        // Name the provisioner: the error is printed after all the output that came before it.
        if (redacted instanceof Error && !(redacted instanceof CancelledError)) {
          redacted.message = `provisioner ${i + 1} of ${build.provisioners.length} (${describe(p)}) failed: ${redacted.message}`;
        }
        throw redacted;
      }
    }
  };
}

function runOne(p: ProvisionerConfig, ctx: ProvisionerContext): Promise<void> {
  switch (p.type) {
    case 'shell': return runShellProvisioner(p, ctx);
    case 'file': return runFileProvisioner(p, ctx);
    case 'shell-local': return runShellLocal(p, ctx);
  }
}

function describe(p: ProvisionerConfig): string {
  return p.name ? `${p.type} "${p.name}"` : p.type;
}
