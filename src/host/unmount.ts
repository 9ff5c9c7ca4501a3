// Unmounting a chroot tree reliably: newest mount first; a busy mount gets its holder processes
// stopped (reported by name), a few retries, and a lazy unmount only as the last resort.

import { messageOf } from '../errors.js';
import type { Reporter } from '../report/reporter.js';
import { describeHolders, findHolders, stopHolders, type HolderProcess } from './busy-processes.js';
import { isMountPoint, mountsUnder } from './proc-mounts.js';
import { shellQuote } from './shell-quote.js';

export interface UnmountOptions {
  /** Runs one host command (already wrapped by command_wrapper); throws on failure. */
  run(command: string): Promise<void>;
  reporter: Reporter;
  step?: string;
  /** SIGTERM→SIGKILL grace for holder processes. */
  graceMs?: number;
  /** Called after each target is gone (for the journal). */
  onUnmounted?(target: string): void;
}

export interface UnmountResult {
  unmounted: string[];
  /** Processes that held a mount and were stopped. */
  held: HolderProcess[];
  /** Targets that needed `umount -l`. */
  lazy: string[];
}

/** Unmounts every mount at or below `root`, newest first. */
export async function unmountTree(root: string, options: UnmountOptions): Promise<UnmountResult> {
  const result: UnmountResult = { unmounted: [], held: [], lazy: [] };
  for (const target of mountsUnder(root).reverse()) {
    if (!isMountPoint(target)) continue;
    await unmountOne(target, options, result);
    result.unmounted.push(target);
    options.onUnmounted?.(target);
  }
  return result;
}

async function unmountOne(target: string, o: UnmountOptions, result: UnmountResult): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      await o.run(`umount ${shellQuote(target)}`);
      return;
    } catch (error) {
      lastError = error;
      // umount of a stacked mount may have removed only the top layer; either way look again.
      if (!isMountPoint(target)) return;
    }
    const holders = await findHolders(target);
    if (holders.length > 0) {
      o.reporter.warn(`${target} is busy: stopping the processes that hold it: ${describeHolders(holders)}`, o.step);
      result.held.push(...holders);
      const killed = await stopHolders(holders, o.graceMs);
      if (killed.length > 0) o.reporter.warn(`killed with SIGKILL after SIGTERM was ignored: ${killed.join(', ')}`, o.step);
    } else {
      await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
    }
  }
  o.reporter.warn(`could not unmount ${target} (${messageOf(lastError)}); detaching it lazily with umount -l`, o.step);
  await o.run(`umount -l ${shellQuote(target)}`);
  result.lazy.push(target);
}

