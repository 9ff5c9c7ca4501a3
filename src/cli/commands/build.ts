// `azchroot build`: choose the output (task view, plain lines, JSON events), handle Ctrl-C, SIGTERM
// and SIGHUP in every view (first: cancel and clean up; second: exit and say what may be left),
// survive a closed stdout/stderr, print the artifacts, and exit non-zero when anything is left.

import { build, BuildsFailedError, type BuildOutcome } from '../../build.js';
import { Redactor, type Reporter } from '../../report/reporter.js';
import { AzchrootError, CancelledError, TemplateError, UsageError } from '../../errors.js';
import { isoSeconds } from '../../report/line-format.js';
import type { OnErrorMode } from '../../runner/run-build.js';
import { createMachineRows } from './machine-build-output.js';
import { cleanupErrorsOf, leftoversOf } from '../../runner/run-build.js';
import { surviveClosedOutput, writeNow, writeTo } from '../../report/closed-output.js';
import { renderError } from '../render-error.js';
import { loadOptionsFrom, type TemplateFlags } from './template-flags.js';
import { createOutput } from './build-output.js';
import { logFilePath, logsToStderr } from '../../report/log-file.js';

export interface BuildFlags extends TemplateFlags {
  force?: boolean;
  onError?: OnErrorMode;
  /** Builds at once; 0: all (Packer's default). */
  parallelBuilds?: number;
  machineReadable?: boolean;
  /** Packer's -color=false: no colours. */
  color?: boolean;
  /** Packer's -timestamp-ui: a time on every line, also on a terminal. */
  timestampUi?: boolean;
  /** Packer's -debug: pause before each step (needs a terminal). */
  stepByStep?: boolean;
  json?: boolean;
  logFile?: string;
  emulator?: string | boolean;
  stateDir: string;
}

export const DEFAULT_EMULATOR_STATE = '/var/lib/azchroot/emulator';

/** Runs the build; returns the exit code (0 success, 1 build failed, 2 usage or template error). */
export async function buildCommand(path: string, flags: BuildFlags): Promise<number> {
  surviveClosedOutput();
  const redactor = new Redactor();
  const asking = flags.onError === 'ask' || Boolean(flags.stepByStep);
  const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  if (flags.stepByStep && !terminal) {
    throw new UsageError('-debug pauses before each step until Enter is pressed, and needs a terminal', { hint: 'run it interactively; for debug output and stack traces use --trace or AZCHROOT_DEBUG=1' });
  }
  if (flags.onError === 'ask' && !terminal) {
    throw new UsageError('-on-error=ask needs a terminal to ask on', { hint: 'run it interactively, or choose -on-error=cleanup, abort or run-cleanup-provisioner' });
  }
  // A question cannot be asked inside the task view: -on-error=ask prints lines.
  const view = flags.json || flags.machineReadable ? 'json' : process.stdout.isTTY && !asking ? 'tty' : 'plain';
  // -machine-readable: Packer's rows; --json: our JSON events (both without the task view).
  const machine = flags.machineReadable && !flags.json ? createMachineRows((line) => writeTo(process.stdout, `${line}\n`), redactor) : undefined;
  // Packer's -color=false; listr2's colours follow NO_COLOR/FORCE_COLOR, read when it is loaded.
  if (flags.color === false) Object.assign(process.env, { NO_COLOR: '1', FORCE_COLOR: '0' });
  const output = createOutput(machine ? 'machine' : view, redactor, {
    logFile: logFilePath(process.env, flags.logFile),
    logToStderr: logsToStderr(process.env, flags.logFile),
    timestamps: Boolean(flags.timestampUi),
    debug: Boolean(flags.debug),
  });
  const failedBuilds = new Map<unknown, string>();
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
      ...(flags.onError === 'ask' ? { ask: askOnTerminal } : {}),
      // -debug goes step by step: one build at a time.
      parallelBuilds: flags.stepByStep ? 1 : flags.parallelBuilds ?? 0,
      ...(flags.stepByStep ? { pauseBeforeStep: (message: string) => askOnTerminal(`${message} `) } : {}),
      onBuildEnd: (end) => {
        if (end.error !== undefined) failedBuilds.set(end.error, end.name);
        machine?.buildEnded(end);
      },
      force: Boolean(flags.force),
      stateDir: flags.stateDir,
      emulatorStateDir: flags.emulator === undefined || flags.emulator === false ? undefined : flags.emulator === true || flags.emulator === '' ? DEFAULT_EMULATOR_STATE : flags.emulator,
    });
    machine?.finish(outcomes, []);
    return reportOutcomes(outcomes, output, redactor);
  } catch (error) {
    // A single build's error is thrown as it is; an error before any build (IMDS, sign-in) has no build.
    const failures = error instanceof BuildsFailedError ? error.failures : [{ name: failedBuilds.get(error) ?? '', error }];
    // --json: one error event per failed build (or for the run), with its code, before the text on stderr.
    if (view === 'json' && !machine) {
      for (const f of failures) writeTo(process.stdout, `${redactor.redact(JSON.stringify(errorEvent(f.name, f.error)))}\n`);
    }
    if (machine && !controller.signal.aborted) {
      // Every failure as Packer's rows on stdout; what a cleanup left still goes to stderr.
      machine.finish(error instanceof BuildsFailedError ? error.outcomes : [], failures);
      for (const f of failures) {
        const left = leftoversOf(f.error);
        if (left.length > 0) writeTo(process.stderr, redactor.redact(`${f.name}: its cleanup could not remove everything. Left behind:\n${left.join('\n')}\n`));
      }
      return error instanceof TemplateError || (AzchrootError.is(error) && !(error instanceof BuildsFailedError)) ? (error as AzchrootError).exitCode : 1;
    }
    if (error instanceof BuildsFailedError) {
      // Every build ran to its end: the artifacts of those that succeeded, then each failure, as Packer does.
      await output.close();
      const artifactsLeft = reportOutcomes(error.outcomes, output, redactor);
      const stderr = (t: string): void => writeTo(process.stderr, t);
      stderr("==> Some builds didn't complete successfully and had errors:\n");
      for (const failure of error.failures) {
        stderr(`--> ${failure.name}:\n`);
        renderError(failure.error, { debug: Boolean(flags.debug), write: (t) => stderr(indent(t)), redact: (t) => redactor.redact(t) });
        const left = leftoversOf(failure.error);
        if (left.length > 0) stderr(indent(redactor.redact(`Its cleanup could not remove everything. Left behind:\n${left.join('\n')}\n`)));
      }
      stderr(`${error.message}\n`);
      return Math.max(1, artifactsLeft);
    }
    // The warnings a terminal repeats come before the error, so that the error is the last word.
    await output.close();
    const cancelled = controller.signal.aborted;
    const recent = output.recentLines();
    const stderr = (t: string): void => writeTo(process.stderr, t);
    if (!cancelled && recent.length > 0) stderr(`Last output of the build:\n${recent.map((l) => `  ${l}`).join('\n')}\n`);
    const cleanedUp = cleanupErrorsOf(error).length === 0;
    const message = cleanedUp ? 'the build was interrupted; every cleanup has run' : 'the build was interrupted; its cleanup could not remove everything (listed above)';
    const code = renderError(cancelled ? new CancelledError(message, { cause: error }) : error, {
      debug: Boolean(flags.debug),
      write: stderr,
      redact: (t) => redactor.redact(t),
    });
    if (cancelled && flags.debug) renderError(error, { debug: true, write: stderr, redact: (t) => redactor.redact(t) });
    const left = cancelled ? [] : leftoversOf(error);
    // The error is what went wrong; what is left, and the command that removes it, still comes last.
    if (left.length > 0) stderr(redactor.redact(`The build failed, and its cleanup could not remove everything. Left behind:\n${left.join('\n')}\n`));
    return code;
  } finally {
    stopSignals();
    await output.close();
  }
}

