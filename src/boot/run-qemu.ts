// Runs one QEMU boot and watches its serial console (QEMU's stdout) until the success regex, a sign
// of failure, the timeout, QEMU's own exit or the abort signal; QEMU is then killed. It runs under
// `setpriv --pdeathsig KILL`, so a killed azchroot does not leave a VM running.

import { spawn } from 'node:child_process';
import { existsSync, type WriteStream } from 'node:fs';
import { ConsoleWatch } from './console-watch.js';

export const QEMU = 'qemu-system-x86_64';
const SETPRIV = '/usr/bin/setpriv';

export type QemuOutcome =
  | { ok: true; matched: string; ms: number }
  | { ok: false; reason: string; ms: number; timedOut?: boolean; aborted?: boolean };

export interface RunQemuOptions {
  args: string[];
  expect: RegExp;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Receives the console as it arrives. */
  log?: WriteStream;
  watch?: ConsoleWatch;
}

/** Boots QEMU with `args` and resolves with the outcome; never rejects for a failed boot. */
export function runQemu(options: RunQemuOptions): Promise<QemuOutcome> {
  const watch = options.watch ?? new ConsoleWatch(options.expect);
  const started = Date.now();
  const [file, args] = existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', '--', QEMU, ...options.args]] : [QEMU, options.args];
  return new Promise((resolve) => {
    let settled = false;
    let stderr = '';
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const finish = (outcome: QemuOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      // Resolve once QEMU is gone: its files (the overlay) may then be removed.
      if (child.exitCode !== null || child.signalCode !== null) resolve(outcome);
      else child.once('close', () => resolve(outcome));
    };
    const elapsed = (): number => Date.now() - started;
    const timer = setTimeout(() => finish({ ok: false, reason: `no success within ${Math.round(options.timeoutMs / 1000)} s`, ms: elapsed(), timedOut: true }), options.timeoutMs);
    const onAbort = (): void => finish({ ok: false, reason: 'interrupted', ms: elapsed(), aborted: true });
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('latin1').on('data', (chunk: string) => {
      options.log?.write(chunk, 'latin1');
      const verdict = watch.push(chunk);
      if (verdict.done) finish(verdict.ok ? { ok: true, matched: verdict.matched, ms: elapsed() } : { ok: false, reason: verdict.reason, ms: elapsed() });
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.once('error', (e) => finish({ ok: false, reason: `cannot run ${QEMU}: ${e.message} (apt-get install qemu-system-x86)`, ms: elapsed() }));
    child.once('close', (code, sig) => {
      if (settled) return;
      const verdict = watch.verdict();
      if (verdict.done) return finish(verdict.ok ? { ok: true, matched: verdict.matched, ms: elapsed() } : { ok: false, reason: verdict.reason, ms: elapsed() });
      const how = sig ? `was killed by ${sig}` : code === 0 ? 'exited (the VM reset or powered off)' : `exited with code ${code}`;
      const detail = stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' / ')}` : '';
      finish({ ok: false, reason: `QEMU ${how} before the console matched${detail}`, ms: elapsed() });
    });
  });
}
