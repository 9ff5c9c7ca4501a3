// Automatic LVM detection (no lvm_root_device): after attach and pre_mount_commands, find the PVs on
// the attached disk's own partitions, activate their volume groups (importing a VG under a temporary
// name when the host already has one of that name) and choose the root LV to mount.

import { existsSync } from 'node:fs';
import { HostError } from '../errors.js';
import { runArgv } from '../host/exec.js';
import { listLogicalVolumes, listPhysicalVolumes, partitionsOf, probeDevice, pvsOnDevice, type LogicalVolume } from '../host/lvm-query.js';
import { shellQuote } from '../host/shell-quote.js';
import { runHost } from './host-commands.js';
import { whichTool } from './preflight.js';
import { chooseRootLv, clashingVgs, temporaryVgName } from './root-lv.js';
import { need, type BuildState, type VgRename } from './state.js';
import { always, type Step, type StepContext } from './types.js';

/** Partition nodes of `device`; asks the kernel to read the partition table once when sysfs shows none yet. */
async function partitionNodes(device: string, state: BuildState, ctx: StepContext, step: string): Promise<string[]> {
  let parts = partitionsOf(device);
  if (parts.length === 0 && whichTool('partx')) {
    await runHost(ctx, state, step, `partx -a ${shellQuote(device)}`).catch(() => undefined);
    parts = partitionsOf(device);
  }
  await waitFor(() => parts.every((p) => existsSync(p)), 5000);
  return parts;
}

async function waitFor(ok: () => boolean, ms: number): Promise<boolean> {
  for (let i = 0; i < ms / 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 100));
  return ok();
}

/** The detect-lvm step. */
export function detectLvm(): Step {
  const id = 'detect-lvm';
  return {
    id,
    title: 'Detect LVM on the attached disk',
    enabled: always,
    async run(state, ctx) {
      const b = ctx.config.builder;
      const device = need(state, 'device', 'attach-disk');
      if (b.mountPartitionExplicit) {
        ctx.reporter.debug(`mount_partition is set ("${b.mountPartition}"): not looking for LVM on ${device}`, id);
        return;
      }
      const partitions = await partitionNodes(device, state, ctx, id);
      await runArgv(['pvscan', '--cache'], { signal: ctx.signal }).catch(() => undefined);
      let all;
      try {
        all = await listPhysicalVolumes(ctx.signal);
      } catch (error) {
        ctx.reporter.debug(`could not list LVM physical volumes (${error instanceof Error ? error.message : String(error)}); mounting partition "${b.mountPartition}" of ${device}`, id);
        return;
      }
      const own = pvsOnDevice(all, device, partitions);
      if (own.length === 0) {
        ctx.reporter.debug(`no LVM physical volume on ${device}; mounting partition "${b.mountPartition}"`, id);
        return;
      }
      const ownPvs = new Set(own.map((p) => p.pv));
      const imageVgs = [...new Set(own.map((p) => p.vg))];
      const clashes = clashingVgs(imageVgs, all, ownPvs);
      if (clashes.length > 0 && !whichTool('vgimportclone')) {
        throw new HostError('AZC_HOST_LVM', `the host already has a volume group named ${clashes.join(', ')}, like the image on ${device}, and vgimportclone is not installed`, {
          hint: 'install lvm2 (it ships vgimportclone), or rename the host volume group, or set lvm_root_device / mount_partition',
        });
      }
      const renames: VgRename[] = clashes.map((orig) => ({ orig, tmp: temporaryVgName(orig, ctx.buildId), pvs: own.filter((p) => p.vg === orig).map((p) => p.pv) }));
      const vgs = imageVgs.map((vg) => renames.find((r) => r.orig === vg)?.tmp ?? vg);
      state.lvm = { vg: vgs[0]!, vgs, renames, rootDevice: '' };
      const onLine = (l: string, s: 'stdout' | 'stderr'): void => ctx.reporter.output(l, s, id);
      // In the ledger before the renames and the activation: a half-done one is still undone.
      await ctx.ledger.track('lvm', vgs.join(','), { vgs, renames }, async () => {
        for (const r of renames) {
          ctx.reporter.warn(`the host already has a volume group named ${r.orig}: importing the image's as ${r.tmp} for the build (its name is restored before detach)`, id);
          await runArgv(['vgimportclone', '--basevgname', r.tmp, ...r.pvs], { signal: ctx.signal, onLine });
        }
        ctx.reporter.say(`LVM found on ${device}: activating volume group${vgs.length > 1 ? 's' : ''} ${vgs.join(', ')}`, id);
        await runArgv(['vgchange', '-ay', ...vgs], { signal: ctx.signal, onLine });
      });
      await runArgv(['vgmknodes', ...vgs], { signal: ctx.signal }).catch(() => undefined);
      const lvs = await listLogicalVolumes(vgs, ctx.signal);
      await waitFor(() => lvs.every((lv) => existsSync(lv.path)), 5000);
      const swap = new Set<string>();
      for (const lv of lvs) if ((await probeDevice(lv.path, ctx.signal)).TYPE === 'swap') swap.add(lv.path);
      const root = chooseRootLv(lvs, (lv: LogicalVolume) => swap.has(lv.path));
      if (!root || !existsSync(root.path)) {
        throw new HostError('AZC_HOST_LVM', root ? `logical volume ${root.path} does not exist after activating ${vgs.join(', ')}` : `volume group${vgs.length > 1 ? 's' : ''} ${vgs.join(', ')} on ${device} hold${vgs.length > 1 ? '' : 's'} no logical volume to mount`, {
          hint: 'set lvm_root_device to the root LV, or mount_partition to mount a partition instead',
        });
      }
      state.lvm.rootDevice = root.path;
      ctx.reporter.say(`mounting logical volume ${root.path} as the root file system`, id);
    },
  };
}
