// Step 5b: chroot_mounts inside the root ([fstype, source, target]; fstype "bind" → mount --bind).

import { makeImageDirs } from '../chroot/confined-path.js';
import { shellJoin } from '../host/shell-quote.js';
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
        // Resolved inside the image: a /proc or /dev symlink in the image must not move the mount onto the host.
        ctx.reporter.say(`mounting ${target}`, id);
        const dir = (await makeImageDirs({ hostRoot: root }, target)).hostPath;
        await trackMount(ctx, dir, undefined, root, () => runHost(ctx, state, id, extraMountCommand(fstype, source, dir)));
      }
    },
  };
}
