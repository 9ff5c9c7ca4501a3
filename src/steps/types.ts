// The shape of a build step and the context the runner hands it. A step is a factory result:
// `run` does the work, `cleanup` undoes it and must be idempotent (it may run after a partial `run`,
// after an early teardown already undid everything, or twice).

import type { ProvisionRunContext } from '../chroot/communicator.js';
import type { AzurePort, VmIdentity } from '../azure/ports.js';
import type { BuildConfig } from '../config/model.js';
import type { Reporter } from '../report/reporter.js';
import type { Journal } from '../runner/journal.js';
import type { BuildState } from './state.js';


export interface StepContext {
  config: BuildConfig;
  azure: AzurePort;
  vm: VmIdentity;
  reporter: Reporter;
  /** The run signal for `run`; a fresh cleanup signal for `cleanup`. */
  signal: AbortSignal;
  journal: Journal;
  buildId: string;
  force: boolean;
  stateDir: string;
  devroot: string;
  sysroot: string;
  deviceTimeoutMs: number;
  runProvisioners(ctx: ProvisionRunContext): Promise<void>;
}

export interface Step {
  /** verb-noun, doubles as the log prefix. */
  id: string;
  title: string;
  /** Decided at run time (after earlier steps filled the state); planSteps already left out what the config rules out. */
  enabled(state: BuildState): boolean;
  run(state: BuildState, ctx: StepContext): Promise<void>;
  cleanup(state: BuildState, ctx: StepContext): Promise<void>;
}

/** A step without cleanup. */
export function noCleanup(): Promise<void> {
  return Promise.resolve();
}

/** Always enabled. */
export function always(): boolean {
  return true;
}