/** Asks `question` on the terminal and returns the line typed (one question at a time, also with parallel builds). */
let asked: Promise<unknown> = Promise.resolve();
function askOnTerminal(question: string): Promise<string> {
  const answer = asked.then(async () => {
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    // On a terminal, readline takes Ctrl-C for itself: hand it to the build's signal handling.
    rl.on('SIGINT', () => {
      rl.close();
      process.kill(process.pid, 'SIGINT');
    });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  });
  asked = answer.catch(() => undefined);
  return answer;
}

/** The JSON event of a failure: its build, stable code, message and hint (a template error: its diagnostics). */
function errorEvent(build: string, error: unknown): Record<string, unknown> {
  const base = { time: isoSeconds(new Date()), level: 'error', ...(build ? { build } : {}) };
  if (error instanceof TemplateError) return { ...base, code: error.code, message: error.message, diagnostics: error.diagnostics };
  if (AzchrootError.is(error)) return { ...base, code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  return { ...base, code: 'AZC_INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** Prints each build's artifact; returns 1 when a build's cleanup left something behind, else 0. */
function reportOutcomes(outcomes: readonly BuildOutcome[], output: ReturnType<typeof createOutput>, redactor: Redactor): number {
  for (const o of outcomes) output.artifact(o.name, o.artifactText, o.timings);
  const left = outcomes.filter((o) => o.leftovers && o.leftovers.length > 0);
  if (left.length === 0) return 0;
  // The image exists, but the promise is that nothing temporary stays: that is a failure.
  const text = left.map((o) => `${o.name}: the image was built, but its cleanup could not remove everything. Left behind:\n${o.leftovers!.join('\n')}\n`).join('');
  writeTo(process.stderr, redactor.redact(text));
  return 1;
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '    ');
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** First SIGINT/SIGTERM/SIGHUP cancels (cleanup still runs); a second one exits at once and lists what may be left. */
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
      printLeftovers(stateDir, (t) => writeNow(2, t));
      process.exit(130);
    });
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return () => {
    for (const s of SIGNALS) process.off(s, onSignal);
  };
}
