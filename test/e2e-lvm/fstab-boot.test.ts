// The image's /boot, named by UUID in its /etc/fstab, is mounted from the attached disk's own
// partition during the build, so a provisioner's write to /boot lands on the boot partition.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { addImageCommand, exportCommand } from '../../src/cli/commands/emulator-files.js';
import { cliBuild, imageId, skipReason, startE2e, testDir, type E2eEnv } from '../e2e/helpers/harness.js';
import { hclCommon, hclTemplate, writeIn } from '../e2e/helpers/templates.js';
import { makeBootImage, readFromPartition } from './boot-image.js';

const skip = skipReason();
let env: E2eEnv;
const URN = 'azc:boot:split:1.0.0';

before(async () => {
  if (skip) return;
  env = await startE2e([]);
  const file = makeBootImage(join(env.dir, 'boot-base.raw'), env.dir, 'split');
  await addImageCommand({ state: env.stateDir, urn: URN, file });
});
after(async () => {
  await env?.close();
});

test('fstab /boot by UUID: mounted from partition 2 of the attached disk; writes land there, not on the root', { skip }, async (t) => {
  const td = await testDir(t, env);
  const image = imageId(env, 'boot-split');
  const path = await writeIn(td, 'boot.pkr.hcl', hclTemplate('boot', `
  source = "${URN}"
  ${hclCommon(td)}
  image_resource_id = "${image}"`, `
  provisioner "shell" { inline = ["echo kernel > /boot/azc-kernel", "echo etc > /etc/azc-etc", "cat /boot/azc-boot-marker"] }`));
  const res = await cliBuild(env, td, path);
  assert.equal(res.code, 0, res.output);
  assert.match(res.output, /mounting \/dev\/loop\d+p2 at \/boot \(from the image's fstab: UUID=/);
  // The provisioner saw the boot partition's own file.
  assert.match(res.output, /^.*split$/m);
  const raw = join(td.dir, 'out.raw');
  await exportCommand({ state: env.stateDir, resourceId: image, file: raw, format: 'raw' });
  const [kernel, marker] = readFromPartition(raw, 2, ['azc-kernel', 'azc-boot-marker'], join(td.dir, 'p2'));
  assert.equal(kernel, 'kernel\n');
  assert.equal(marker, 'split\n');
  const [etc, shadowKernel] = readFromPartition(raw, 1, ['etc/azc-etc', 'boot/azc-kernel'], join(td.dir, 'p1'));
  assert.equal(etc, 'etc\n');
  assert.equal(shadowKernel, undefined, 'the write to /boot must not land on the root file system');
});

test('a /boot that post_mount_commands mounted itself is left alone', { skip }, async (t) => {
  const td = await testDir(t, env);
  const image = imageId(env, 'boot-user');
  const path = await writeIn(td, 'user.pkr.hcl', hclTemplate('user', `
  source = "${URN}"
  ${hclCommon(td)}
  image_resource_id = "${image}"
  post_mount_commands = ["mount -t tmpfs azc-user-boot {{.MountPath}}/boot"]`, `
  provisioner "shell" { inline = ["echo tmp > /boot/azc-kernel"] }`));
  const res = await cliBuild(env, td, path);
  assert.equal(res.code, 0, res.output);
  assert.doesNotMatch(res.output, /from the image's fstab/);
  const raw = join(td.dir, 'out.raw');
  await exportCommand({ state: env.stateDir, resourceId: image, file: raw, format: 'raw' });
  const [kernel] = readFromPartition(raw, 2, ['azc-kernel'], join(td.dir, 'p2'));
  assert.equal(kernel, undefined, 'the tmpfs took the write, not the boot partition');
});
