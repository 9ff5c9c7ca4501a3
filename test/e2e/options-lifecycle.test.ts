// End-to-end builds with options that change what happens around provisioning: skip_cleanup,
// copy_files, custom chroot_mounts, command_wrapper.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listJournals } from '../../src/ledger/journal.js';
import { apiBuild, cliBuild, imageId, runCli, skipReason, startE2e, testDir, versionId, type E2eEnv } from './helpers/harness.js';
import { findLeftovers, temporaryDisks } from './helpers/leftovers.js';
import { withMountedExport } from './helpers/mounted-export.js';
import { hclCommon, hclGallery, hclTemplate, nextVersion, writeIn } from './helpers/templates.js';

const skip = skipReason();
let env: E2eEnv;

before(async () => {
  if (!skip) env = await startE2e();
});
after(async () => {
  await env?.close();
});

test('skip_cleanup keeps the temporary disk and snapshot, lists them, and `azchroot cleanup --build-id` removes them', { skip }, async (t) => {
  const td = await testDir(t, env);
  const version = nextVersion();
  const path = await writeIn(td, 'keep.pkr.hcl', hclTemplate('keep', `
  source       = "credativ:Debian:9:latest"
  skip_cleanup = true
  ${hclCommon(td)}
  ${hclGallery(env, 'quickstart', version)}`));
  const res = await cliBuild(env, td, path);
  assert.equal(res.code, 0, res.output);
  const kept = temporaryDisks(env.stateDir, env.vm.name);
  assert.equal(kept.length, 2, `one disk and one snapshot kept: ${kept.join(', ')}`);
  assert.ok(kept.some((id) => /\/disks\/PackerTemp-osdisk-/.test(id)) && kept.some((id) => /\/snapshots\/PackerTemp-osdisk-snapshot-/.test(id)));
  for (const id of kept) assert.ok(res.stdout.includes(`${id}\n`), `the artifact lists ${id}`);
  assert.ok(res.stdout.includes(versionId(env, 'quickstart', version)));
  // The leftover check sees them (so it would catch a real leak), but nothing on the host is kept.
  const left = findLeftovers(env.stateDir, env.vm.name, [td.dir, env.stateDir]);
  assert.deepEqual(left.filter((l) => !l.startsWith('resource ')), []);
  assert.equal(left.length, 2);

  const [buildId] = listJournals(td.journal, true);
  assert.ok(buildId, 'the build journal names the build');
  const clean = await runCli(['cleanup', '--build-id', buildId, '--emulator', env.stateDir, '--state-dir', td.journal]);
  assert.equal(clean.code, 0, clean.output);
  assert.deepEqual(temporaryDisks(env.stateDir, env.vm.name), []);
  assert.ok(await env.azure.gallery.getVersion(versionId(env, 'quickstart', version)), 'cleanup never removes outputs');
  await withMountedExport(env.stateDir, versionId(env, 'quickstart', version), td.dir, async (m) => {
    assert.equal(await m.text('etc/azc-version'), '9-9.20200722.0\n');
  });
});

test('copy_files: host files are present during provisioning; the image keeps its own resolv.conf symlink', { skip }, async (t) => {
  const td = await testDir(t, env);
  const hostFile = join(td.dir, 'host-note.txt');
  await writeFile(hostFile, 'from the host\n');
  const image = imageId(env, 'opt-copy');
  const path = await writeIn(td, 'copy.pkr.hcl', hclTemplate('copy', `
  source     = "credativ:Debian:9:latest"
  copy_files = ["/etc/resolv.conf", "${hostFile}"]
  ${hclCommon(td)}
  image_resource_id = "${image}"`, `
  provisioner "shell" {
    inline = [
      "mkdir -p /root/seen",
      "cat /etc/resolv.conf > /root/seen/resolv",
      "test ! -L /etc/resolv.conf && echo regular-file > /root/seen/resolv-kind",
      "cat ${hostFile} > /root/seen/note",
    ]
  }`));
  await apiBuild(env, td, path);
  const hostResolv = await readFile('/etc/resolv.conf', 'utf8');
  await withMountedExport(env.stateDir, image, td.dir, async (m) => {
    assert.equal(await m.text('root/seen/resolv'), hostResolv);
    assert.equal(await m.text('root/seen/resolv-kind'), 'regular-file\n');
    assert.equal(await m.text('root/seen/note'), 'from the host\n');
    // Unlike Packer (which deletes it), the image's original symlink is back.
    assert.deepEqual(await m.read('etc/resolv.conf'), { kind: 'link', target: '../run/resolv.conf' });
    assert.equal(await m.read(hostFile.slice(1)), undefined, 'a copied file the image did not have is removed');
    assert.deepEqual((await readdir(join(m.root, 'etc'))).filter((n) => n.startsWith('.azchroot-orig')), []);
  });
});

