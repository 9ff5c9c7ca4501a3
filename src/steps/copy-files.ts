// Step 5c: copy_files into the chroot. What a copy replaces (typically a resolv.conf symlink to
// systemd-resolved) is moved aside first and put back at teardown; Packer deletes it instead.
// Every path is resolved inside the image (chroot/confined-path.ts): a resolv.conf that is a symlink
// out of the image is moved aside as a link, never followed, and the copy is azchroot's own.

import { basename, dirname, join, posix } from 'node:path';
import { copyHostFileToImage, makeImageDirs, renameInImage, statInImage, type ImageRoot } from '../chroot/confined-path.js';
import { safeName } from '../ledger/journal.js';
import { need } from './state.js';
import { always, type Step } from './types.js';

/** Hidden name, next to the original, that the original is moved to during the build. */
export function backupPath(target: string, buildId: string): string {
  return join(dirname(target), `.azchroot-orig-${basename(target)}-${safeName(buildId)}`);
}

/** The image paths of the chroot mounts: host file systems that confined paths refuse. */
export function hostMountsOf(chrootMounts: readonly (readonly string[])[]): string[] {
  return chrootMounts.map((m) => m[2]!);
}

/** The copy-files step. */
export function copyFiles(): Step {
  const id = 'copy-files';
  return {
    id,
    title: 'Copy files into the chroot',
    enabled: always,
    async run(state, ctx) {
      const root = need(state, 'mountPath', 'mount-device');
      const hostMounts = hostMountsOf(ctx.config.builder.chrootMounts);
      const image: ImageRoot = { hostRoot: root, hostMounts };
      for (const path of ctx.config.builder.copyFiles) {
        const target = join(root, path);
        const existing = await statInImage(image, path, { followFinal: false });
        const backup = existing.stat ? backupPath(target, ctx.buildId) : undefined;
        ctx.reporter.say(`copying ${path}${backup ? ' (the image\'s original is restored afterwards)' : ''}`, id);
        await ctx.ledger.track('copied-file', target, { root, hostMounts, ...(backup ? { backup } : {}) }, async () => {
          if (backup) await renameInImage(image, path, posix.join(posix.dirname(path), basename(backup)));
          else await makeImageDirs(image, posix.dirname(path));
          await copyHostFileToImage(image, path, path, { followFinal: false });
        });
      }
    },
  };
}
