// Step 5b: chroot_mounts inside the root ([fstype, source, target]; fstype "bind" → mount --bind).

import { join } from 'node:path';
import { shellJoin, shellQuote } from '../host/shell-quote.js';
import { runHost } from './host-commands.js';
import { need } from './state.js';
import { trackMount } from './track-mount.js';
import { always, type Step } from './types.js';

/** The mount command for one chroot_mounts entry. */
export function extraMountCommand(fstype: string, source: string, target: string): string {
  return fstype === 'bind' ? shellJoin(['mount', '--bind', source, target]) : shellJoin(['mount', '-t', fstype, source, target]);
}

/** The mount-extra step. */
export function mountExtra(): Step {
  const id = 'mount-extra';
  return {
    id,
    title: 'Mount additional paths in the chroot',
    enabled: always,
    async run(state, ctx) {
      const root = need(state, 'mountPath', 'mount-device');
      for (const [fstype, source, target] of ctx.config.builder.chrootMounts) {
        const dir = join(root, target);
        ctx.reporter.say(`mounting ${target}`, id);
        await runHost(ctx, state, id, `mkdir -p ${shellQuote(dir)}`);
        await trackMount(ctx, dir, undefined, root, () => runHost(ctx, state, id, extraMountCommand(fstype, source, dir)));
      }
    },
  };
}
