// The shape of a build step and the context the runner hands it. A step records everything it
// makes in the ledger (ctx.ledger.track) before making it; it has no cleanup of its own: the ledger
// releases what the build made through one undoer per kind (src/ledger/).

import type { ProvisionRunContext } from '../chroot/communicator.js';
import type { AzurePort, VmIdentity } from '../azure/ports.js';
import type { BuildConfig } from '../config/model.js';
import type { Reporter } from '../report/reporter.js';
import type { ResourceKind } from '../ledger/journal.js';
import type { Ledger } from '../ledger/ledger.js';
import type { BuildState } from './state.js';


export interface StepContext {
  config: BuildConfig;
  azure: AzurePort;
  vm: VmIdentity;
  reporter: Reporter;
  /** The run signal for `run`; a fresh cleanup signal for `cleanup`. */
  signal: AbortSignal;
  /** The record of everything temporary the build makes. */
  ledger: Ledger;
  /** Releases what is pending of `kinds` through the ledger now (early teardown); throws when something stays. */
  release(kinds: readonly ResourceKind[], step: string): Promise<void>;
  buildId: string;
  force: boolean;
  stateDir: string;
  devroot: string;
  sysroot: string;
  deviceTimeoutMs: number;
  runProvisioners(ctx: ProvisionRunContext): Promise<void>;
  /** The error-cleanup-provisioner, when there is one and -on-error lets it run. */
  runErrorCleanupProvisioner?(ctx: ProvisionRunContext): Promise<void>;
  /** The emulator's state directory when the build runs against it (hints name its commands). */
  emulatorStateDir?: string;
}

export interface Step {
  /** verb-noun, doubles as the log prefix. */
  id: string;
  title: string;
  /** Decided at run time (after earlier steps filled the state); planSteps already left out what the config rules out. */
  enabled(state: BuildState): boolean;
  run(state: BuildState, ctx: StepContext): Promise<void>;
}

/** Always enabled. */
export function always(): boolean {
  return true;
}
