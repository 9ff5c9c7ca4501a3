// Step 6: run the provisioners (src/provisioners) against the mounted chroot.

import { tmpdir } from 'node:os';
import { messageOf } from '../errors.js';
import { wrapCommand } from './host-commands.js';
import { need } from './state.js';
import { always, type Step } from './types.js';

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
      // The provisioners' host temp directories carry this process's pid; the ledger removes any left.
      ctx.ledger.journal.intent('temp-dirs', `${tmpdir()}/azchroot-*-${process.pid}-*`, { detail: { pid: process.pid, dir: tmpdir() } });
      const run = {
        mountPath,
        device,
        buildData: { ...state.buildData },
        signal: ctx.signal,
        wrapCommand: (cmd: string) => wrapCommand(ctx.config, ctx.vm, cmd, state.buildData),
      };
      try {
        await ctx.runProvisioners(run);
      } catch (error) {
        // As Packer: the error-cleanup-provisioner runs in the chroot, still mounted, then the step
        // fails with the provisioner's own error. An interruption skips it.
        if (!ctx.runErrorCleanupProvisioner || ctx.signal.aborted) throw error;
        ctx.reporter.say('Provisioning step had errors: Running the cleanup provisioner...', 'provision');
        await ctx.runErrorCleanupProvisioner(run).catch((cleanupError: unknown) => {
          ctx.reporter.warn(`the error-cleanup-provisioner failed too: ${messageOf(cleanupError)}`, 'provision');
        });
        throw error;
      }
    },
  };
}
