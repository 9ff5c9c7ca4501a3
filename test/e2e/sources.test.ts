// End-to-end builds from every kind of source: platform image (explicit version and `latest`),
// managed disk, gallery image version with a data disk, and from_scratch.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiBuild, cliBuild, DEBIAN, imageId, skipReason, startE2e, testDir, versionId, type E2eEnv } from './helpers/harness.js';
import { withMountedExport } from './helpers/mounted-export.js';
import { hclCommon, hclGallery, hclTemplate, nextVersion, readManifest, writeIn } from './helpers/templates.js';
import { resourcesOfType } from './helpers/leftovers.js';

const skip = skipReason();
const DATA = { publisher: 'azc', offer: 'data', sku: 'disk', versions: ['1.0.0'] };
let env: E2eEnv;

before(async () => {
  if (!skip) env = await startE2e([DEBIAN, DATA]);
});
after(async () => {
  await env?.close();
});

const OLD = 'credativ:Debian:9:9.20190101.0';
const platformTail = (version: string) => `/providers/Microsoft.Compute/locations/westeurope/publishers/credativ/ArtifactTypes/vmimage/offers/Debian/skus/9/versions/${version}`;

test('platform image with an explicit version: that version is the base, SourceImageName names it (HCL)', { skip }, async (t) => {
  const td = await testDir(t, env);
  const image = imageId(env, 'src-explicit');
  const manifest = join(td.dir, 'manifest.json');
  const path = await writeIn(td, 'explicit.pkr.hcl', hclTemplate('explicit', `
  source = "${OLD}"
  ${hclCommon(td)}
  image_resource_id = "${image}"`, `
  provisioner "shell" { inline = ["echo explicit > /etc/azc-build"] }
  post-processor "manifest" {
    output      = "${manifest}"
    custom_data = { source_image_name = "\${build.SourceImageName}" }
  }`));
  const { outcomes } = await apiBuild(env, td, path);
  assert.deepEqual(outcomes[0]?.resources, [image]);
  const entry = (await readManifest(manifest)).builds[0];
  assert.equal(entry?.custom_data?.source_image_name, `/subscriptions/${env.endpoints.subscriptionId}${platformTail('9.20190101.0')}`);
  await withMountedExport(env.stateDir, image, td.dir, async (m) => {
    assert.equal(await m.text('etc/azc-version'), '9-9.20190101.0\n');
    assert.equal(await m.text('etc/azc-build'), 'explicit\n');
  });
});

test('platform image "latest" resolves to the newest registered version (JSON, CLI, {{ build `SourceImageName` }})', { skip }, async (t) => {
  const td = await testDir(t, env);
  const image = imageId(env, 'src-latest');
  const template = {
    builders: [{ type: 'azure-chroot', source: 'credativ:Debian:9:latest', mount_path: `${td.mnt}/{{.Device}}`, image_resource_id: image }],
    'post-processors': [{ type: 'manifest', output: 'm.json', custom_data: { source_image_name: '{{ build `SourceImageName` }}' } }],
  };
  const path = await writeIn(td, 'latest.json', JSON.stringify(template, null, 2));
  const res = await cliBuild(env, td, path);
  assert.equal(res.code, 0, res.output);
  assert.match(res.output, /credativ:Debian:9:latest is 9\.20200722\.0/);
  assert.match(res.stdout, new RegExp(`Azure resources created:\\n${image}`));
  const entry = (await readManifest(join(td.dir, 'm.json'))).builds[0];
  assert.ok(entry?.custom_data?.source_image_name?.endsWith(platformTail('9.20200722.0')), JSON.stringify(entry));
  await withMountedExport(env.stateDir, image, td.dir, async (m) => {
    assert.equal(await m.text('etc/azc-version'), '9-9.20200722.0\n');
  });
});

test('managed disk source: the build copies the disk and leaves the source disk unchanged', { skip }, async (t) => {
  const td = await testDir(t, env);
  const loc = env.endpoints.location;
  const ref = { location: loc, publisher: 'credativ', offer: 'Debian', sku: '9' };
  const platform = await env.azure.platformImages.get(ref, '9.20190101.0');
  assert.ok(platform, 'the registered platform image is visible');
  const sourceDisk = `${env.prefix}/disks/e2e-source-disk`;
  td.defer(() => env.azure.disks.delete(sourceDisk).catch(() => undefined));
  await env.azure.disks.create(sourceDisk, { location: loc, sku: 'Standard_LRS', osType: 'Linux', hyperVGeneration: 'V1', creation: { createOption: 'FromImage', imageReferenceId: platform.id } });
  const image = imageId(env, 'src-disk');
  const path = await writeIn(td, 'disk.pkr.hcl', hclTemplate('fromdisk', `
  source = "${sourceDisk}"
  ${hclCommon(td)}
  image_resource_id = "${image}"`, `
  provisioner "shell" { inline = ["echo from-disk > /etc/azc-build"] }
  provisioner "shell-local" {
    inline           = ["echo \\"$SRC\\" > ${td.dir}/source-name"]
    environment_vars = ["SRC=\${build.SourceImageName}"]
  }`));
  const { outcomes } = await apiBuild(env, td, path);
  assert.deepEqual(outcomes[0]?.resources, [image]);
  await withMountedExport(env.stateDir, image, td.dir, async (m) => {
    assert.equal(await m.text('etc/azc-version'), '9-9.20190101.0\n');
    assert.equal(await m.text('etc/azc-build'), 'from-disk\n');
  });
  await withMountedExport(env.stateDir, sourceDisk, td.dir, async (m) => {
    assert.equal(await m.read('etc/azc-build'), undefined, 'the source disk was copied, not modified');
  });
  assert.equal(await readFile(join(td.dir, 'source-name'), 'utf8'), `${sourceDisk}\n`, 'SourceImageName of a disk source is its id');
  await env.azure.disks.delete(sourceDisk);
});

