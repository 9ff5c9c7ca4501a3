// Running the real CLI (bin/azchroot) as a child process and collecting what it prints. Children
// are killed when the test ends, whatever happened.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Defer } from '../../helpers/temp-dir.js';
import { waitFor } from './host.js';

/** The repository root (this file runs from dist/test/e2e-failures/helpers). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** Everything printed so far (stdout then stderr). */
  output(): string;
  /** Resolves with the text once `pattern` appears in the output. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  done: Promise<CliResult>;
}

const LIMIT_MS = 180_000;

/** Starts `azchroot <args>` (under `prefix`, e.g. strace, when given); the child is killed (SIGKILL) after the test if still running. */
export function startCli(defer: Defer, args: readonly string[], env: NodeJS.ProcessEnv = {}, prefix: readonly string[] = []): RunningCli {
  const argv = [...prefix, process.execPath, 'bin/azchroot', ...args];
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: REPO_ROOT,
    env: { ...process.env, AZCHROOT_DEBUG: '', AZCHROOT_LOG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const limit = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout, stderr });
    });
  });
  defer(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await done.catch(() => undefined);
  });
  const output = () => `${stdout}\n${stderr}`;
  return {
    child,
    output,
    waitForOutput: (pattern, timeoutMs = 60_000) =>
      waitFor(`output matching ${pattern}`, () => {
        if (child.exitCode !== null) throw new Error(`azchroot exited (${child.exitCode}) before printing ${pattern}:\n${output()}`);
        return pattern.test(output()) ? output() : undefined;
      }, timeoutMs),
    done,
  };
}

/** Runs `azchroot <args>` to its end. */
export function runCli(defer: Defer, args: readonly string[], env: NodeJS.ProcessEnv = {}, prefix: readonly string[] = []): Promise<CliResult> {
  return startCli(defer, args, env, prefix).done;
}

/** Text of a result for assertion messages. */
export function show(r: CliResult): string {
  return `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}
