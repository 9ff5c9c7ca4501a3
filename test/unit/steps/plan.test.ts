import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planSteps } from '../../../src/steps/plan.js';
import { chrootConfig, TEST_RG_PREFIX } from '../../helpers/chroot-config.js';
import type { ChrootConfig } from '../../../src/config/model.js';

const gallery: ChrootConfig['sharedImageDestination'] = {
  resourceGroup: 'rg', galleryName: 'g', imageName: 'img', imageVersion: '1.0.0', targetRegions: [], excludeFromLatest: false,
};
const tail = ['attach-disk', 'detect-lvm', 'mount-device', 'mount-fstab', 'mount-extra', 'copy-files', 'install-policy-rc', 'provision', 'early-teardown'];

const cases: { name: string; o: Partial<ChrootConfig>; ids: string[] }[] = [
  {
    name: 'platform latest + managed image',
    o: {},
    ids: ['preflight', 'resolve-platform-version', 'verify-platform-image', 'verify-image-destination', 'create-os-disk', ...tail, 'create-image'],
  },
  {
    name: 'platform pinned version: no resolve step',
    o: { source: { kind: 'platform', publisher: 'p', offer: 'o', sku: 's', version: '1.2.3' } },
    ids: ['preflight', 'verify-platform-image', 'verify-image-destination', 'create-os-disk', ...tail, 'create-image'],
  },
  {
    name: 'disk source + gallery only',
    o: { source: { kind: 'disk', id: `${TEST_RG_PREFIX}/disks/src` }, imageResourceId: undefined, sharedImageDestination: gallery },
    ids: ['preflight', 'verify-source-disk', 'verify-gallery-destination', 'create-os-disk', ...tail, 'create-snapshots', 'publish-gallery-version'],
  },
  {
    name: 'gallery source + both outputs: data disks, concurrent capture',
    o: { source: { kind: 'gallery', id: `${TEST_RG_PREFIX}/galleries/g/images/i/versions/1.0.0` }, sharedImageDestination: gallery },
    ids: ['preflight', 'verify-source-gallery', 'verify-gallery-destination', 'verify-image-destination', 'create-os-disk', 'create-data-disks', ...tail, 'create-image-and-snapshots', 'publish-gallery-version'],
  },
  {
    name: 'from scratch with commands, no copy files, no extra mounts',
    o: { source: { kind: 'scratch' }, preMountCommands: ['mkfs'], postMountCommands: ['x'], preUnmountCommands: ['y'], copyFiles: [], chrootMounts: [] },
    ids: ['preflight', 'verify-image-destination', 'create-os-disk', 'attach-disk', 'pre-mount-commands', 'rescan-devices', 'mount-device', 'post-mount-commands', 'mount-fstab', 'install-policy-rc', 'provision', 'pre-unmount-commands', 'early-teardown', 'create-image'],
  },
  {
    name: 'lvm_root_device: the volume group is activated right after attach',
    o: { source: { kind: 'platform', publisher: 'RedHat', offer: 'RHEL', sku: '9-lvm', version: '9.4.1' }, lvmRootDevice: '/dev/mapper/rootvg-rootlv', copyFiles: [] },
    ids: ['preflight', 'verify-platform-image', 'verify-image-destination', 'create-os-disk', 'attach-disk', 'setup-lvm', 'mount-device', 'mount-fstab', 'mount-extra', 'install-policy-rc', 'provision', 'early-teardown', 'create-image'],
  },
  {
    name: 'automatic LVM detection after pre_mount_commands; /boot from fstab after post_mount_commands',
    o: { preMountCommands: ['a'], postMountCommands: ['b'], copyFiles: [] },
    ids: ['preflight', 'resolve-platform-version', 'verify-platform-image', 'verify-image-destination', 'create-os-disk', 'attach-disk', 'pre-mount-commands', 'rescan-devices', 'detect-lvm', 'mount-device', 'post-mount-commands', 'mount-fstab', 'mount-extra', 'install-policy-rc', 'provision', 'early-teardown', 'create-image'],
  },
  {
    name: 'manual_mount_command: no LVM detection, no fstab mounts',
    o: { manualMountCommand: 'mount {{.Device}}1', copyFiles: [] },
    ids: ['preflight', 'resolve-platform-version', 'verify-platform-image', 'verify-image-destination', 'create-os-disk', 'attach-disk', 'mount-device', 'mount-extra', 'install-policy-rc', 'provision', 'early-teardown', 'create-image'],
  },
  {
    name: 'boot_test: after pre_unmount_commands, right before the early teardown (detach) and capture',
    o: { preUnmountCommands: ['y'], bootTest: { timeoutMs: 300_000, expect: 'login:', accel: 'auto', memoryMib: 1024 } },
    ids: ['preflight', 'resolve-platform-version', 'verify-platform-image', 'verify-image-destination', 'create-os-disk', 'attach-disk', 'detect-lvm', 'mount-device', 'mount-fstab', 'mount-extra', 'copy-files', 'install-policy-rc', 'provision', 'pre-unmount-commands', 'boot-test', 'early-teardown', 'create-image'],
  },
  {
    name: 'skip_create_image: no destination checks, no capture',
    o: { skipCreateImage: true, sharedImageDestination: gallery },
    ids: ['preflight', 'resolve-platform-version', 'verify-platform-image', 'create-os-disk', ...tail, 'skip-capture'],
  },
];

for (const c of cases) {
  test(`planSteps: ${c.name}`, () => {
    assert.deepEqual(planSteps(chrootConfig(c.o)).map((s) => s.id), c.ids);
  });
}

test('planSteps: verification comes before any resource is created', () => {
  const ids = planSteps(chrootConfig({ sharedImageDestination: gallery })).map((s) => s.id);
  const firstCreate = ids.indexOf('create-os-disk');
  for (const v of ids.filter((i) => i.startsWith('verify-') || i.startsWith('resolve-'))) assert.ok(ids.indexOf(v) < firstCreate, v);
});

test('planSteps: create-data-disks is enabled only when the source version has data disks', () => {
  const step = planSteps(chrootConfig({ source: { kind: 'gallery', id: '/x/versions/1' } })).find((s) => s.id === 'create-data-disks');
  assert.ok(step);
  const base = { dataDisks: [], extraMounts: [], copiedFiles: [], snapshots: [], outputs: [], kept: [], buildData: {} };
  assert.equal(step.enabled({ ...base, sourceDataDiskLuns: [] }), false);
  assert.equal(step.enabled({ ...base, sourceDataDiskLuns: [0, 3] }), true);
});