test('gallery version with a data disk as source: the new version has the data disk image at the same LUN', { skip }, async (t) => {
  const td = await testDir(t, env);
  const loc = env.endpoints.location;
  const osDisk = `${env.prefix}/disks/e2e-seed-os`;
  const dataDisk = `${env.prefix}/disks/e2e-seed-data`;
  const seed = versionId(env, 'quickstart', nextVersion());
  td.defer(async () => {
    for (const d of [osDisk, dataDisk]) await env.azure.disks.delete(d).catch(() => undefined);
  });
  const debian = await env.azure.platformImages.get({ location: loc, publisher: 'credativ', offer: 'Debian', sku: '9' }, '9.20200722.0');
  const data = await env.azure.platformImages.get({ location: loc, publisher: 'azc', offer: 'data', sku: 'disk' }, '1.0.0');
  assert.ok(debian && data);
  await env.azure.disks.create(osDisk, { location: loc, sku: 'Standard_LRS', osType: 'Linux', creation: { createOption: 'FromImage', imageReferenceId: debian.id } });
  await env.azure.disks.create(dataDisk, { location: loc, sku: 'Standard_LRS', creation: { createOption: 'FromImage', imageReferenceId: data.id } });
  await env.azure.gallery.createVersion(seed, {
    location: loc, osSnapshotId: osDisk, dataDisks: [{ lun: 3, snapshotId: dataDisk }],
    targetRegions: [{ name: loc, replicas: 1, storageAccountType: 'Standard_LRS' }], excludeFromLatest: false,
  });
  for (const d of [osDisk, dataDisk]) await env.azure.disks.delete(d);

  const version = nextVersion();
  const path = await writeIn(td, 'gallery.pkr.hcl', hclTemplate('fromgallery', `
  source = "${seed}"
  ${hclCommon(td)}
  ${hclGallery(env, 'quickstart', version)}`, `
  provisioner "shell" { inline = ["echo from-gallery > /etc/azc-build"] }`));
  const { outcomes, reporter } = await apiBuild(env, td, path);
  const published = versionId(env, 'quickstart', version);
  assert.deepEqual(outcomes[0]?.resources, [published]);
  assert.match(reporter.text(), /PackerTemp-datadisk|datadisk/i, 'a temporary data disk was created');
  const info = await env.azure.gallery.getVersion(published);
  assert.deepEqual(info?.dataDiskLuns, [3]);
  await withMountedExport(env.stateDir, published, td.dir, async (m) => {
    assert.equal(await m.text('etc/azc-version'), '9-9.20200722.0\n');
    assert.equal(await m.text('etc/azc-build'), 'from-gallery\n');
  });
  await withMountedExport(env.stateDir, published, td.dir, async (m) => {
    assert.equal(await m.text('etc/azc-version'), 'disk-1.0.0\n', 'the data disk image carries the source data disk content');
  }, 3);
});

test('from_scratch: an empty disk partitioned (GPT) and filled by the template becomes the image', { skip }, async (t) => {
  const td = await testDir(t, env);
  const image = imageId(env, 'src-scratch');
  const imagesBefore = resourcesOfType(env.stateDir, 'images').length;
  const path = await writeIn(td, 'scratch.pkr.hcl', hclTemplate('scratch', `
  from_scratch    = true
  os_disk_size_gb = 1
  ${hclCommon(td)}
  pre_mount_commands = [
    "printf 'label: gpt\\\\n,,L\\\\n' | sfdisk --quiet {{.Device}}",
    "partx -u {{.Device}} || true",
    "mkfs.ext4 -q -F -L scratch {{.Device}}p1",
  ]
  post_mount_commands = [
    "mkdir -p {{.MountPath}}/bin {{.MountPath}}/etc {{.MountPath}}/tmp {{.MountPath}}/usr/sbin",
    "cp /bin/busybox {{.MountPath}}/bin/busybox",
    "chroot {{.MountPath}} /bin/busybox --install -s /bin",
  ]
  chroot_mounts = [["proc", "proc", "/proc"], ["bind", "/dev", "/dev"]]
  image_resource_id = "${image}"`, `
  provisioner "shell" { inline = ["echo scratch > /etc/azc-build"] }`));
  const res = await cliBuild(env, td, path);
  assert.equal(res.code, 0, res.output);
  assert.equal(resourcesOfType(env.stateDir, 'images').length, imagesBefore + 1);
  await withMountedExport(env.stateDir, image, td.dir, async (m) => {
    assert.equal(await m.text('etc/azc-build'), 'scratch\n');
    assert.deepEqual(await m.read('bin/sh'), { kind: 'link', target: '/bin/busybox' });
    assert.equal(await m.read('etc/azc-version'), undefined);
  });
});
