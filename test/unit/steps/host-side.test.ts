import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preflightCheck, requiredTools } from '../../../src/steps/preflight.js';
import { lowestFreeLun } from '../../../src/steps/attach-disk.js';
import { mountCommand } from '../../../src/steps/mount-device.js';
import { extraMountCommand } from '../../../src/steps/mount-extra.js';
import { backupPath } from '../../../src/steps/copy-files.js';
import { renderField, wrapCommand } from '../../../src/steps/host-commands.js';
import { volumeGroupOf } from '../../../src/steps/setup-lvm.js';
import { chrootConfig } from '../../helpers/chroot-config.js';
import { fakeVm } from '../../helpers/fake-azure.js';

test('preflight: one clear message each for non-Linux, non-root and missing tools', () => {
  const config = chrootConfig({ preMountCommands: ['sfdisk {{.Device}} < layout', 'partx -u {{.Device}}'] });
  assert.throws(() => preflightCheck(config, { platform: 'darwin', uid: 0 }), { code: 'AZC_HOST_PLATFORM' });
  assert.throws(() => preflightCheck(config, { platform: 'linux', uid: 1000 }), (e: Error & { code: string }) => e.code === 'AZC_HOST_ROOT' && /must run as root \(uid is 1000\): it mounts/.test(e.message));
  assert.throws(() => preflightCheck(config, { platform: 'linux', uid: 0, path: '/nonexistent' }), (e: Error) => /required host tools not found on PATH: mount, umount, chroot/.test(e.message) && /sfdisk/.test(e.message) && /partx/.test(e.message));
  assert.ok(!requiredTools(chrootConfig()).includes('sfdisk'));
});

test('lowestFreeLun: the lowest unused LUN, none when all 64 are taken', () => {
  assert.equal(lowestFreeLun([]), 0);
  assert.equal(lowestFreeLun([0, 1, 3]), 2);
  assert.equal(lowestFreeLun(Array.from({ length: 64 }, (_, i) => i)), undefined);
});

test('mount commands: options, bind mounts and paths with spaces are quoted for /bin/sh', () => {
  assert.equal(mountCommand('/dev/sdc1', '/mnt/x', ['nouuid', 'ro']), 'mount -o nouuid -o ro /dev/sdc1 /mnt/x');
  assert.equal(mountCommand('/dev/sdc1', '/mnt/my disk', []), "mount /dev/sdc1 '/mnt/my disk'");
  assert.equal(extraMountCommand('bind', '/dev', '/mnt/x/dev'), 'mount --bind /dev /mnt/x/dev');
  assert.equal(extraMountCommand('proc', 'proc', '/mnt/x/proc'), 'mount -t proc proc /mnt/x/proc');
  assert.equal(backupPath('/mnt/x/etc/resolv.conf', 'b1'), '/mnt/x/etc/.azchroot-orig-resolv.conf-b1');
});

test('step templates: command_wrapper gets .Command; mount_path sees .Device and the vm function', () => {
  const config = chrootConfig({ commandWrapper: 'sudo -n {{.Command}}' });
  assert.equal(wrapCommand(config, fakeVm(), 'mount /dev/sdc1 /mnt'), 'sudo -n mount /dev/sdc1 /mnt');
  const path = renderField(config, fakeVm({ name: 'vm7' }), '/mnt/{{ vm `name` }}/{{.Device}}', { Device: 'sdc' }, {});
  assert.equal(path, '/mnt/vm7/sdc');
});

test('volumeGroupOf: mapper names with escaped dashes and /dev/<vg>/<lv> paths', () => {
  assert.equal(volumeGroupOf('/dev/mapper/rootvg-rootlv'), 'rootvg');
  assert.equal(volumeGroupOf('/dev/mapper/my--vg-root--lv'), 'my-vg');
  assert.equal(volumeGroupOf('/dev/rootvg/rootlv'), 'rootvg');
  assert.equal(volumeGroupOf('/dev/sdc1'), undefined);
  assert.ok(requiredTools(chrootConfig({ lvmRootDevice: '/dev/rootvg/rootlv' })).includes('vgchange'));
});
