// The build's step list for a config, like Packer's buildsteps(): pure, so a table test pins it.

import type { BuildConfig } from '../config/model.js';
import { attachDisk } from './attach-disk.js';
import { bootTest } from './boot-test.js';
import { capture } from './capture.js';
import { postMountCommands, preMountCommands, preUnmountCommands } from './command-steps.js';
import { copyFiles } from './copy-files.js';
import { createDataDisks, createOsDisk } from './create-disks.js';
import { detectLvm } from './detect-lvm.js';
import { earlyTeardown } from './early-teardown.js';
import { mountDevice } from './mount-device.js';
import { mountExtra } from './mount-extra.js';
import { mountFstab } from './mount-fstab.js';
import { installPolicyRc } from './policy-rc.js';
import { preflight } from './preflight.js';
import { provision } from './provision.js';
import { publishGalleryVersion, skipCapture } from './publish.js';
import type { Step } from './types.js';
import { setupLvm } from './setup-lvm.js';
import { rescanDevices } from './rescan-devices.js';
import { resolvePlatformVersion, verifyPlatformImage, verifySourceDisk, verifySourceGallery } from './verify-source.js';
import { verifyGalleryDestination, verifyImageDestination } from './verify-destination.js';

/** Steps for `config`, in order. Verification (source, then destination) comes before anything is created. */
export function planSteps(config: BuildConfig): Step[] {
  const b = config.builder;
  const steps: Step[] = [preflight()];
  const src = b.source;
  if (src.kind === 'platform') {
    if (src.version.toLowerCase() === 'latest') steps.push(resolvePlatformVersion());
    steps.push(verifyPlatformImage());
  } else if (src.kind === 'disk') steps.push(verifySourceDisk());
  else if (src.kind === 'gallery') steps.push(verifySourceGallery());

  const image = !b.skipCreateImage && b.imageResourceId !== undefined;
  const gallery = !b.skipCreateImage && b.sharedImageDestination !== undefined;
  if (gallery) steps.push(verifyGalleryDestination());
  if (image) steps.push(verifyImageDestination());

  steps.push(createOsDisk());
  if (src.kind === 'gallery') steps.push(createDataDisks());
  steps.push(attachDisk());
  if (b.lvmRootDevice) steps.push(setupLvm());
  if (b.preMountCommands.length > 0) steps.push(preMountCommands(), rescanDevices());
  // Automatic LVM detection sees the disk as pre_mount_commands left it; not for from_scratch or manual mounts.
  const auto = !b.lvmRootDevice && !b.manualMountCommand && src.kind !== 'scratch';
  if (auto) steps.push(detectLvm());
  steps.push(mountDevice());
  if (b.postMountCommands.length > 0) steps.push(postMountCommands());
  if (!b.manualMountCommand) steps.push(mountFstab());
  if (b.chrootMounts.length > 0) steps.push(mountExtra());
  if (b.copyFiles.length > 0) steps.push(copyFiles());
  steps.push(installPolicyRc(), provision());
  if (b.preUnmountCommands.length > 0) steps.push(preUnmountCommands());
  // After the file systems are released, before detach and capture.
  if (b.bootTest) steps.push(bootTest());
  steps.push(earlyTeardown());

  if (b.skipCreateImage) steps.push(skipCapture());
  else {
    if (image || gallery) steps.push(capture(image, gallery));
    if (gallery) steps.push(publishGalleryVersion());
  }
  return steps;
}
