// End-to-end provisioning inside the chroot: shell (inline, script, scripts, environment_vars, env,
// execute_command, valid_exit_codes), file (upload file and directory, download), shell-local,
// only/except/override and max_retries, in HCL and in a legacy JSON template.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiBuild, cliBuild, imageId, skipReason, startE2e, testDir, type E2eEnv, type TestDir } from './helpers/harness.js';
import { withMountedExport, type Mounted } from './helpers/mounted-export.js';
import { writeIn } from './helpers/templates.js';

const skip = skipReason();
let env: E2eEnv;

before(async () => {
  if (!skip) env = await startE2e();
});
after(async () => {
  await env?.close();
});

/** Host files the provisioners use: two scripts, a file and a directory tree to upload. */
async function hostFiles(td: TestDir): Promise<void> {
  await writeIn(td, 'one.sh', 'echo "one $GREETING" > /root/p/script\n');
  await writeIn(td, 'two.sh', 'echo two >> /root/p/scripts\n');
  await writeIn(td, 'three.sh', 'echo three >> /root/p/scripts\n');
  await writeIn(td, 'upload.txt', 'uploaded file\n');
  await mkdir(join(td.dir, 'tree/sub'), { recursive: true });
  await writeFile(join(td.dir, 'tree/top.txt'), 'top\n');
  await writeFile(join(td.dir, 'tree/sub/deep.txt'), 'deep\n');
}

const source = (td: TestDir, name: string) => `source "azure-chroot" "${name}" {
  source            = "credativ:Debian:9:latest"
  mount_path        = "${td.mnt}/{{.Device}}"
  image_resource_id = "${imageId(env, `prov-${name}`)}"
}`;

test('HCL: shell variants, only/except/override across two sources', { skip }, async (t) => {
  const td = await testDir(t, env);
  await hostFiles(td);
  const path = await writeIn(td, 'prov.pkr.hcl', `${source(td, 'a')}\n${source(td, 'b')}
build {
  sources = ["source.azure-chroot.a", "source.azure-chroot.b"]
  provisioner "shell" {
    environment_vars = ["GREETING=hello world", "QUOTE=it's"]
    env              = { FROM_MAP = "map value" }
    inline           = ["mkdir -p /root/p", "echo \\"$GREETING|$QUOTE|$FROM_MAP|$PACKER_BUILD_NAME\\" > /root/p/inline"]
  }
  provisioner "shell" {
    environment_vars = ["GREETING=from script"]
    script           = "${td.dir}/one.sh"
  }
  provisioner "shell" { scripts = ["${td.dir}/two.sh", "${td.dir}/three.sh"] }
  provisioner "shell" {
    execute_command = "{{.Vars}} EXEC_MARK=custom /bin/sh {{.Path}}"
    inline          = ["echo \\"$EXEC_MARK\\" > /root/p/exec"]
  }
  provisioner "shell" {
    valid_exit_codes = [0, 3]
    inline           = ["echo before-exit > /root/p/exit3", "exit 3"]
  }
  provisioner "shell" {
    only   = ["azure-chroot.a"]
    inline = ["echo only-a > /root/p/only"]
  }
  provisioner "shell" {
    except = ["azure-chroot.a"]
    inline = ["echo not-a > /root/p/except"]
  }
  provisioner "shell" {
    inline   = ["echo default > /root/p/override"]
    override = { b = { inline = ["echo overridden > /root/p/override"] } }
  }
}
`);
  const { outcomes } = await apiBuild(env, td, path);
  assert.deepEqual(outcomes.map((o) => o.name), ['azure-chroot.a', 'azure-chroot.b']);
  const common = async (m: Mounted, name: string) => {
    assert.equal(await m.text('root/p/inline'), `hello world|it's|map value|${name}\n`);
    assert.equal(await m.text('root/p/script'), 'one from script\n');
    assert.equal(await m.text('root/p/scripts'), 'two\nthree\n');
    assert.equal(await m.text('root/p/exec'), 'custom\n');
    assert.equal(await m.text('root/p/exit3'), 'before-exit\n');
  };
  await withMountedExport(env.stateDir, imageId(env, 'prov-a'), td.dir, async (m) => {
    await common(m, 'a');
    assert.equal(await m.text('root/p/only'), 'only-a\n');
    assert.equal(await m.read('root/p/except'), undefined);
    assert.equal(await m.text('root/p/override'), 'default\n');
  });
  await withMountedExport(env.stateDir, imageId(env, 'prov-b'), td.dir, async (m) => {
    await common(m, 'b');
    assert.equal(await m.read('root/p/only'), undefined);
    assert.equal(await m.text('root/p/except'), 'not-a\n');
    assert.equal(await m.text('root/p/override'), 'overridden\n');
  });
});

