// End-to-end builds per output: managed image only, gallery version only, both (identical data),
// and skip_create_image (nothing published, nothing temporary left).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { apiBuild, cliBuild, imageId, skipReason, startE2e, testDir, versionId, type E2eEnv, type TestDir } from './helpers/harness.js';
import { exportedHash, withMountedExport } from './helpers/mounted-export.js';
import { hclCommon, hclGallery, hclTemplate, nextVersion, writeIn } from './helpers/templates.js';
import { resourcesOfType } from './helpers/leftovers.js';

const skip = skipReason();
let env: E2eEnv;

before(async () => {
  if (!skip) env = await startE2e();
});
after(async () => {
  await env?.close();
});

const PROVISION = `
  provisioner "shell" {
    inline           = ["echo \\"output $OUT\\" > /etc/azc-build"]
    environment_vars = ["OUT=\${source.name}"]
  }`;

/** Writes a template from the latest Debian image with `outputs` lines; returns its path. */
function template(td: TestDir, name: string, outputs: string): Promise<string> {
  return writeIn(td, `${name}.pkr.hcl`, hclTemplate(name, `
  source = "credativ:Debian:9:latest"
  ${hclCommon(td)}
  ${outputs}`, PROVISION));
}

const counts = () => ({
  images: resourcesOfType(env.stateDir, 'images').length,
  versions: resourcesOfType(env.stateDir, 'galleries/images/versions').length,
});

test('managed image only: one image, no gallery version', { skip }, async (t) => {
  const td = await testDir(t, env);
  const before_ = counts();
  const image = imageId(env, 'out-image-only');
  const { outcomes } = await apiBuild(env, td, await template(td, 'imageonly', `image_resource_id = "${image}"`));
  assert.deepEqual(outcomes[0]?.resources, [image]);
  assert.deepEqual(counts(), { images: before_.images + 1, versions: before_.versions });
  assert.ok(await env.azure.images.get(image));
  await withMountedExport(env.stateDir, image, td.dir, async (m) => {
    assert.equal(await m.text('etc/azc-build'), 'output imageonly\n');
  });
});

test('gallery version only: one version in the definition, no managed image', { skip }, async (t) => {
  const td = await testDir(t, env);
  const before_ = counts();
  const version = nextVersion();
  const res = await cliBuild(env, td, await template(td, 'galleryonly', hclGallery(env, 'quickstart', version)));
  assert.equal(res.code, 0, res.output);
  const id = versionId(env, 'quickstart', version);
  assert.match(res.stdout, new RegExp(`Azure resources created:\\n${id}\\n`));
  assert.deepEqual(counts(), { images: before_.images, versions: before_.versions + 1 });
  const info = await env.azure.gallery.getVersion(id);
  assert.equal(info?.provisioningState, 'Succeeded');
  assert.deepEqual(info?.targetRegions.map((r) => r.toLowerCase()), [env.endpoints.location]);
  await withMountedExport(env.stateDir, id, td.dir, async (m) => {
    assert.equal(await m.text('etc/azc-build'), 'output galleryonly\n');
  });
});

test('managed image and gallery version: both exist and hold identical data', { skip }, async (t) => {
  const td = await testDir(t, env);
  const before_ = counts();
  const version = nextVersion();
  const image = imageId(env, 'out-both');
  const { outcomes } = await apiBuild(env, td, await template(td, 'both', `image_resource_id = "${image}"\n${hclGallery(env, 'quickstart', version)}`));
  const id = versionId(env, 'quickstart', version);
  assert.deepEqual([...(outcomes[0]?.resources ?? [])].sort(), [image, id].sort());
  assert.deepEqual(counts(), { images: before_.images + 1, versions: before_.versions + 1 });
  const [a, b] = [await exportedHash(env.stateDir, image, td.dir), await exportedHash(env.stateDir, id, td.dir)];
  assert.equal(a, b, 'the image and the version were captured from the same disk');
  await withMountedExport(env.stateDir, id, td.dir, async (m) => {
    assert.equal(await m.text('etc/azc-build'), 'output both\n');
  });
});

test('skip_create_image: provisioners run, but no image, no version and no temporary resource remain', { skip }, async (t) => {
  const td = await testDir(t, env);
  const before_ = counts();
  const version = nextVersion();
  const marker = `${td.dir}/provisioned`;
  const path = await writeIn(td, 'skip.pkr.hcl', hclTemplate('skip', `
  source = "credativ:Debian:9:latest"
  ${hclCommon(td)}
  skip_create_image = true
  image_resource_id = "${imageId(env, 'out-skipped')}"
  ${hclGallery(env, 'quickstart', version)}`, `
  provisioner "shell-local" { inline = ["touch ${marker}"] }`));
  const res = await cliBuild(env, td, path);
  assert.equal(res.code, 0, res.output);
  assert.match(res.output, /[Ss]kipping image creation/);
  assert.doesNotMatch(res.stdout, /Azure resources created:\n\/subscriptions/);
  assert.deepEqual(counts(), before_);
  assert.equal(await env.azure.gallery.getVersion(versionId(env, 'quickstart', version)), undefined);
  assert.equal(await env.azure.images.get(imageId(env, 'out-skipped')), undefined);
  assert.ok(existsSync(marker), 'the provisioners ran');
});
