// Step 1: is this host fit to build? Linux, root, the tools this config needs, and the VM identity.

import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { BuildConfig } from '../config/model.js';
import { HostError } from '../errors.js';
import { always, type Step } from './types.js';

/** Host commands the build itself runs, plus those the user's commands obviously reference. */
export function requiredTools(config: BuildConfig): string[] {
  const b = config.builder;
  const tools = new Set(['mount', 'umount', 'chroot', 'cp', 'mkdir', 'rm', 'mv', 'flock']);
  const userText = [...b.preMountCommands, ...b.postMountCommands, ...b.preUnmountCommands, b.manualMountCommand ?? ''].join('\n');
  for (const t of ['partx', 'sfdisk', 'losetup', 'mkfs.ext4', 'mkfs.xfs', 'mkfs.vfat', 'parted', 'sgdisk', 'vgchange', 'lvchange']) {
    if (new RegExp(`(^|[\\s;&|(\`$])${t.replace('.', '\\.')}(\\s|$|;)`, 'm').test(userText)) tools.add(t);
  }
  if (b.lvmRootDevice) tools.add('vgchange').add('pvscan');
  return [...tools];
}

/** Finds `tool` on PATH, or undefined. */
export function whichTool(tool: string, path = process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next directory
    }
  }
  return undefined;
}

type HostFacts = { platform: string; uid: number; path?: string };
const thisHost = (): HostFacts => ({ platform: process.platform, uid: process.getuid?.() ?? -1 });

/** Linux and root, checked before anything else (even before IMDS) so the reason comes first. */
export function checkPlatformAndRoot(env: HostFacts = thisHost()): void {
  if (env.platform !== 'linux') {
    throw new HostError('AZC_HOST_PLATFORM', `azchroot builds only on Linux (this host is ${env.platform})`, { hint: 'run the build on a Linux Azure VM' });
  }
  if (env.uid !== 0) {
    throw new HostError('AZC_HOST_ROOT', `azchroot must run as root (uid is ${env.uid}): it mounts file systems, attaches disks as block devices and runs chroot`, {
      hint: 'run it with sudo; command_wrapper cannot elevate the builder\'s own mounts',
    });
  }
}

/** Checks platform, privileges and tools; `env` is injectable for tests. */
export function preflightCheck(config: BuildConfig, env: HostFacts = thisHost()): void {
  checkPlatformAndRoot(env);
  const missing = requiredTools(config).filter((t) => !whichTool(t, env.path));
  if (missing.length > 0) {
    throw new HostError('AZC_HOST_TOOLS', `required host tools not found on PATH: ${missing.join(', ')}`, {
      hint: 'install util-linux, coreutils (and fdisk/e2fsprogs when your commands use sfdisk, partx or mkfs)',
    });
  }
}

/** The preflight step. */
export function preflight(): Step {
  return {
    id: 'preflight',
    title: 'Check the host',
    enabled: always,
    async run(_state, ctx) {
      preflightCheck(ctx.config);
      ctx.reporter.say(`building on VM ${ctx.vm.name} (${ctx.vm.location}${ctx.vm.zone ? `, zone ${ctx.vm.zone}` : ''})`, 'preflight');
    },
  };
}
