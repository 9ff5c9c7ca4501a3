// End to end with the real thing: Debian's `packer build` (azure-chroot 1.6.6, from_scratch) runs
// against the emulator in a sandbox and publishes a managed image and a gallery image version.
// Afterwards the emulator holds exactly those, and no loop device or mount is left.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { exportCommand } from '../../src/cli/commands/emulator-files.js';
import { loopsUnder, mountsMatching } from '../helpers/block-usage.js';
import { checkTraffic, describe, readTraffic } from '../openapi/api-definitions.js';
import { createSandbox } from '../helpers/netns.js';
import { deferStack, makeTempDir } from '../helpers/temp-dir.js';
import {
  createGallery, EMULATOR_INDEX, GALLERY, groupPrefix, IMAGE_DEFINITION, IMAGE_NAME, IMAGE_VERSION, PACKER,
  resourcesByType, runPacker, startSandboxedEmulator, writeTemplate,
} from './packer-scenario.js';

const skip = process.getuid?.() !== 0 ? 'needs root' : !existsSync(PACKER) ? `${PACKER} is not installed` : !existsSync(EMULATOR_INDEX) ? 'the emulator server (src/emulator/index.ts) is not built yet' : false;

test('packer build (azure-chroot from_scratch) against the emulator creates an image and a gallery version and leaves nothing behind', { skip, timeout: 900_000 }, async (t) => {
  const dir = await makeTempDir(t, 'azc-packer-');
  const state = `${dir}/state`;
  const sandbox = await createSandbox(t);
  const emulator = await startSandboxedEmulator(sandbox, state, { recordTraffic: true });
  deferStack(t)(() => emulator.stop());

  await createGallery(sandbox, emulator.endpoints);
  // The emulated VM has its own OS disk; the build must add no disk or snapshot beyond what exists now.
  const before = await resourcesByType(state);
  const idsBefore = (type: string) => (before.get(type.toLowerCase()) ?? []).map((r) => r.id.toLowerCase());
  const template = await writeTemplate(dir, emulator.endpoints);
  const build = await runPacker(sandbox, dir, template, emulator.endpoints);
  const imageId = `${groupPrefix(emulator.endpoints)}/images/${IMAGE_NAME}`;
  const versionId = `${groupPrefix(emulator.endpoints)}/galleries/${GALLERY}/images/${IMAGE_DEFINITION}/versions/${IMAGE_VERSION}`;
  const context = `packer output:\n${build.output}\nemulator stderr:\n${emulator.stderr()}`;
  assert.equal(build.code, 0, context);
  assert.match(build.output, /Azure resources created:/, context);
  const printed = build.output.toLowerCase();
  assert.ok(printed.includes(imageId.toLowerCase()), `the artifact names the image ${imageId}\n${context}`);
  assert.ok(printed.includes(versionId.toLowerCase()), `the artifact names the gallery version ${versionId}\n${context}`);

  // Every Compute request Packer sent and every answer it got matches the API definitions of its api-version.
  const traffic = checkTraffic(readTraffic(`${state}/traffic.jsonl`));
  assert.ok(traffic.checked >= 10, `checked ${traffic.checked} requests`);
  assert.deepEqual([...new Set(traffic.unchecked)], [], 'every api-version Packer used has definitions');
  assert.equal(traffic.violations.length, 0, describe(traffic.violations));

  const resources = await resourcesByType(state);
  const ids = (type: string) => (resources.get(type.toLowerCase()) ?? []).map((r) => r.id.toLowerCase());
  assert.deepEqual(ids('Microsoft.Compute/images'), [imageId.toLowerCase()]);
  assert.deepEqual(ids('Microsoft.Compute/galleries/images/versions'), [versionId.toLowerCase()]);
  assert.deepEqual(ids('Microsoft.Compute/disks'), idsBefore('Microsoft.Compute/disks'), 'the temporary OS disk was deleted');
  assert.ok(!ids('Microsoft.Compute/disks').some((id) => id.includes('packertemp')), 'no PackerTemp disk');
  assert.deepEqual(ids('Microsoft.Compute/snapshots'), [], 'the temporary snapshot was deleted');

  // Packer detached the disk; nothing may remain attached or mounted, in the sandbox or on the host.
  assert.deepEqual(loopsUnder(state), [], 'no loop device backs a blob of this state');
  assert.deepEqual(mountsMatching(dir, [], sandbox.holderPid), [], 'no mount left in the sandbox');
  assert.deepEqual(mountsMatching(dir), [], 'no mount left on the host');
  assert.equal(JSON.parse(readFileSync(`${state}/attachments.json`, 'utf8')).length, 0, 'no recorded attachment');

  // The image really holds what the pre_mount_commands made: a DOS label with one Linux partition.
  await exportCommand({ state, resourceId: imageId, file: `${dir}/image.raw`, format: 'raw' });
  const table = execFileSync('sfdisk', ['--dump', `${dir}/image.raw`], { encoding: 'utf8' });
  assert.match(table, /label: dos/);
  assert.match(table, /type=83/);

  await emulator.stop();
  assert.deepEqual(loopsUnder(state), []);
});
