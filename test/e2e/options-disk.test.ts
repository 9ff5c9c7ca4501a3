// End-to-end builds with options about the disk and the image: mount_path with {{.Device}},
// os_disk_size_gb growing a platform disk, image_hyperv_generation inferred from the source.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { layout } from '../../src/emulator/state-layout.js';
import { apiBuild, cliBuild, DEBIAN, imageId, skipReason, startE2e, testDir, versionId, type E2eEnv } from './helpers/harness.js';
import { resourcesOfType } from './helpers/leftovers.js';
import { exportedSize, withMountedExport } from './helpers/mounted-export.js';
import { hclGallery, hclTemplate, nextVersion, writeIn } from './helpers/templates.js';
import { DISK_MIB } from './helpers/base-image.js';

const skip = skipReason();
const GEN2 = { publisher: 'azc', offer: 'gen2', sku: 'v2', versions: ['1.0.0'], label: 'gpt' as const, hyperVGeneration: 'V2' as const };
let env: E2eEnv;

before(async () => {
  if (!skip) env = await startE2e([DEBIAN, GEN2]);
});
after(async () => {
  await env?.close();
});

/** How many requests of `operation` the emulator has answered so far. */
async function requestCount(operation: string): Promise<number> {
  const text = await readFile(layout.requestLog(env.stateDir), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.includes(`"operation":"${operation}"`)).length;
}

test('mount_path with {{.Device}}: the root is mounted at the rendered path, seen by shell-local, and removed afterwards', { skip }, async (t) => {
  const td = await testDir(t, env);
  const seen = join(td.dir, 'seen');
  const image = imageId(env, 'opt-mount-path');
  const path = await writeIn(td, 'mp.pkr.hcl', hclTemplate('mp', `
  source            = "credativ:Debian:9:latest"
  mount_path        = "${td.mnt}/root-of-{{.Device}}"
  image_resource_id = "${image}"`, `
  provisioner "shell-local" {
    inline = [
      "echo \\"$AZCHROOT_DEVICE $AZCHROOT_MOUNT_PATH\\" > ${seen}",
      "test -f \\"$AZCHROOT_MOUNT_PATH/etc/azc-version\\" && echo mounted >> ${seen}",
    ]
  }`));
  await apiBuild(env, td, path);
  const [line, mounted] = (await readFile(seen, 'utf8')).trim().split('\n');
  const [device, mountPath] = (line ?? '').split(' ');
  assert.match(device ?? '', /^\/dev\/loop\d+$/);
  assert.equal(mountPath, `${td.mnt}/root-of-${basename(device ?? '')}`);
  assert.equal(mounted, 'mounted', 'the root file system was mounted there');
  assert.equal(existsSync(mountPath ?? '/nonexistent'), false, 'the mount directory azchroot created is removed');
  await withMountedExport(env.stateDir, image, td.dir, async (m) => {
    assert.equal(await m.text('etc/azc-version'), '9-9.20200722.0\n');
  });
});

test('os_disk_size_gb grows a platform image disk; the partition and file system are kept', { skip }, async (t) => {
  const td = await testDir(t, env);
  const image = imageId(env, 'opt-grow');
  const path = await writeIn(td, 'grow.pkr.hcl', hclTemplate('grow', `
  source            = "credativ:Debian:9:9.20200722.0"
  os_disk_size_gb   = 2
  mount_path        = "${td.mnt}/{{.Device}}"
  image_resource_id = "${image}"`, `
  provisioner "shell-local" { inline = ["blockdev --getsize64 $AZCHROOT_DEVICE > ${td.dir}/size"] }`));
  await apiBuild(env, td, path);
  const GIB = 1024 ** 3;
  assert.equal(Number(await readFile(join(td.dir, 'size'), 'utf8')), 2 * GIB, 'the attached device has the new size');
  assert.equal(await exportedSize(env.stateDir, image), 2 * GIB);
  assert.ok(2 * GIB > DISK_MIB * 1024 * 1024);
  await withMountedExport(env.stateDir, image, td.dir, async (m) => {
    assert.equal(await m.text('etc/azc-version'), '9-9.20200722.0\n');
  });
});

test('image_hyperv_generation inferred: a V2 platform image publishes into the V2 definition without setting it', { skip }, async (t) => {
  const td = await testDir(t, env);
  const version = nextVersion();
  const image = imageId(env, 'opt-gen2');
  const path = await writeIn(td, 'gen2.pkr.hcl', hclTemplate('gen2', `
  source            = "azc:gen2:v2:latest"
  mount_path        = "${td.mnt}/{{.Device}}"
  image_resource_id = "${image}"
  ${hclGallery(env, 'quickstart-gen2', version)}`));
  const res = await cliBuild(env, td, path);
  assert.equal(res.code, 0, res.output);
  const stored = resourcesOfType(env.stateDir, 'images').find((r) => r.id.toLowerCase() === image.toLowerCase());
  assert.equal((stored?.body.properties as Record<string, unknown> | undefined)?.hyperVGeneration, 'V2');
  const id = versionId(env, 'quickstart-gen2', version);
  assert.equal((await env.azure.gallery.getVersion(id))?.provisioningState, 'Succeeded');
  await withMountedExport(env.stateDir, id, td.dir, async (m) => {
    assert.equal(await m.text('etc/azc-version'), 'v2-1.0.0\n');
  });
});

test('a V1 source into the V2 definition fails before any disk is created, naming both generations', { skip }, async (t) => {
  const td = await testDir(t, env);
  const version = nextVersion();
  const path = await writeIn(td, 'mismatch.pkr.hcl', hclTemplate('mismatch', `
  source     = "credativ:Debian:9:latest"
  mount_path = "${td.mnt}/{{.Device}}"
  ${hclGallery(env, 'quickstart-gen2', version)}`));
  const disksBefore = await requestCount('disks.createOrUpdate');
  const definitionReads = await requestCount('galleryImages.get');
  const res = await cliBuild(env, td, path);
  assert.equal(res.code, 1, res.output);
  assert.match(res.stderr, /generation/i);
  assert.match(res.stderr, /V1/);
  assert.match(res.stderr, /V2/);
  assert.match(res.stderr, /quickstart-gen2/);
  assert.ok(await requestCount('galleryImages.get') > definitionReads, 'the request log is read (the definition was checked)');
  assert.equal(await requestCount('disks.createOrUpdate'), disksBefore, 'no disk was created');
  assert.equal(await env.azure.gallery.getVersion(versionId(env, 'quickstart-gen2', version)), undefined);
});
