// Runs one build: plans the steps and runs them in order; every temporary thing they make is in the
// ledger (src/ledger/), which releases it after success, failure and interruption alike, in its one
// order, under a fresh signal with its own time limit. A build whose cleanup left something fails.

import type { AzurePort, VmIdentity } from '../azure/ports.js';
import type { BuildConfig } from '../config/model.js';
import { AzchrootError, CancelledError, HostError, messageOf } from '../errors.js';
import { runShell } from '../host/exec.js';
import { openJournal, retireJournal, type Journal, type ResourceKind } from '../ledger/journal.js';
import { Ledger } from '../ledger/ledger.js';
import type { UndoEnv } from '../ledger/undoers.js';
import { wrapCommand } from '../steps/host-commands.js';
import type { Reporter } from '../report/reporter.js';
import { planSteps } from '../steps/plan.js';
import { initialState } from '../steps/state.js';
import type { StepContext } from '../steps/types.js';
import type { ProvisionRunContext } from '../chroot/communicator.js';
import { describeLeftovers, leftoversHint } from '../ledger/leftovers.js';
import { runCleanups, runItems, type Timing, type ViewKind } from './step-view.js';

export type { ProvisionRunContext } from '../chroot/communicator.js';

/** Packer's -on-error modes. */
export type OnErrorMode = 'cleanup' | 'abort' | 'ask' | 'run-cleanup-provisioner';

export interface BuildDeps {
  azure: AzurePort;
  vm: VmIdentity;
  reporter: Reporter;
  /** First Ctrl-C aborts the running step; cleanup still runs. */
  signal: AbortSignal;
  view: ViewKind;
  /**
   * -on-error: cleanup (the default) runs the error-cleanup-provisioner, then the cleanup; abort
   * skips both and lists what is left; run-cleanup-provisioner runs the error-cleanup-provisioner,
   * then stops as abort does; ask asks (`ask` must be given) what to do about the failed step.
   */
  onError: OnErrorMode;
  /** For -on-error=ask: puts the question to the user and returns the answer's first letter. */
  ask?(question: string): Promise<string>;
  /** Packer's -debug: called before each step runs, and waited for. */
  pauseBeforeStep?(message: string): Promise<unknown>;
  /** -force: replace an existing gallery version / managed image. */
  force: boolean;
  /** Journal and lock location. @default /var/lib/azchroot */
  stateDir?: string;
  /** Where /disk/azure/... links are looked up. @default /dev */
  devroot?: string;
  /** Unique per run: tags, journal name, backup names. */
  buildId: string;
  runProvisioners(ctx: ProvisionRunContext): Promise<void>;
  /** Runs the error-cleanup-provisioner, when the template has one. */
  runErrorCleanupProvisioner?(ctx: ProvisionRunContext): Promise<void>;
  /** sysfs root for the device scan. @default /sys */
  sysroot?: string;
  /** How long to wait for the attached disk's device. @default 180000 */
  deviceTimeoutMs?: number;
  /** Time limit for the whole cleanup. @default 1800000 */
  cleanupTimeoutMs?: number;
  /** State directory of the emulator the build runs against: journaled, so `azchroot cleanup` uses the same emulator. */
  emulatorStateDir?: string;
}

export interface BuildResult {
  artifact: { resources: string[]; kept: string[] };
  buildData: Record<string, string>;
  timings: { step: string; ms: number }[];
  /** Cleanup failures of a successful build ("<what>: <message>"): the build still fails. */
  cleanupErrors?: string[];
  /** What is left after such a failure and how to remove it, one line each (the hint last). */
  leftovers?: string[];
}

export const DEFAULT_STATE_DIR = '/var/lib/azchroot';
const ABORT_GRACE_MS = 30_000;
const cleanupErrorsByError = new WeakMap<object, string[]>();

/** Cleanup failures that happened after `error` failed the build (reported after it, never instead). */
export function cleanupErrorsOf(error: unknown): string[] {
  return (typeof error === 'object' && error !== null && cleanupErrorsByError.get(error)) || [];
}

const leftoversByError = new WeakMap<object, string[]>();

/**
 * Marks `error`, a failure after the build's own cleanup (a post-processor, an interruption), with
 * what that cleanup could not remove, so that whoever reports the error reports those too.
 */
export function recordCleanupResult(error: unknown, cleanupErrors: readonly string[], leftovers: readonly string[]): void {
  if (typeof error !== 'object' || error === null) return;
  if (cleanupErrors.length > 0) cleanupErrorsByError.set(error, [...cleanupErrors]);
  if (leftovers.length > 0) leftoversByError.set(error, [...leftovers]);
}

