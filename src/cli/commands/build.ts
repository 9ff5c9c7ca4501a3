// `azchroot build`: choose the output (task view, plain lines, JSON events), handle Ctrl-C
// (first: cancel and clean up; second: exit and say what may be left), print the artifacts.

import { build } from '../../build.js';
import { Redactor, type Reporter } from '../../report/reporter.js';
import { CancelledError } from '../../errors.js';
import { renderError } from '../render-error.js';
import { loadOptionsFrom, type TemplateFlags } from './template-flags.js';
import { createOutput } from './build-output.js';
import { logFilePath } from '../../report/log-file.js';

export interface BuildFlags extends TemplateFlags {
  force?: boolean;
  onError?: 'cleanup' | 'abort';
  machineReadable?: boolean;
  json?: boolean;
  logFile?: string;
  emulator?: string | boolean;
  stateDir: string;
}

export const DEFAULT_EMULATOR_STATE = '/var/lib/azchroot/emulator';

/** Runs the build; returns the exit code (0 success, 1 build failed, 2 usage or template error). */
export async function buildCommand(path: string, flags: BuildFlags): Promise<number> {
  const redactor = new Redactor();
  const view = flags.json || flags.machineReadable ? 'json' : process.stdout.isTTY ? 'tty' : 'plain';
  const output = createOutput(view, redactor, { logFile: logFilePath(process.env, flags.logFile), debug: Boolean(flags.debug) });
  const controller = new AbortController();
  const stopSignals = handleSignals(controller, output.reporter, flags.stateDir);
  try {
    const outcomes = await build(path, {
      ...loadOptionsFrom(flags),
      reporter: output.reporter,
      addSecrets: (values) => redactor.add(...values),
      signal: controller.signal,
      view,
      onError: flags.onError ?? 'cleanup',
      force: Boolean(flags.force),
      stateDir: flags.stateDir,
      emulatorStateDir: flags.emulator === undefined || flags.emulator === false ? undefined : flags.emulator === true || flags.emulator === '' ? DEFAULT_EMULATOR_STATE : flags.emulator,
    });
    for (const o of outcomes) output.artifact(o.name, o.artifactText, o.timings);
    return 0;
  } catch (error) {
    const cancelled = controller.signal.aborted;
    const recent = output.recentLines();
    if (!cancelled && recent.length > 0) process.stderr.write(`Last output of the build:\n${recent.map((l) => `  ${l}`).join('\n')}\n`);
    const code = renderError(cancelled ? new CancelledError('the build was interrupted; every cleanup has run', { cause: error }) : error, {
      debug: Boolean(flags.debug),
      write: (t) => process.stderr.write(t),
      redact: (t) => redactor.redact(t),
    });
    if (cancelled && flags.debug) renderError(error, { debug: true, write: (t) => process.stderr.write(t), redact: (t) => redactor.redact(t) });
    return code;
  } finally {
    stopSignals();
    await output.close();
  }
}

/** First SIGINT/SIGTERM cancels (cleanup still runs); a second one exits at once and lists what may be left. */
function handleSignals(controller: AbortController, reporter: Reporter, stateDir: string): () => void {
  let count = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    count += 1;
    if (count === 1) {
      reporter.warn(`${signal} received: stopping the running step, then cleaning up. Press Ctrl-C again to exit at once.`);
      controller.abort(new CancelledError());
      return;
    }
    void import('./leftovers-report.js').then(({ printLeftovers }) => {
      printLeftovers(stateDir, (t) => process.stderr.write(t));
      process.exit(130);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
