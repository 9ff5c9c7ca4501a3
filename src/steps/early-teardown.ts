// Step 7: release the disk before capture: the ledger releases everything on the host and the
// attachment (copied files, policy-rc.d, mounts newest first, the mount directory, LVM, detach), in
// its one order, through the same undoers as every other cleanup.

import { BEFORE_CAPTURE } from '../ledger/kinds.js';
import { always, type Step } from './types.js';

/** The early-teardown step. */
export function earlyTeardown(): Step {
  const id = 'early-teardown';
  return {
    id,
    title: 'Unmount and detach the disk',
    enabled: always,
    async run(_state, ctx) {
      await ctx.release(BEFORE_CAPTURE, id);
    },
  };
}
