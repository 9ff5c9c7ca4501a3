// The seed examples, unchanged, built through the CLI against the emulator with credativ:Debian:9
// registered (two versions: `latest` must pick the newer). Their `apt-get` calls reach the base
// image's logging stand-in, so the log in the published image proves the provisioners ran.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cliBuild, REPO, skipReason, startE2e, testDir, type CliResult, type E2eEnv, type TestDir } from './helpers/harness.js';
import { DEFAULT_MOUNT_ROOT, resourcesOfType } from './helpers/leftovers.js';
import { withMountedExport, type Mounted } from './helpers/mounted-export.js';
import { readManifest } from './helpers/templates.js';

const skip = skipReason();
let env: E2eEnv;

before(async () => {
  if (!skip) env = await startE2e(undefined, { directory: { applications: [{ appId: '11111111-2222-3333-4444-555555555555', secrets: ['e2e-not-a-real-secret'] }] } });
});
after(async () => {
  await env?.close();
});

const example = (name: string) => join(REPO, 'examples', name);

/** Builds an example from the test directory; returns the CLI result and the one new managed image. */
async function buildExample(td: TestDir, name: string, cliEnv: Record<string, string> = {}): Promise<{ res: CliResult; image: string }> {
  const before_ = new Set(resourcesOfType(env.stateDir, 'images').map((r) => r.id));
  const dirsBefore = new Set(existsSync(DEFAULT_MOUNT_ROOT) ? readdirSync(DEFAULT_MOUNT_ROOT) : []);
  const res = await cliBuild(env, td, example(name), [], cliEnv);
  assert.equal(res.code, 0, res.output);
  const created = resourcesOfType(env.stateDir, 'images').map((r) => r.id).filter((id) => !before_.has(id));
  assert.equal(created.length, 1, `one new managed image: ${created.join(', ')}`);
  const image = created[0]!;
  // The examples name their image after {{timestamp}} (seconds): the next example, built within the
  // same second, must not find this one there.
  td.defer(() => env.azure.images.delete(image));
  assert.ok(res.stdout.includes(`Azure resources created:\n${image}\n`), res.stdout);
  // The default mount path was used, and the directory made for it is gone again.
  const mountPath = /mounting \/dev\/loop\d+p1 at (\/mnt\/packer-azure-chroot-disks\/loop\d+)/.exec(res.output)?.[1];
  assert.ok(mountPath, 'the root was mounted under the default mount path');
  // azchroot removes only a directory it made; another build on this host may have left this one.
  if (!dirsBefore.has(basename(mountPath))) assert.equal(existsSync(mountPath), false, `${mountPath} is removed after the build`);
  return { res, image };
}

/** The image is the newest Debian 9 base with the example's apt-get calls logged in it. */
async function assertAptRan(td: TestDir, image: string, res: CliResult): Promise<void> {
  assert.match(res.output, /\+ apt-get update/, 'inline_shebang /bin/sh -x traces the commands');
  await withMountedExport(env.stateDir, image, td.dir, async (m: Mounted) => {
    assert.equal(await m.text('etc/azc-version'), '9-9.20200722.0\n');
    assert.equal(await m.text('var/log/azc-apt-get.log'), 'apt-get update\napt-get upgrade -y\n');
    assert.deepEqual(await m.read('etc/resolv.conf'), { kind: 'link', target: '../run/resolv.conf' });
    assert.equal(await m.read('usr/sbin/policy-rc.d'), undefined, 'the policy-rc.d guard is removed');
  });
}

test('examples/managed-identity.pkr.hcl builds and runs apt-get in the chroot', { skip }, async (t) => {
  const td = await testDir(t, env);
  const { res, image } = await buildExample(td, 'managed-identity.pkr.hcl');
  assert.match(image, /\/images\/MyDebianOSImage-\d+$/);
  assert.match(res.output, /managed identity/);
  await assertAptRan(td, image, res);
});

test('examples/managed-identity.json builds and runs apt-get in the chroot', { skip }, async (t) => {
  const td = await testDir(t, env);
  const { res, image } = await buildExample(td, 'managed-identity.json');
  assert.match(image, /\/images\/MyDebianOSImage-\d+$/);
  await assertAptRan(td, image, res);
});

