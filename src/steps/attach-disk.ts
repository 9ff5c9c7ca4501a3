// Step 4: attach the OS disk at the lowest free LUN under a host-wide lock, then find its block
// device. The attachment is in the ledger before the call, so it is detached (under the same lock)
// even when the device never appeared (Packer forgets the disk then) or the call was interrupted.

import { AzureError } from '../errors.js';
import { findDevice } from '../host/find-device.js';
import { acquireHostLock, attachLockPath } from '../host/host-lock.js';
import { deviceNumber } from '../host/mount-identity.js';
import { need } from './state.js';
import { always, type Step } from './types.js';

export { attachLockPath };

const MAX_LUN = 63;

/** Lowest LUN 0..63 not in `used`, or undefined when all are taken. */
export function lowestFreeLun(used: readonly number[]): number | undefined {
  const taken = new Set(used);
  for (let lun = 0; lun <= MAX_LUN; lun++) if (!taken.has(lun)) return lun;
  return undefined;
}

/** The attach-disk step. */
export function attachDisk(): Step {
  const id = 'attach-disk';
  return {
    id,
    title: 'Attach the OS disk',
    enabled: always,
    async run(state, ctx) {
      const diskId = need(state, 'osDiskId', 'create-os-disk');
      const lock = await acquireHostLock(attachLockPath(ctx.stateDir), {
        signal: ctx.signal,
        onWait: () => ctx.reporter.say('waiting for another azchroot build on this VM to finish attaching its disk', id),
      });
      try {
        const attached = await ctx.azure.vm.listDataDisks(ctx.vm, { signal: ctx.signal });
        const lun = lowestFreeLun(attached.map((d) => d.lun));
        if (lun === undefined) {
          throw new AzureError(`VM ${ctx.vm.name} has no free LUN (all ${MAX_LUN + 1} are used)`, { hint: 'detach unused data disks from the build VM' });
        }
        state.lun = lun;
        ctx.reporter.say(`attaching disk ${diskId} at LUN ${lun}`, id);
        await ctx.ledger.track('attachment', diskId, { lun, vm: ctx.vm.resourceId }, () => ctx.azure.vm.attachDisk(ctx.vm, diskId, lun, { signal: ctx.signal }));
        // The lock is held until the device is there: a second build must not see a half-attached LUN as free.
        // The device must be this disk (its size), not what a stale link shows.
        const sizeGB = (await ctx.azure.disks.get(diskId, { signal: ctx.signal }))?.diskSizeGB;
        const found = await findDevice(lun, { devroot: ctx.devroot, sysroot: ctx.sysroot, timeoutMs: ctx.deviceTimeoutMs, signal: ctx.signal, expect: { sizeGB } });
        state.device = found.device;
        state.buildData.Device = found.device;
        // The device's identity, for the mount records (a device name can be reused after a crash or reboot).
        ctx.ledger.journal.append({ event: 'created', kind: 'attachment', id: diskId, detail: { device: found.device, devno: deviceNumber(found.device) } });
        ctx.reporter.say(`disk available at ${found.device} (via ${found.via})`, id);
      } finally {
        await lock.release();
      }
    },
  };
}