test('custom chroot_mounts: exactly the listed mounts (tmpfs, a bind of a host directory) exist in the chroot', { skip }, async (t) => {
  const td = await testDir(t, env);
  const share = join(td.dir, 'share');
  await mkdir(share);
  await writeFile(join(share, 'hello'), 'shared\n');
  const image = imageId(env, 'opt-mounts');
  const path = await writeIn(td, 'mounts.pkr.hcl', hclTemplate('mounts', `
  source        = "credativ:Debian:9:latest"
  chroot_mounts = [["proc", "proc", "/proc"], ["tmpfs", "tmpfs", "/var/scratch"], ["bind", "${share}", "/srv/share"]]
  ${hclCommon(td)}
  image_resource_id = "${image}"`, `
  provisioner "shell" {
    inline = [
      "mkdir -p /root/seen",
      "cat /srv/share/hello > /root/seen/share",
      "awk '$2 == \\"/var/scratch\\" { print $3 }' /proc/mounts > /root/seen/scratch-fs",
      "echo in-tmpfs > /var/scratch/file",
      "ls /sys | wc -l > /root/seen/sys-entries",
    ]
  }`));
  await apiBuild(env, td, path);
  await withMountedExport(env.stateDir, image, td.dir, async (m) => {
    assert.equal(await m.text('root/seen/share'), 'shared\n');
    assert.equal(await m.text('root/seen/scratch-fs'), 'tmpfs\n');
    assert.equal((await m.text('root/seen/sys-entries'))?.trim(), '0', 'sysfs is not mounted when chroot_mounts omits it');
    assert.deepEqual(await m.read('var/scratch'), { kind: 'dir' });
    assert.equal(await m.read('var/scratch/file'), undefined, 'what was written to the tmpfs is not in the image');
    assert.equal(await m.read('srv/share/hello'), undefined, 'the bind mount is not copied into the image');
  });
});

test('command_wrapper wraps mount, chroot and provisioner commands', { skip }, async (t) => {
  const td = await testDir(t, env);
  const log = join(td.dir, 'wrapper.log');
  const wrapper = await writeIn(td, 'wrap.sh', `#!/bin/sh\nprintf '%s\\n' "$*" >> ${log}\nexec "$@"\n`, 0o755);
  const image = imageId(env, 'opt-wrapper');
  const path = await writeIn(td, 'wrap.pkr.hcl', hclTemplate('wrap', `
  source          = "credativ:Debian:9:latest"
  command_wrapper = "env AZC_WRAPPED=1 ${wrapper} {{.Command}}"
  ${hclCommon(td)}
  image_resource_id = "${image}"`, `
  provisioner "shell" { inline = ["echo \\"wrapped=$AZC_WRAPPED\\" > /root/wrapped"] }`));
  const res = await cliBuild(env, td, path);
  assert.equal(res.code, 0, res.output);
  const lines = (await readFile(log, 'utf8')).split('\n');
  const has = (re: RegExp, what: string) => assert.ok(lines.some((l) => re.test(l)), `${what} went through the wrapper:\n${lines.join('\n')}`);
  has(new RegExp(`^mount .*/dev/loop\\d+p1 ${td.mnt}/loop\\d+$`), 'the root mount');
  has(/^mount -t proc proc .*\/proc$/, 'a chroot mount');
  has(/^chroot .*\/loop\d+ \/bin\/sh -c /, 'the provisioner');
  has(/^umount /, 'an unmount');
  await withMountedExport(env.stateDir, image, td.dir, async (m) => {
    assert.equal(await m.text('root/wrapped'), 'wrapped=1\n');
  });
});
