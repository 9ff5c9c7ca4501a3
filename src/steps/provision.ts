// Step 6: run the provisioners (src/provisioners) against the mounted chroot.

import { wrapCommand } from './host-commands.js';
import { need } from './state.js';
import { always, noCleanup, type Step } from './types.js';

/** The provision step. */
export function provision(): Step {
  return {
    id: 'provision',
    title: 'Provision',
    enabled: always,
    async run(state, ctx) {
      const mountPath = need(state, 'mountPath', 'mount-device');
      const device = need(state, 'device', 'attach-disk');
      state.buildData.Device = device;
      state.buildData.MountPath = mountPath;
      await ctx.runProvisioners({
        mountPath,
        device,
        buildData: { ...state.buildData },
        signal: ctx.signal,
        wrapCommand: (cmd) => wrapCommand(ctx.config, ctx.vm, cmd, state.buildData),
      });
    },
    cleanup: noCleanup,
  };
}