/** What a failed build's cleanup could not remove ("  - ..." lines, then the cleanup command), if anything. */
export function leftoversOf(error: unknown): string[] {
  return (typeof error === 'object' && error !== null && leftoversByError.get(error)) || [];
}

/** Runs the build described by `config`. */
export async function runBuild(config: BuildConfig, deps: BuildDeps): Promise<BuildResult> {
  const stateDir = deps.stateDir ?? DEFAULT_STATE_DIR;
  const journal = openBuildJournal(stateDir, deps.buildId);
  journal.append({ event: 'start', detail: { build: config.name, pid: process.pid, vm: deps.vm, devroot: deps.devroot ?? '/dev', ...(deps.emulatorStateDir ? { emulator: deps.emulatorStateDir } : {}) } });
  // First, so that whatever happens next, the user has the id `azchroot cleanup --build-id` takes.
  deps.reporter.say(`build id ${deps.buildId}, journal ${journal.path}`);
  const state = initialState();
  const ledger = new Ledger(journal);
  const timings: Timing[] = [];
  const undoEnv = (signal: AbortSignal, step?: string): UndoEnv => ({
    azure: deps.azure, vm: deps.vm, reporter: deps.reporter, signal, stateDir, buildId: deps.buildId, step,
    keepAzure: config.builder.skipCleanup,
    run: async (command) => {
      const wrapped = wrapCommand(config, deps.vm, command, state.buildData);
      deps.reporter.debug(`running: ${wrapped}`, step ?? 'cleanup');
      await runShell(wrapped, { signal, onLine: (line, stream) => deps.reporter.output(line, stream, step ?? 'cleanup') });
    },
  });
  const runCtx: StepContext = {
    config, azure: deps.azure, vm: deps.vm, reporter: deps.reporter, ledger, buildId: deps.buildId, force: deps.force, stateDir,
    devroot: deps.devroot ?? '/dev', sysroot: deps.sysroot ?? '/sys', deviceTimeoutMs: deps.deviceTimeoutMs ?? 180_000,
    runProvisioners: deps.runProvisioners,
    ...(deps.runErrorCleanupProvisioner && deps.onError !== 'abort' ? { runErrorCleanupProvisioner: deps.runErrorCleanupProvisioner } : {}),
    signal: deps.signal,
    ...(deps.emulatorStateDir ? { emulatorStateDir: deps.emulatorStateDir } : {}),
    release: async (kinds: readonly ResourceKind[], step: string) => {
      const report = await ledger.release(undoEnv(deps.signal, step), { kinds });
      // The first failure fails the step as it is; the cleanup that follows tries again and lists what is left.
      if (report.failed.length > 0) throw report.failed[0]!.error;
    },
  };
  const cleanupController = new AbortController();

  let failure: unknown;
  let failedStep: string | undefined;
  let askedToAbort = false;
  try {
    await runItems(deps.view, deps.reporter, planSteps(config).map((step) => ({
      id: step.id,
      title: step.title,
      enabled: () => step.enabled(state),
      exec: async () => {
        if (deps.signal.aborted) throw new CancelledError();
        if (deps.pauseBeforeStep) await pauseOrCancel(deps.pauseBeforeStep(`Pausing before step '${step.id}' (${step.title}). Press enter to continue.`), deps.signal);
        failedStep = step.id;
        ledger.step = step.id;
        for (;;) {
          try {
            await untilSettledOrAborted(step.run(state, runCtx), deps.signal);
            break;
          } catch (error) {
            if (deps.onError !== 'ask' || !deps.ask || deps.signal.aborted || error instanceof CancelledError) throw error;
            const answer = await askAboutFailure(deps, step.id, error);
            if (answer === 'r') continue;
            if (answer === 'a') askedToAbort = true;
            throw error;
          }
        }
        failedStep = undefined;
      },
    })), timings);
  } catch (error) {
    failure = deps.signal.aborted && !(error instanceof CancelledError) ? new CancelledError('the build was interrupted', { cause: error }) : error;
  }

  if (failure !== undefined) {
    // Where it failed, in the flow of the steps; the error itself is printed once, at the end, by the
    // caller's error printer (or read from the rejection), so that it is not said twice.
    deps.reporter.error(`${failedStep ? `step ${failedStep} failed` : 'the build failed'}${failure instanceof CancelledError ? ': interrupted' : ''}`, failedStep);
    // -on-error=abort keeps everything for inspection; an interruption is not an error and still cleans up.
    if ((deps.onError === 'abort' || deps.onError === 'run-cleanup-provisioner' || askedToAbort) && !(failure instanceof CancelledError)) {
      deps.reporter.warn(`${askedToAbort ? 'abort without cleanup' : `-on-error=${deps.onError}`}: cleanup skipped`, failedStep);
      reportLeftovers(deps.reporter, journal.entries(), stateDir, deps.buildId, 'left behind', deps.emulatorStateDir);
      journal.append({ event: 'end', detail: { status: 'aborted' } });
      journal.close();
      throw failure;
    }
  }

  const timer = setTimeout(() => cleanupController.abort(new Error('cleanup time limit reached')), deps.cleanupTimeoutMs ?? 1_800_000);
  const report = await runCleanups(deps.view, deps.reporter, ledger.pending().length, (hooks) => ledger.release(undoEnv(cleanupController.signal), hooks), timings).finally(() => clearTimeout(timer));
  const cleanupErrors = report.failed.map((f) => `${f.label}: ${messageOf(f.error)}`);
  for (const f of report.failed) deps.reporter.error(`could not remove the ${f.label}: ${messageOf(f.error)}`, 'cleanup');
  journal.append({ event: 'end', detail: { status: failure === undefined ? 'succeeded' : failure instanceof CancelledError ? 'cancelled' : 'failed' } });
  journal.close();
  const leftovers = report.failed.length > 0 ? leftoverLines(journal.entries(), stateDir, deps.buildId, deps.emulatorStateDir) : [];
  const kept = report.kept.filter((k) => k.kind === 'disk' || k.kind === 'snapshot').map((k) => k.id);
  if (leftovers.length > 0) deps.reporter.warn(`left behind:\n${leftovers.join('\n')}`);
  else retireJournalQuietly(stateDir, deps.buildId);

  if (failure !== undefined) {
    if (typeof failure === 'object' && failure !== null) {
      cleanupErrorsByError.set(failure, cleanupErrors);
      if (leftovers.length > 0) leftoversByError.set(failure, leftovers);
    }
    throw failure;
  }
  return {
    artifact: { resources: [...state.outputs], kept },
    buildData: { ...state.buildData },
    timings,
    ...(cleanupErrors.length > 0 ? { cleanupErrors, leftovers } : {}),
  };
}

