// boot_test: once the image's file systems are unmounted and before the disk is detached and
// captured, boot it under QEMU through a copy-on-write overlay. A failed boot fails the build, so
// nothing is captured, and the usual cleanup follows. The console log is kept either way.
// The file systems are released through the ledger, as the early teardown releases them (everything
// before capture except the attachment); the early teardown then only detaches.

import { dirname, join, resolve } from 'node:path';
import { bootDisk } from '../boot/boot-disk.js';
import { BOOT_LOG_KEY, firmwareForGeneration } from '../config/boot-options.js';
import type { BuildConfig } from '../config/model.js';
import { CancelledError, HostError } from '../errors.js';
import { need } from './state.js';
import { BEFORE_CAPTURE } from '../ledger/kinds.js';
import { always, type Step } from './types.js';

/** What is released before the boot: everything the early teardown releases but the attachment. */
const BEFORE_BOOT = BEFORE_CAPTURE.filter((kind) => kind !== 'attachment');

/** `<build name>.boot.log` next to the first manifest, or in the working directory. */
export function bootLogPath(config: BuildConfig, cwd: string): string {
  const manifest = config.postProcessors.flat().find((p) => p.type === 'manifest');
  const dir = manifest && manifest.type === 'manifest' ? dirname(resolve(cwd, manifest.output)) : cwd;
  return join(dir, `${config.sourceName}.boot.log`);
}

/** The boot-test step. */
export function bootTest(): Step {
  const id = 'boot-test';
  return {
    id,
    title: 'Boot the image under QEMU',
    enabled: always,
    async run(state, ctx) {
      const settings = ctx.config.builder.bootTest;
      if (!settings) return;
      await ctx.release(BEFORE_BOOT, id);
      const device = need(state, 'device', 'attach-disk');
      // The explicit image_hyperv_generation wins, as in verify-source (create-os-disk records V1 for from_scratch).
      const firmware = settings.firmware ?? firmwareForGeneration(ctx.config.builder.imageHypervGeneration ?? state.generation);
      const logPath = bootLogPath(ctx.config, ctx.config.templateContext.cwd ?? process.cwd());
      const result = await bootDisk({
        disk: device, firmware, config: settings, logPath, signal: ctx.signal, sysroot: ctx.sysroot,
        say: (m) => ctx.reporter.say(m, id),
      });
      state.buildData[BOOT_LOG_KEY] = logPath;
      if (result.aborted) throw new CancelledError('interrupted during the boot test');
      if (!result.ok) {
        throw new HostError('AZC_BOOT_FAILED', `the image did not boot (${result.accel.accel}, ${(result.ms / 1000).toFixed(1)} s): ${result.detail}; nothing is captured\nlast console lines:\n${result.tail.map((l) => `  | ${l}`).join('\n')}`, {
          hint: `the whole console is in ${logPath}`,
        });
      }
      ctx.reporter.say(`the image booted in ${(result.ms / 1000).toFixed(1)} s (${result.accel.accel}): ${JSON.stringify(result.detail.trim())}; console: ${logPath}`, id);
    },
  };
}