test('examples/service-principal.json builds with ARM_* settings from the environment', { skip }, async (t) => {
  const td = await testDir(t, env);
  const { res, image } = await buildExample(td, 'service-principal.json', {
    ARM_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
    ARM_CLIENT_SECRET: 'e2e-not-a-real-secret',
    ARM_SUBSCRIPTION_ID: env.endpoints.subscriptionId,
    ARM_IMAGE_RESOURCEGROUP_ID: env.endpoints.resourceGroup,
  });
  assert.ok(image.startsWith(`/subscriptions/${env.endpoints.subscriptionId}/resourceGroups/${env.endpoints.resourceGroup}/`));
  assert.match(res.output, /using service principal 11111111-2222-3333-4444-555555555555 \(client secret\)/);
  assert.doesNotMatch(res.output, /e2e-not-a-real-secret/, 'the client secret is never printed');
  await assertAptRan(td, image, res);
});

for (const name of ['source-image-name.pkr.hcl', 'source-image-name.json']) {
  test(`examples/${name} writes SourceImageName of the resolved latest version into the manifest`, { skip }, async (t) => {
    const td = await testDir(t, env);
    const { image } = await buildExample(td, name);
    assert.match(image, /\/images\/debian-\d+$/);
    const manifest = await readManifest(join(td.dir, 'manifest.json'));
    assert.equal(manifest.builds.length, 1);
    assert.equal(manifest.builds[0]?.artifact_id, image.toLowerCase());
    assert.equal(manifest.builds[0]?.custom_data?.source_image_name,
      `/subscriptions/${env.endpoints.subscriptionId}/providers/Microsoft.Compute/locations/${env.endpoints.location}/publishers/credativ/ArtifactTypes/vmimage/offers/Debian/skus/9/versions/9.20200722.0`);
    await withMountedExport(env.stateDir, image, td.dir, async (m) => {
      assert.equal(await m.text('etc/azc-version'), '9-9.20200722.0\n');
      assert.deepEqual(await m.read('etc/resolv.conf'), { kind: 'link', target: '../run/resolv.conf' });
    });
  });
}

test('examples/chroot-mounts.json mounts only /proc and /dev in the chroot', { skip }, async (t) => {
  const td = await testDir(t, env);
  const { res, image } = await buildExample(td, 'chroot-mounts.json');
  assert.match(res.output, /mounting \/proc\b/);
  assert.match(res.output, /mounting \/dev\b/);
  assert.doesNotMatch(res.output, /mounting \/sys\b/);
  assert.doesNotMatch(res.output, /mounting \/dev\/pts\b/);
  await withMountedExport(env.stateDir, image, td.dir, async (m) => {
    assert.equal(await m.text('etc/azc-version'), '9-9.20200722.0\n');
    assert.deepEqual(await m.read('etc/resolv.conf'), { kind: 'link', target: '../run/resolv.conf' });
  });
});

test('examples/quickstart.pkr.hcl (the README\'s first command) publishes an image and a gallery version with the provisioned files', { skip }, async (t) => {
  const td = await testDir(t, env);
  const res = await cliBuild(env, td, example('quickstart.pkr.hcl'));
  assert.equal(res.code, 0, res.output);
  const manifest = await readManifest(join(td.dir, 'quickstart-manifest.json'));
  assert.equal(manifest.builds.length, 1);
  const ids = manifest.builds[0]!.artifact_id.split(',');
  const version = ids.find((id) => id.includes('/galleries/azchroot_gallery/images/quickstart/versions/'));
  const image = ids.find((id) => id.includes('/images/quickstart-'));
  assert.ok(version && image, `artifact: ${manifest.builds[0]!.artifact_id}`);
  const motd = readFileSync(example('files/motd'), 'utf8');
  for (const id of [image!, version!]) {
    await withMountedExport(env.stateDir, id, td.dir, async (m) => {
      assert.equal(await m.text('etc/motd'), motd, 'the file provisioner uploaded examples/files/motd');
      assert.equal(await m.text('etc/os-release'), 'NAME="azchroot quickstart"\n');
      assert.match((await m.text('etc/build-info')) ?? '', /^built on \d{4}-\d\d-\d\dT.* from quickstart\n$/);
      assert.deepEqual(await m.read('bin/sh'), { kind: 'link', target: '/bin/busybox' });
    });
  }
});