/** "  - <what is left>" lines, then the command that removes them. */
function leftoverLines(entries: Parameters<typeof describeLeftovers>[0], stateDir: string, buildId: string, emulatorStateDir?: string): string[] {
  const lines = describeLeftovers(entries);
  return lines.length === 0 ? [] : [...lines.map((l) => `  - ${l}`), leftoversHint(stateDir, buildId, emulatorStateDir)];
}

// A journal that cannot be moved aside only costs disk space; never fail a build for it.
function retireJournalQuietly(stateDir: string, buildId: string): void {
  try {
    retireJournal(stateDir, buildId);
  } catch {
    // kept in place; `azchroot cleanup --all` finds nothing pending in it
  }
}


function openBuildJournal(stateDir: string, buildId: string): Journal {
  try {
    return openJournal(stateDir, buildId);
  } catch (error) {
    throw new HostError('AZC_HOST_STATE_DIR', `cannot write the build journal under ${stateDir}: ${messageOf(error)}`, {
      hint: 'run azchroot as root, or point --state-dir at a writable directory',
      cause: error,
    });
  }
}

/** Waits for `pause`; an interruption ends the wait at once (nothing runs during a pause). */
function pauseOrCancel(pause: Promise<unknown>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    pause.then(() => resolve(), reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

// A step gets the signal and should stop by itself; one that ignores it is abandoned after a grace period.
async function untilSettledOrAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  let onAbort: (() => void) | undefined;
  const abandoned = new Promise<never>((_, reject) => {
    onAbort = () => setTimeout(() => reject(new CancelledError('the build was interrupted (the running step did not stop in time)')), ABORT_GRACE_MS).unref();
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  abandoned.catch(() => undefined);
  try {
    await Promise.race([work, abandoned]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function reportLeftovers(reporter: Reporter, entries: Parameters<typeof describeLeftovers>[0], stateDir: string, buildId: string, what: string, emulatorStateDir?: string): void {
  const lines = describeLeftovers(entries);
  if (lines.length === 0) return;
  reporter.warn(`${what}:\n${lines.map((l) => `  - ${l}`).join('\n')}\n${leftoversHint(stateDir, buildId, emulatorStateDir)}`);
}


/** Packer's question after a failed step; "c" (clean up), "a" (abort without cleanup) or "r" (retry the step). */
async function askAboutFailure(deps: BuildDeps, step: string, error: unknown): Promise<'c' | 'a' | 'r'> {
  const question = `Step "${step}" failed: ${messageOf(error)}\n[c] Clean up and exit, [a] abort without cleanup, or [r] retry step (build may fail even if retry succeeds)? `;
  for (;;) {
    const answer = (await deps.ask!(question)).trim().toLowerCase().slice(0, 1);
    if (answer === 'c' || answer === 'a' || answer === 'r') return answer;
  }
}
