// Step 5: mount the root file system at mount_path (rendered with {{.Device}} = device basename):
// `mount [-o opt]... <partition> <mount_path>`, or the user's manual_mount_command. The partition is the
// LV chosen by setup-lvm/detect-lvm when there is one; XFS whose UUID the host has mounted gets nouuid.

import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { runShell } from '../host/exec.js';
import { HostError } from '../errors.js';
import { partitionDevice } from '../host/partition-path.js';
import { mountsUnder } from '../host/proc-mounts.js';
import { shellJoin, shellQuote } from '../host/shell-quote.js';
import { optionsWithNouuid } from '../host/xfs-nouuid.js';
import { renderField, runHost } from './host-commands.js';
import { need } from './state.js';
import { trackMount } from './track-mount.js';
import { whichTool } from './preflight.js';
import { always, type Step } from './types.js';

const PARTITION_WAIT_MS = 10_000;

/** The mount command for a partition device. */
export function mountCommand(partition: string, mountPath: string, options: readonly string[]): string {
  return shellJoin(['mount', ...options.flatMap((o) => ['-o', o]), partition, mountPath]);
}

/**
 * Waits for a partition node. The kernel adds them asynchronously after attach, and some hosts never
 * scan a freshly attached disk (loop devices in containers): after a short wait, ask once with partx -a.
 */
async function waitForNode(path: string, signal: AbortSignal, rescan: () => Promise<void>): Promise<boolean> {
  const deadline = Date.now() + PARTITION_WAIT_MS;
  let rescanAt: number | undefined = Date.now() + 1000;
  while (!existsSync(path)) {
    if (Date.now() >= deadline || signal.aborted) return false;
    if (rescanAt !== undefined && Date.now() >= rescanAt) {
      rescanAt = undefined;
      await rescan().catch(() => undefined);
      continue;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** The mount-device step. */
export function mountDevice(): Step {
  const id = 'mount-device';
  return {
    id,
    title: 'Mount the root file system',
    enabled: always,
    async run(state, ctx) {
      const b = ctx.config.builder;
      // With lvm_root_device the LV is mounted as is, and its name is the mount path's {{.Device}}.
      const device = state.lvm?.rootDevice ?? need(state, 'device', 'attach-disk');
      const mountPath = resolve(renderField(ctx.config, ctx.vm, b.mountPath, { Device: basename(device) }, state.buildData));
      const busy = mountsUnder(mountPath);
      if (busy.length > 0) {
        throw new HostError('AZC_HOST_MOUNT_IN_USE', `mount path ${mountPath} is already in use (${busy[0]} is mounted)`, {
          hint: 'another build or an interrupted one uses it: run "azchroot cleanup", or set mount_path',
        });
      }
      state.mountPath = mountPath;
      state.buildData.MountPath = mountPath;
      if (!existsSync(mountPath)) await ctx.ledger.track('mount-dir', mountPath, undefined, () => runHost(ctx, state, id, `mkdir -p ${shellQuote(mountPath)}`));
      if (b.manualMountCommand) {
        // Like Packer, the manual command is not wrapped, and gets the mount path as its last argument
        // unless it places {{.MountPath}} itself (Packer never renders it; azchroot does).
        const rendered = renderField(ctx.config, ctx.vm, b.manualMountCommand, { Device: device, MountPath: mountPath }, state.buildData);
        const command = b.manualMountCommand.includes('.MountPath') ? rendered : `${rendered} ${shellQuote(mountPath)}`;
        ctx.reporter.say(`running manual mount command: ${command}`, id);
        await trackMount(ctx, mountPath, undefined, undefined, () => runShell(command, { signal: ctx.signal, onLine: (line, stream) => ctx.reporter.output(line, stream, id) }));
      } else {
        const partition = state.lvm ? device : partitionDevice(device, b.mountPartition);
        const rescan = async (): Promise<void> => {
          if (partition === device || !whichTool('partx')) return;
          ctx.reporter.debug(`${partition} is not there yet; asking the kernel to read the partition table of ${device}`, id);
          await runHost(ctx, state, id, `partx -a ${shellQuote(device)}`);
        };
        if (!(await waitForNode(partition, ctx.signal, rescan))) {
          throw new HostError('AZC_HOST_PARTITION', `partition ${partition} (device ${device} + mount_partition "${b.mountPartition}") does not exist`, {
            hint: 'check mount_partition (e.g. "1", "p1", or "" for a disk without partition table), or partition the disk in pre_mount_commands',
          });
        }
        const { options, added } = await optionsWithNouuid(partition, b.mountOptions, ctx.signal);
        if (added) ctx.reporter.say(`${partition} is XFS with the UUID of a file system the host has mounted: mounting with nouuid`, id);
        ctx.reporter.say(`mounting ${partition} at ${mountPath}`, id);
        await trackMount(ctx, mountPath, partition, undefined, () => runHost(ctx, state, id, mountCommand(partition, mountPath, options)));
      }
    },
  };
}
