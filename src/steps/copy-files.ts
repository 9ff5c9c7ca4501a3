// Step 5c: copy_files into the chroot. What a copy replaces (typically a resolv.conf symlink to
// systemd-resolved) is moved aside first and put back at teardown; Packer deletes it instead.

import { pathExists } from '../host/path-checks.js';
import { basename, dirname, join } from 'node:path';
import { shellQuote } from '../host/shell-quote.js';
import { safeName } from '../ledger/journal.js';
import { runHost } from './host-commands.js';
import { need } from './state.js';
import { always, type Step } from './types.js';

/** Hidden name, next to the original, that the original is moved to during the build. */
export function backupPath(target: string, buildId: string): string {
  return join(dirname(target), `.azchroot-orig-${basename(target)}-${safeName(buildId)}`);
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
      for (const path of ctx.config.builder.copyFiles) {
        const target = join(root, path);
        const backup = pathExists(target) ? backupPath(target, ctx.buildId) : undefined;
        ctx.reporter.say(`copying ${path}${backup ? ' (the image\'s original is restored afterwards)' : ''}`, id);
        await ctx.ledger.track('copied-file', target, { root, ...(backup ? { backup } : {}) }, async () => {
          if (backup) await runHost(ctx, state, id, `mv -f ${shellQuote(target)} ${shellQuote(backup)}`);
          else await runHost(ctx, state, id, `mkdir -p ${shellQuote(dirname(target))}`);
          await runHost(ctx, state, id, `cp --remove-destination ${shellQuote(path)} ${shellQuote(target)}`);
        });
      }
    },
  };
}