test('HCL: file upload (file, directory with and without trailing slash), download, shell-local, max_retries', { skip }, async (t) => {
  const td = await testDir(t, env);
  await hostFiles(td);
  const path = await writeIn(td, 'files.pkr.hcl', `${source(td, 'files')}
build {
  sources = ["source.azure-chroot.files"]
  provisioner "shell" { inline = ["mkdir -p /root/p /opt/contents /opt/parent"] }
  provisioner "file" {
    source      = "${td.dir}/upload.txt"
    destination = "/etc/uploaded.txt"
  }
  provisioner "file" {
    source      = "${td.dir}/tree/"
    destination = "/opt/contents"
  }
  provisioner "file" {
    source      = "${td.dir}/tree"
    destination = "/opt/parent/"
  }
  provisioner "file" {
    direction   = "download"
    source      = "/etc/azc-version"
    destination = "${td.dir}/downloaded"
  }
  provisioner "shell-local" {
    inline = ["test -f \\"$AZCHROOT_MOUNT_PATH/etc/uploaded.txt\\" && echo \\"$AZCHROOT_DEVICE\\" > ${td.dir}/local-saw"]
  }
  provisioner "shell" {
    max_retries = 1
    inline      = ["if [ ! -f /root/p/attempt ]; then touch /root/p/attempt; exit 7; fi", "echo second-attempt > /root/p/retried"]
  }
}
`);
  const { reporter } = await apiBuild(env, td, path);
  assert.equal(await readFile(join(td.dir, 'downloaded'), 'utf8'), '9-9.20200722.0\n');
  assert.match(await readFile(join(td.dir, 'local-saw'), 'utf8'), /^\/dev\/loop\d+\n$/);
  assert.match(reporter.text(), /retry|attempt/i, 'the failed first attempt is reported');
  await withMountedExport(env.stateDir, imageId(env, 'prov-files'), td.dir, async (m) => {
    assert.equal(await m.text('etc/uploaded.txt'), 'uploaded file\n');
    assert.equal(await m.text('opt/contents/top.txt'), 'top\n');
    assert.equal(await m.text('opt/contents/sub/deep.txt'), 'deep\n');
    assert.equal(await m.read('opt/contents/tree'), undefined, 'a trailing slash uploads the contents only');
    assert.equal(await m.text('opt/parent/tree/sub/deep.txt'), 'deep\n');
    assert.equal(await m.text('root/p/retried'), 'second-attempt\n');
  });
});

test('legacy JSON: shell, file, shell-local, only/except/override and max_retries through the CLI', { skip }, async (t) => {
  const td = await testDir(t, env);
  await hostFiles(td);
  const builder = (name: string) => ({
    type: 'azure-chroot', name, source: 'credativ:Debian:9:latest', mount_path: `${td.mnt}/{{.Device}}`,
    image_resource_id: imageId(env, `json-${name}`),
  });
  const template = {
    variables: { greeting: 'hello json' },
    builders: [builder('first'), builder('second')],
    provisioners: [
      { type: 'shell', environment_vars: ['GREETING={{user `greeting`}}'], inline: ['mkdir -p /root/p', 'echo "$GREETING {{build_name}}" > /root/p/inline'] },
      { type: 'shell', scripts: [`${td.dir}/two.sh`, `${td.dir}/three.sh`] },
      { type: 'file', source: `${td.dir}/upload.txt`, destination: '/etc/uploaded.txt' },
      { type: 'shell', only: ['first'], inline: ['echo only-first > /root/p/only'] },
      { type: 'shell', except: ['first'], inline: ['echo not-first > /root/p/except'] },
      { type: 'shell', inline: ['echo default > /root/p/override'], override: { second: { inline: ['echo overridden > /root/p/override'] } } },
      { type: 'shell', max_retries: '1', inline: ['if [ ! -f /root/p/attempt ]; then touch /root/p/attempt; exit 7; fi', 'echo retried > /root/p/retried'] },
      { type: 'shell-local', inline: [`echo "$AZCHROOT_MOUNT_PATH" > ${td.dir}/mp-{{build_name}}`] },
    ],
  };
  const path = await writeIn(td, 'prov.json', JSON.stringify(template, null, 2));
  const res = await cliBuild(env, td, path);
  assert.equal(res.code, 0, res.output);
  for (const [name, only, except, override] of [['first', 'only-first\n', undefined, 'default\n'], ['second', undefined, 'not-first\n', 'overridden\n']] as const) {
    assert.match(await readFile(join(td.dir, `mp-${name}`), 'utf8'), new RegExp(`^${td.mnt}/loop\\d+\\n$`));
    await withMountedExport(env.stateDir, imageId(env, `json-${name}`), td.dir, async (m) => {
      assert.equal(await m.text('root/p/inline'), `hello json ${name}\n`);
      assert.equal(await m.text('root/p/scripts'), 'two\nthree\n');
      assert.equal(await m.text('etc/uploaded.txt'), 'uploaded file\n');
      assert.equal(await m.text('root/p/only'), only);
      assert.equal(await m.text('root/p/except'), except);
      assert.equal(await m.text('root/p/override'), override);
      assert.equal(await m.text('root/p/retried'), 'retried\n');
    });
  }
});
