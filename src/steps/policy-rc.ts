// Step 5d: keep package installs from starting services inside the chroot (the usual reason for
// "umount: target is busy"): a policy-rc.d that answers 101, only when the image has /usr/sbin and
// no policy-rc.d of its own. The ledger removes it (only while it is still ours). Resolved inside
// the image: /usr/sbin may be a symlink (to /usr/bin, or out of the image).

import { statInImage, writeImageFile } from '../chroot/confined-path.js';
import { hostMountsOf } from './copy-files.js';
import { need } from './state.js';
import { POLICY_RC_CONTENT } from '../ledger/undoers.js';
import { always, type Step } from './types.js';

/** The install-policy-rc step. */
export function installPolicyRc(): Step {
  const id = 'install-policy-rc';
  return {
    id,
    title: 'Prevent services from starting in the chroot',
    enabled: always,
    async run(state, ctx) {
      const root = need(state, 'mountPath', 'mount-device');
      const hostMounts = hostMountsOf(ctx.config.builder.chrootMounts);
      const image = { hostRoot: root, hostMounts };
      const sbin = await statInImage(image, '/usr/sbin');
      if (!sbin.stat?.isDirectory()) return;
      const existing = await statInImage(image, `${sbin.imagePath}/policy-rc.d`, { followFinal: false });
      if (existing.stat) return;
      const path = existing.hostPath;
      await ctx.ledger.track('policy-rc', path, { root, hostMounts }, async () => {
        await writeImageFile(image, existing.imagePath, POLICY_RC_CONTENT, { mode: 0o755, exclusive: true, followFinal: false });
      });
      ctx.reporter.debug(`installed ${path} for the build`, id);
    },
  };
}
