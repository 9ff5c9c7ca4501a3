// The user's host command lists: pre_mount_commands ({{.Device}} = the full device path),
// post_mount_commands and pre_unmount_commands ({{.Device}}, {{.MountPath}}).

import { runUserCommands } from './host-commands.js';
import { need } from './state.js';
import { always, type Step } from './types.js';

/** Runs pre_mount_commands. */
export function preMountCommands(): Step {
  const id = 'pre-mount-commands';
  return {
    id,
    title: 'Run pre-mount commands',
    enabled: always,
    async run(state, ctx) {
      const device = state.lvm?.rootDevice ?? need(state, 'device', 'attach-disk');
      await runUserCommands(ctx, state, id, ctx.config.builder.preMountCommands, { Device: device });
    },
  };
}

/** Runs post_mount_commands. */
export function postMountCommands(): Step {
  const id = 'post-mount-commands';
  return {
    id,
    title: 'Run post-mount commands',
    enabled: always,
    async run(state, ctx) {
      const data = { Device: need(state, 'device', 'attach-disk'), MountPath: need(state, 'mountPath', 'mount-device') };
      await runUserCommands(ctx, state, id, ctx.config.builder.postMountCommands, data);
    },
  };
}

/** Runs pre_unmount_commands (after the provisioners, on the host). */
export function preUnmountCommands(): Step {
  const id = 'pre-unmount-commands';
  return {
    id,
    title: 'Run pre-unmount commands',
    enabled: always,
    async run(state, ctx) {
      const data = { Device: need(state, 'device', 'attach-disk'), MountPath: need(state, 'mountPath', 'mount-device') };
      await runUserCommands(ctx, state, id, ctx.config.builder.preUnmountCommands, data);
    },
  };
}
