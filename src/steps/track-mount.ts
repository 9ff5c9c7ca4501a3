// Every mount a build makes goes into the ledger the same way: the intent names the source device's
// number (and, inside the image, the root mount it sits on), the created record the mount's own
// identity from /proc/self/mountinfo. The mount undoer compares both before it unmounts anything.

import { captureMountIdentity, deviceNumber, diskIdentityOf, mountsAt } from '../host/mount-identity.js';
import type { StepContext } from './types.js';

/** Records and performs one mount at `target`; `root` is the image root it lies in (none for the root itself). */
export async function trackMount(ctx: StepContext, target: string, source: string | undefined, root: string | undefined, mount: () => Promise<unknown>): Promise<void> {
  const devno = source ? deviceNumber(source) : undefined;
  const disk = source ? diskIdentityOf(source) : undefined;
  const rootMount = root ? mountsAt(root).at(-1) : undefined;
  const detail = {
    ...(root ? { root } : { root: true }),
    ...(source ? { device: source } : {}),
    identity: { ...(devno ? { devno, source } : {}), ...(disk ? { disk } : {}) },
    ...(rootMount ? { rootIdentity: { mountId: rootMount.mountId, devno: rootMount.devno, source: rootMount.source } } : {}),
  };
  await ctx.ledger.track('mount', target, detail, mount, async () => ({ identity: await captureMountIdentity(target, ctx.signal) }));
}
