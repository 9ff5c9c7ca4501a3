// lvm_root_device: activate the root LV's volume group on the attached disk before mounting, and
// deactivate it before the disk is detached. The LVM tools run directly, like Packer's (no wrapper).
// Automatic LVM detection is not done: without lvm_root_device the disk is mounted by partition.

import { existsSync } from 'node:fs';
import { HostError } from '../errors.js';
import { runArgv } from '../host/exec.js';
import type { BuildState } from './state.js';
import { always, type Step, type StepContext } from './types.js';

/** The volume group of an LV path: /dev/mapper/vg-lv ("--" is an escaped "-") or /dev/vg/lv. */
export function volumeGroupOf(lvPath: string): string | undefined {
  const mapper = /^\/dev\/mapper\/(.+)$/.exec(lvPath);
  if (mapper) {
    const parts = mapper[1]!.split(/(?<!-)-(?!-)/);
    return parts.length >= 2 ? parts[0]!.replace(/--/g, '-') : undefined;
  }
  const plain = /^\/dev\/([^/]+)\/[^/]+$/.exec(lvPath);
  return plain?.[1];
}

/** Deactivates the volume group azchroot activated; idempotent. */
export async function deactivateLvm(state: BuildState, ctx: StepContext, step: string): Promise<void> {
  if (!state.lvm?.active) return;
  ctx.reporter.say(`deactivating volume group ${state.lvm.vg}`, step);
  await runArgv(['vgchange', '-an', state.lvm.vg], { signal: ctx.signal, onLine: (l, s) => ctx.reporter.output(l, s, step) });
  state.lvm.active = false;
}

/** The setup-lvm step. */
export function setupLvm(): Step {
  const id = 'setup-lvm';
  return {
    id,
    title: 'Activate the LVM volume group',
    enabled: always,
    async run(state, ctx) {
      const lv = ctx.config.builder.lvmRootDevice;
      if (!lv) return;
      const vg = volumeGroupOf(lv);
      if (!vg) throw new HostError('AZC_HOST_LVM', `cannot tell the volume group of lvm_root_device "${lv}"`, { hint: 'use /dev/mapper/<vg>-<lv> or /dev/<vg>/<lv>' });
      await runArgv(['pvscan', '--cache'], { signal: ctx.signal }).catch(() => undefined);
      state.lvm = { vg, rootDevice: lv, active: true };
      ctx.reporter.say(`activating volume group ${vg}`, id);
      await runArgv(['vgchange', '-ay', vg], { signal: ctx.signal, onLine: (l, s) => ctx.reporter.output(l, s, id) });
      for (let i = 0; i < 50 && !existsSync(lv); i++) await new Promise((r) => setTimeout(r, 100));
      if (!existsSync(lv)) {
        throw new HostError('AZC_HOST_LVM', `volume group ${vg} is active but ${lv} does not exist`, {
          hint: 'check lvm_root_device with "lvs" on the build VM; if the host has a volume group of the same name, rename one first',
        });
      }
    },
    cleanup: (state, ctx) => deactivateLvm(state, ctx, id),
  };
}
