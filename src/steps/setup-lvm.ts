// lvm_root_device: activate the root LV's volume group on the attached disk before mounting, and
// deactivate it before the disk is detached. The LVM tools run directly, like Packer's (no wrapper).
// Without lvm_root_device, detect-lvm.ts finds the volume groups on the disk itself.

import { existsSync } from 'node:fs';
import { HostError } from '../errors.js';
import { runArgv } from '../host/exec.js';
import { always, type Step } from './types.js';

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
      state.lvm = { vg, rootDevice: lv };
      ctx.reporter.say(`activating volume group ${vg}`, id);
      // In the ledger before the call, so a half-done activation is still deactivated.
      await ctx.ledger.track('lvm', vg, { vgs: [vg], renames: [] }, () => runArgv(['vgchange', '-ay', vg], { signal: ctx.signal, onLine: (l, s) => ctx.reporter.output(l, s, id) }));
      for (let i = 0; i < 50 && !existsSync(lv); i++) await new Promise((r) => setTimeout(r, 100));
      if (!existsSync(lv)) {
        throw new HostError('AZC_HOST_LVM', `volume group ${vg} is active but ${lv} does not exist`, {
          hint: 'check lvm_root_device with "lvs" on the build VM; if the host has a volume group of the same name, rename one first',
        });
      }
    },
  };
}
