// Undoing the chroot, shared by the early teardown (before capture) and the per-step cleanups.
// Each function clears the state record of what it undid, so running it twice is a no-op.

import { readFile, rm, rmdir } from 'node:fs/promises';
import { describeHolders } from '../host/busy-processes.js';
import { isMountPoint } from '../host/proc-mounts.js';
import { shellQuote } from '../host/shell-quote.js';
import { unmountTree } from '../host/unmount.js';
import { runHost } from './host-commands.js';
import type { BuildState } from './state.js';
import type { StepContext } from './types.js';

export const POLICY_RC_CONTENT = '#!/bin/sh\n# Installed by azchroot for the build: no service starts inside the chroot.\nexit 101\n';

/** Removes the policy-rc.d azchroot installed (only if it is still ours). */
export async function removePolicyRc(state: BuildState, ctx: StepContext, step: string): Promise<void> {
  const path = state.policyRcPath;
  if (!path) return;
  const content = await readFile(path, 'utf8').catch(() => undefined);
  if (content === POLICY_RC_CONTENT) await rm(path, { force: true });
  else if (content !== undefined) ctx.reporter.warn(`${path} was changed during the build; leaving it in the image`, step);
  ctx.journal.removed('policy-rc', path);
  state.policyRcPath = undefined;
}

/** Removes copied files and puts back what they replaced (e.g. a resolv.conf symlink), newest first. */
export async function restoreCopiedFiles(state: BuildState, ctx: StepContext, step: string): Promise<void> {
  while (state.copiedFiles.length > 0) {
    const f = state.copiedFiles[state.copiedFiles.length - 1]!;
    await runHost(ctx, state, step, `rm -f ${shellQuote(f.target)}`);
    if (f.backup) {
      await runHost(ctx, state, step, `mv -f ${shellQuote(f.backup)} ${shellQuote(f.target)}`);
      ctx.journal.removed('file-backup', f.target);
    }
    state.copiedFiles.pop();
  }
}

async function unmountWithReport(state: BuildState, ctx: StepContext, step: string, root: string): Promise<void> {
  const result = await unmountTree(root, {
    run: async (command) => void (await runHost(ctx, state, step, command)),
    reporter: ctx.reporter,
    step,
    onUnmounted: (target) => ctx.journal.removed('mount', target),
  });
  if (result.held.length > 0) ctx.reporter.warn(`processes that kept ${root} busy and were stopped: ${describeHolders(result.held)}`, step);
  if (result.lazy.length > 0) ctx.reporter.warn(`lazily unmounted (still busy): ${result.lazy.join(', ')}`, step);
}

/** Unmounts the extra mounts, newest first. */
export async function unmountExtras(state: BuildState, ctx: StepContext, step: string): Promise<void> {
  while (state.extraMounts.length > 0) {
    const target = state.extraMounts[state.extraMounts.length - 1]!;
    if (isMountPoint(target)) await unmountWithReport(state, ctx, step, target);
    ctx.journal.removed('mount', target);
    state.extraMounts.pop();
  }
}

/** Unmounts everything left under the mount path (user mounts too), then the root; removes the directory it made. */
export async function unmountRoot(state: BuildState, ctx: StepContext, step: string): Promise<void> {
  const root = state.mountPath;
  if (!root) return;
  if (state.rootMounted || isMountPoint(root)) await unmountWithReport(state, ctx, step, root);
  if (state.rootMounted) ctx.journal.removed('mount', root);
  state.rootMounted = false;
  if (state.mountDirCreated) {
    await rmdir(root).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') ctx.reporter.warn(`could not remove the mount directory ${root}: ${e.message}`, step);
    });
    state.mountDirCreated = false;
  }
}
