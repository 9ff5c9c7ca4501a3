// Step 7: release the disk before capture, in Packer's EarlyCleanup order: copied files → extra mounts
// → root file system → LVM → detach. The per-step cleanups later find nothing left to do.

import { detachOsDisk } from './attach-disk.js';
import { deactivateLvm } from './setup-lvm.js';
import { removePolicyRc, restoreCopiedFiles, unmountExtras, unmountRoot } from './teardown.js';
import { always, noCleanup, type Step } from './types.js';

/** The early-teardown step. */
export function earlyTeardown(): Step {
  const id = 'early-teardown';
  return {
    id,
    title: 'Unmount and detach the disk',
    enabled: always,
    async run(state, ctx) {
      await removePolicyRc(state, ctx, id);
      await restoreCopiedFiles(state, ctx, id);
      await unmountExtras(state, ctx, id);
      await unmountRoot(state, ctx, id);
      await deactivateLvm(state, ctx, id);
      await detachOsDisk(state, ctx, id);
    },
    cleanup: noCleanup,
  };
}
