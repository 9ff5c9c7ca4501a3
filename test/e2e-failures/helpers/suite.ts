// One emulator per test file, and one workspace per test: a temp dir with the journal state dir,
// the mount root and the template. After every test, whatever happened, a safety net runs
// `azchroot cleanup --all` for that test's journals so one failure cannot spoil the next test.

import { after, before } from 'node:test';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DirectoryEntries, FaultRule, RunningEmulator } from '../../../src/emulator/api.js';
import { startEmulator } from '../../../src/emulator/index.js';
import { killChrootProcesses } from '../../../src/chroot/chroot-communicator.js';
import { deferStack, makeTempDir, type AfterHook, type Defer } from '../../helpers/temp-dir.js';
import { runCli } from './cli.js';
import { tryRun } from './host.js';

export interface Suite {
  /** The emulator's state directory (pass to --emulator). */
  readonly state: string;
  readonly emulator: RunningEmulator;
}

export interface Workspace {
  dir: string;
  /** --state-dir of the build: journals and locks. */
  journalState: string;
  /** Mount points are made under here. */
  mountRoot: string;
  defer: Defer;
  /** `build --emulator <state> --state-dir <journalState> ...args`. */
  buildArgs(...args: string[]): string[];
  /** `cleanup --emulator <state> --state-dir <journalState> ...args`. */
  cleanupArgs(...args: string[]): string[];
}

/** Starts the file's emulator (with `directory`'s app registrations) before its tests and stops it (detaching every disk) after them. */
export function useSuite(skip: string | undefined, directory?: DirectoryEntries): Suite {
  let root = '';
  let emulator: RunningEmulator | undefined;
  const suite = {
    get state() {
      return join(root, 'emulator');
    },
    get emulator() {
      if (!emulator) throw new Error('the emulator is not running');
      return emulator;
    },
  };
  before(async () => {
    if (skip) return;
    root = await mkdtemp(join(tmpdir(), 'azc-e2e-fail-'));
    emulator = await startEmulator({ stateDir: join(root, 'emulator'), quiet: true, directory });
  });
  after(async () => {
    await emulator?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });
  return suite;
}

/** A fresh workspace for test `t`; the emulator's faults are cleared and leftovers removed after it. */
export async function workspace(t: AfterHook, suite: Suite): Promise<Workspace> {
  const dir = await makeTempDir(t, 'azc-e2e-fail-ws-');
  const defer = deferStack(t);
  const journalState = join(dir, 'state');
  const mountRoot = join(dir, 'mnt');
  await mkdir(mountRoot, { recursive: true });
  const ws: Workspace = {
    dir,
    journalState,
    mountRoot,
    defer,
    buildArgs: (...args) => ['build', `--emulator=${suite.state}`, '--state-dir', journalState, ...args],
    cleanupArgs: (...args) => ['cleanup', `--emulator=${suite.state}`, '--state-dir', journalState, ...args],
  };
  // Runs after the test's own deferred work (LIFO): the build child is gone by then.
  defer(async () => {
    suite.emulator.clearFaults();
    // A killed build leaves its provisioner running in the chroot; cleanup would stop it too.
    for (const name of await readdir(mountRoot).catch(() => [] as string[])) await killChrootProcesses(join(mountRoot, name));
    await runCli(defer, ws.cleanupArgs('--all')).catch(() => undefined);
    // Last resort for anything mounted under the workspace (e.g. a failed assertion mid-export).
    await tryRun('umount', ['-R', '-l', mountRoot]);
  });
  return ws;
}

/** Adds fault rules for one test (cleared by the workspace afterwards). */
export function addFaults(suite: Suite, rules: FaultRule[]): void {
  suite.emulator.addFaults(rules);
}
