// Step 5d: keep package installs from starting services inside the chroot (the usual reason for
// "umount: target is busy"): a policy-rc.d that answers 101, only when the image has /usr/sbin and
// no policy-rc.d of its own. The ledger removes it (only while it is still ours).

import { isDirectory, pathExists } from '../host/path-checks.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
      const sbin = join(root, 'usr/sbin');
      const path = join(sbin, 'policy-rc.d');
      if (!isDirectory(sbin) || pathExists(path)) return;
      await ctx.ledger.track('policy-rc', path, { root }, () => writeFile(path, POLICY_RC_CONTENT, { mode: 0o755, flag: 'wx' }));
      ctx.reporter.debug(`installed ${path} for the build`, id);
    },
  };
}


