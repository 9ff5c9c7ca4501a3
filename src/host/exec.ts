// Running host commands. Every host command of a build goes through here (usually already wrapped
// by command_wrapper), so that output streams live, cancellation works and failures are CommandErrors.

import { execa } from 'execa';
import { CommandError } from '../errors.js';
import { shellCommandFor } from './secret-argv.js';

export interface ExecOptions {
  /** Cancels the command (SIGTERM, then SIGKILL after 5 s). */
  signal?: AbortSignal;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Each output line as it arrives. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Exit codes that count as success (default [0]). */
  validExitCodes?: readonly number[];
  /** Text fed to stdin. */
  input?: string | Buffer;
  /** Kill after this many ms. */
  timeoutMs?: number;
  /** Secret values: a shell command holding one travels in the environment, never in argv (host/secret-argv.ts). */
  secrets?: readonly string[];
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const TAIL_LINES = 20;

/** Runs `command` with `/bin/sh -c`; throws CommandError when the exit code is not valid. */
export async function runShell(command: string, options: ExecOptions = {}): Promise<ExecResult> {
  const { script, env } = shellCommandFor(command, options.secrets);
  return runArgv(['/bin/sh', '-c', script], { ...options, env: withEnv(options.env, env) }, command);
}

/** `base` (or the host's environment when undefined) plus `extra`; undefined when there is nothing to add to the host's. */
export function withEnv(base: Record<string, string | undefined> | undefined, extra: Record<string, string>): Record<string, string | undefined> | undefined {
  if (Object.keys(extra).length === 0) return base;
  return { ...(base ?? process.env), ...extra };
}

/** Runs argv[0] with the remaining arguments, no shell; throws CommandError when the exit code is not valid. */
export async function runArgv(argv: readonly string[], options: ExecOptions = {}, display = argv.join(' ')): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (!file) throw new CommandError('empty command', { command: display });
  const valid = options.validExitCodes ?? [0];
  const child = execa(file, args, {
    reject: false,
    cancelSignal: options.signal,
    forceKillAfterDelay: 5000,
    env: options.env as Record<string, string> | undefined,
    extendEnv: options.env === undefined ? true : false,
    cwd: options.cwd,
    input: options.input,
    timeout: options.timeoutMs,
    stripFinalNewline: false,
    buffer: true,
  });
  if (options.onLine) {
    forwardLines(child.stdout, (l) => options.onLine?.(l, 'stdout'));
    forwardLines(child.stderr, (l) => options.onLine?.(l, 'stderr'));
  }
  const result = await child;
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  if (result.isCanceled) {
    throw new CommandError(`command cancelled: ${display}`, { command: display, output: tail(stdout + stderr) });
  }
  if (result.timedOut) {
    throw new CommandError(`command timed out after ${options.timeoutMs} ms: ${display}`, { command: display, output: tail(stdout + stderr) });
  }
  if (result.failed && result.exitCode === undefined) {
    const notFound = /ENOENT/.test(String(result.message));
    throw new CommandError(notFound ? `command not found: ${file}` : `could not run ${display}: ${result.shortMessage}`, {
      command: display,
      hint: notFound ? `install the package that provides "${file}" or fix PATH` : undefined,
      cause: result,
    });
  }
  const exitCode = result.exitCode ?? -1;
  if (!valid.includes(exitCode)) {
    throw new CommandError(`command exited with status ${exitCode}${hintFor(exitCode)}: ${display}`, {
      command: display,
      exitStatus: exitCode,
      output: tail(stderr || stdout),
    });
  }
  return { exitCode, stdout, stderr };
}

function forwardLines(stream: NodeJS.ReadableStream | null | undefined, emit: (line: string) => void): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding?.('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const p of parts) emit(p.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (pending) emit(pending);
    pending = '';
  });
}

function tail(text: string): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-TAIL_LINES).join('\n');
}

function hintFor(code: number): string {
  if (code === 126) return ' (permission denied or not executable)';
  if (code === 127) return ' (command not found)';
  return '';
}
