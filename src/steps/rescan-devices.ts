// After pre_mount_commands (which may partition and format the disk): ask for the /dev/disk links to
// be refreshed, as udev would do on Azure, so that tools in the chroot find /dev/disk/by-uuid.

import { requestRescan } from '../host/rescan-devices.js';
import { need } from './state.js';
import { always, type Step } from './types.js';

/** The rescan-devices step. */
export function rescanDevices(): Step {
  const id = 'rescan-devices';
  return {
    id,
    title: 'Refresh the device links',
    enabled: always,
    async run(state, ctx) {
      const who = await requestRescan(ctx.devroot, need(state, 'device', 'attach-disk'), ctx.signal);
      ctx.reporter.say(`device links refreshed by ${who}`, id);
    },
  };
}
