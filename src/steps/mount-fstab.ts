// Step 5a: the image's /boot and /boot/efi, as its /etc/fstab names them, mounted from partitions of
// the attached disk only (never a host disk), before chroot_mounts. A target that is already a mount
// point (post_mount_commands mounted it) is left alone; an entry no partition matches is a warning.

import { makeImageDirs, readImageText, resolveInImage } from '../chroot/confined-path.js';
import { partitionsOf, probeDevice } from '../host/lvm-query.js';
import { isMountPoint } from '../host/proc-mounts.js';
import { shellJoin } from '../host/shell-quote.js';
import { optionsWithNouuid } from '../host/xfs-nouuid.js';
import { bootEntries, matchPartition, parseFstab, parseSource } from './fstab.js';
import { runHost } from './host-commands.js';
import { need } from './state.js';
import { trackMount } from './track-mount.js';
import { always, type Step } from './types.js';

// fstab options that make no sense for a one-off mount on the build host.
const DROP_OPTIONS = new Set(['defaults', 'auto', 'noauto', 'nofail', 'user', 'users', 'nouser', 'owner', 'group', '_netdev', 'x-systemd.automount']);

/** The mount-fstab step. */
export function mountFstab(): Step {
  const id = 'mount-fstab';
  return {
    id,
    title: "Mount the image's /boot partitions",
    enabled: always,
    async run(state, ctx) {
      const root = need(state, 'mountPath', 'mount-device');
      const device = need(state, 'device', 'attach-disk');
      const text = await readImageText({ hostRoot: root }, '/etc/fstab').catch(() => undefined);
      if (text === undefined) {
        ctx.reporter.debug(`the image has no /etc/fstab: no /boot partition to mount`, id);
        return;
      }
      const entries = bootEntries(parseFstab(text));
      if (entries.length === 0) return;
      const probes = new Map<string, Record<string, string>>();
      for (const p of partitionsOf(device)) probes.set(p, await probeDevice(p, ctx.signal));
      const rootSource = state.lvm?.rootDevice;
      for (const e of entries) {
        // The target is resolved inside the image: a /boot symlink must not move the mount onto the host.
        const dir = (await resolveInImage({ hostRoot: root }, e.target)).hostPath;
        if (isMountPoint(dir)) {
          ctx.reporter.debug(`${e.target} is already mounted: leaving it as it is`, id);
          continue;
        }
        const partition = matchPartition(parseSource(e.source)!, probes);
        if (!partition || partition === rootSource) {
          ctx.reporter.warn(`the image's fstab mounts ${e.source} at ${e.target}, but no partition of ${device} matches it; ${e.target} stays on the root file system`, id);
          continue;
        }
        const fstabOptions = e.options.filter((o) => !DROP_OPTIONS.has(o) && !o.startsWith('x-'));
        const { options, added } = await optionsWithNouuid(partition, fstabOptions, ctx.signal);
        if (added) ctx.reporter.say(`${partition} is XFS with the UUID of a file system the host has mounted: mounting with nouuid`, id);
        ctx.reporter.say(`mounting ${partition} at ${e.target} (from the image's fstab: ${e.source})`, id);
        await makeImageDirs({ hostRoot: root }, e.target);
        const typeArgs = e.fstype === 'auto' ? [] : ['-t', e.fstype];
        await trackMount(ctx, dir, partition, root, () => runHost(ctx, state, id, shellJoin(['mount', ...typeArgs, ...(options.length > 0 ? ['-o', options.join(',')] : []), partition, dir])));
      }
    },
  };
}
