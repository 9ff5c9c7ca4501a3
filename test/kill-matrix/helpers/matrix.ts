// The kill matrix harness: one emulator per file under the `azure` latency profile (scaled down, so
// every operation still takes measurable time), one workspace per scenario, the real CLI in the
// plain, JSON or terminal view (a real pseudo-terminal through util-linux `script`), and events to
// act on: a step starting (its line in the build's log file) or an ARM request answered (the
// emulator's request log), watched with inotify. No sleeps.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before } from 'node:test';
import type { RunningEmulator } from '../../../src/emulator/api.js';
import { startEmulator } from '../../../src/emulator/index.js';
import { layout } from '../../../src/emulator/state-layout.js';
import { killChrootProcesses } from '../../../src/chroot/chroot-communicator.js';
import { shellJoin } from '../../../src/host/shell-quote.js';
import { REPO_ROOT } from '../../e2e-failures/helpers/cli.js';
import { tryRun } from '../../e2e-failures/helpers/host.js';
import { pendingTemporary } from '../../e2e-failures/helpers/leftovers.js';

/** Latency scale of the `azure` profile: disk create 10 ms, attach 60 ms, snapshot 120 ms, a region 1.8 s. */
export const LATENCY_SCALE = 0.002;
const LIMIT_MS = 120_000;

export type View = 'tty' | 'plain' | 'json';

export interface MatrixSuite {
  readonly state: string;
  readonly emulator: RunningEmulator;
  readonly root: string;
}

/** The file's emulator (azure latency profile), started before its tests and stopped after them. */
export function useMatrixSuite(skip: string | undefined): MatrixSuite {
  let root = '';
  let emulator: RunningEmulator | undefined;
  const suite = {
    get state() {
      return join(root, 'emulator');
    },
    get root() {
      return root;
    },
    get emulator() {
      if (!emulator) throw new Error('the emulator is not running');
      return emulator;
    },
  };
  before(async () => {
    if (skip) return;
    root = await mkdtemp(join(tmpdir(), 'azc-kill-'));
    emulator = await startEmulator({ stateDir: join(root, 'emulator'), quiet: true, latency: 'azure', latencyScale: LATENCY_SCALE });
  });
  after(async () => {
    await emulator?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });
  return suite;
}

export interface Workspace {
  dir: string;
  journalState: string;
  mountRoot: string;
  logFile: string;
  /** Removes everything the scenario may have left (safety net after the assertions). */
  dispose(): Promise<void>;
}

let counter = 0;

/** A fresh workspace under the suite's root. */
export async function workspace(suite: MatrixSuite, name: string): Promise<Workspace> {
  counter += 1;
  const dir = join(suite.root, `ws-${counter}-${name.replace(/[^a-z0-9-]+/gi, '-').slice(0, 40)}`);
  const ws: Workspace = {
    dir,
    journalState: join(dir, 'state'),
    mountRoot: join(dir, 'mnt'),
    logFile: join(dir, 'build.log'),
    async dispose() {
      suite.emulator.clearFaults();
      for (const n of await readdirSafe(ws.mountRoot)) await killChrootProcesses(join(ws.mountRoot, n));
      if (pendingTemporary(ws.journalState).length > 0) {
        await runCli(['cleanup', '--all', `--emulator=${suite.state}`, '--state-dir', ws.journalState]).done.catch(() => undefined);
      }
      await tryRun('umount', ['-R', '-l', ws.mountRoot]);
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
  await mkdir(ws.mountRoot, { recursive: true });
  await writeFile(ws.logFile, '');
  return ws;
}

async function readdirSafe(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => [] as string[]);
}

export interface CliRun {
  child: ChildProcess;
  /** The azchroot process (the child itself, or the child of `script` in the terminal view). */
  pid(): number;
  output(): string;
  /** Types Ctrl-C on the terminal (terminal view only). */
  ctrlC(): void;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

/** Starts `azchroot <args>`: directly (plain, json) or on a pseudo-terminal through `script` (tty). */
export function runCli(args: readonly string[], view: View = 'plain', env: NodeJS.ProcessEnv = {}): CliRun {
  const argv = [process.execPath, 'bin/azchroot', ...args];
  const fullEnv = { ...process.env, AZCHROOT_DEBUG: '', AZCHROOT_LOG: '', TERM: 'xterm', COLUMNS: '160', LINES: '50', ...env };
  const child = view === 'tty'
    ? spawn('script', ['-qfec', `stty cols 160 rows 50; exec ${shellJoin(argv)}`, '/dev/null'], { cwd: REPO_ROOT, env: fullEnv, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(argv[0]!, argv.slice(1), { cwd: REPO_ROOT, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stdin?.on('error', () => undefined);
  const limit = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, output: out });
    });
  });
  return {
    child,
    pid() {
      if (view !== 'tty') return child.pid!;
      // `script` runs the command (exec'd by its shell) as its only child.
      const text = readFileSyncSafe(`/proc/${child.pid}/task/${child.pid}/children`).trim();
      const pid = Number(text.split(/\s+/)[0]);
      if (!pid) throw new Error(`no azchroot process under script (pid ${child.pid})`);
      return pid;
    },
    output: () => out,
    ctrlC() {
      child.stdin?.write('\x03');
    },
    done,
  };
}

function readFileSyncSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Resolves once `test(text)` holds for the file at `path` (re-read on every inotify event), or
 * rejects when `stop` resolves first (the build ended before the event).
 */
export function whenFile(path: string, test: (text: string) => boolean, stop: Promise<unknown>, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let watcher: FSWatcher | undefined;
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      watcher?.close();
      if (error) reject(error);
      else resolve();
    };
    const check = (): void => {
      void readFile(path, 'utf8').then((text) => {
        if (test(text)) finish();
      }, () => undefined);
    };
    // The directory is watched: the file may not exist yet (the emulator's request log).
    watcher = watch(dirname(path), (_event, name) => {
      if (name === null || name === basename(path)) check();
    });
    check();
    void stop.then(() => {
      // One last look: the event may have been the build's last line.
      void readFile(path, 'utf8').then((text) => (test(text) ? finish() : finish(new Error(`the build ended before ${what}`))), () => finish(new Error(`the build ended before ${what}`)));
    });
  });
}

/** Waits for step `step` to start (its "step started" line in the build's log file). */
export function whenStepStarts(ws: Workspace, step: string, stop: Promise<unknown>): Promise<void> {
  const line = `[${step}] debug: step started: ${step}`;
  return whenFile(ws.logFile, (t) => t.includes(line), stop, `step ${step} started`);
}

/** Waits for the emulator to answer the `nth` (1-based) request of `operation` logged after `from` lines. */
export function whenRequest(state: string, from: number, operation: string, nth: number, stop: Promise<unknown>): Promise<void> {
  const op = operation.toLowerCase();
  return whenFile(layout.requestLog(state), (t) => {
    const lines = t.split('\n').slice(from).filter(Boolean);
    let seen = 0;
    for (const l of lines) {
      try {
        if ((JSON.parse(l) as { operation?: string }).operation?.toLowerCase() === op) seen += 1;
      } catch {
        // a line being written
      }
    }
    return seen >= nth;
  }, stop, `the ${nth}. ${operation} request`);
}

/** Number of lines in the emulator's request log now (a mark for whenRequest). */
export async function requestMark(state: string): Promise<number> {
  const text = await readFile(layout.requestLog(state), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).length;
}

/** `build --emulator=<state> --state-dir <ws> --log-file <ws>/build.log [--json] <template>` */
export function buildArgs(suite: MatrixSuite, ws: Workspace, view: View, template: string, extra: readonly string[] = []): string[] {
  return ['build', `--emulator=${suite.state}`, '--state-dir', ws.journalState, '--log-file', ws.logFile, ...(view === 'json' ? ['--json'] : []), ...extra, template];
}

/** `cleanup --all` for the workspace (the emulator comes from the journal). */
export function cleanupArgs(ws: Workspace): string[] {
  return ['cleanup', '--all', '--state-dir', ws.journalState];
}
