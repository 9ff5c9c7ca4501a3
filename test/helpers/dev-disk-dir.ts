// /dev/disk for sandboxes. This host has no udev, so /dev/disk may not exist; a sandbox mounts a
// private tmpfs on it, which needs the directory on the shared devtmpfs. Several test processes may
// hold sandboxes at once, so creation and removal are reference-counted under a file lock: removing
// the directory while another sandbox has its tmpfs there would unmount that sandbox's tmpfs.

import { execFileSync } from 'node:child_process';

const LOCK = '/run/azc-test-devdisk.lock';
const USERS = '/run/azc-test-devdisk.users';

const ACQUIRE = `set -e
mkdir -p ${USERS}
if [ ! -e /dev/disk ]; then mkdir /dev/disk; touch ${USERS}/.created; fi
touch "${USERS}/$1"`;

// Users are named azc-<pid>-<n>; entries of dead processes are pruned so a killed test run does
// not keep /dev/disk forever.
const RELEASE = `rm -f "${USERS}/$1"
for f in ${USERS}/azc-*; do
  [ -e "$f" ] || continue
  pid=\${f##*/azc-}; pid=\${pid%%-*}
  [ -d "/proc/$pid" ] || rm -f "$f"
done
if [ -e ${USERS}/.created ] && [ -z "$(ls ${USERS})" ]; then
  rmdir /dev/disk 2>/dev/null && rm -f ${USERS}/.created
fi
# The last user leaves no bookkeeping behind (the lock file stays: other processes may wait on it).
rmdir ${USERS} 2>/dev/null
exit 0`;

/** Makes sure /dev/disk exists for sandbox `user` (creating it if needed, remembered for release). */
export function acquireDevDisk(user: string): void {
  execFileSync('flock', [LOCK, 'sh', '-c', ACQUIRE, 'acquire', user], { stdio: 'pipe' });
}

/** Drops `user`; removes /dev/disk when the last user is gone and a sandbox created it. */
export function releaseDevDisk(user: string): void {
  execFileSync('flock', [LOCK, 'sh', '-c', RELEASE, 'release', user], { stdio: 'pipe' });
}
