// No secret in any command line: a build with a sensitive variable and client_secret in every place
// a template can hold them (environment_vars, env, inline, execute_command, post_mount_commands,
// pre_unmount_commands, shell-local provisioner and post-processor) runs under
// `strace -f -e trace=execve`, and no argv of any process it started holds either value, while
// the image still receives them (they travelled through environments).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, show } from './helpers/cli.js';
import { readInImage, withExportedRoot } from './helpers/exported.js';
import { skipReason } from './helpers/host.js';
import { assertNothingLeft } from './helpers/leftovers.js';
import { useSuite, workspace } from './helpers/suite.js';
import { ids, nextVersion, scratchTemplate } from './helpers/template.js';
import { writeFile } from 'node:fs/promises';

const STRACE = ['/usr/bin/strace', '/bin/strace'].find((p) => existsSync(p));
const skip = skipReason() ?? (STRACE ? undefined : 'needs strace (apt-get install strace)');

const TOKEN = 'tok-5d1e-argv-sensitive-value';
const CLIENT_SECRET = 'cs-2b7c-argv-client-secret';
const suite = useSuite(skip, { applications: [{ appId: '11111111-2222-3333-4444-555555555555', secrets: [CLIENT_SECRET] }] });

const head = `
variable "token" {
  type      = string
  default   = "${TOKEN}"
  sensitive = true
}

variable "sp_secret" {
  type    = string
  default = "${CLIENT_SECRET}"
}
`;

const sourceExtra = `  client_id       = "11111111-2222-3333-4444-555555555555"
  client_secret   = var.sp_secret
  tenant_id       = "00000000-0000-0000-0000-0000000000aa"
  subscription_id = "${ids.sub}"
  pre_unmount_commands = ["echo \${var.token} > {{.MountPath}}/etc/pre-unmount-token"]
`;

const provisioners = `  provisioner "shell" {
    environment_vars = ["TOKEN=\${var.token}", "PLAIN=visible"]
    env              = { SECRET_ENV = var.sp_secret }
    execute_command  = "chmod +x {{.Path}}; echo \${var.token} > /etc/exec-token; {{.Vars}} {{.Path}}"
    inline = [
      "echo \${var.token} > /etc/inline-token",
      "echo $TOKEN > /etc/env-token",
      "echo $SECRET_ENV > /etc/env-secret",
      "echo $PLAIN > /etc/plain",
    ]
  }
  provisioner "shell" {
    environment_vars = ["TOKEN=\${var.token}", "PLAIN2=visible"]
    execute_command  = "chmod +x {{.Path}}; sh -c '{{.Vars}} {{.Path}}'"
    inline           = ["echo $TOKEN > /etc/sh-c-token"]
  }
  provisioner "shell-local" {
    environment_vars = ["TOKEN=\${var.token}"]
    inline           = ["test \\"$TOKEN\\" = \\"\${var.token}\\""]
  }
  provisioner "shell-local" {
    environment_vars = ["TOKEN=\${var.token}"]
    execute_command  = ["/bin/sh", "-c", "test \\"\${var.sp_secret}\\" != x && {{.Vars}} {{.Script}}"]
    inline           = ["test \\"$TOKEN\\" = \\"\${var.token}\\""]
  }
  provisioner "file" {
    content     = var.token
    destination = "/etc/file-token"
  }
  post-processor "shell-local" {
    environment_vars = ["TOKEN=\${var.token}"]
    inline           = ["test \\"$TOKEN\\" = \\"\${var.token}\\""]
  }
`;

test('no secret reaches the argv of any process a build starts', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const version = nextVersion();
  const text = scratchTemplate({ mountRoot: ws.mountRoot, head, sourceExtra, galleryVersion: version, provisioners })
    .replace('  post_mount_commands = [\n', '  post_mount_commands = [\n    "echo ${var.token} > /dev/null",\n');
  const template = join(ws.dir, 'template.pkr.hcl');
  await writeFile(template, text);
  const trace = join(ws.dir, 'execve.trace');
  const r = await runCli(ws.defer, ws.buildArgs(template), {}, [STRACE!, '-f', '-qq', '-e', 'trace=execve', '-s', '65536', '-o', trace]);
  assert.equal(r.code, 0, show(r));

  const lines = (await readFile(trace, 'utf8')).split('\n').filter((l) => l.includes('execve('));
  // The trace saw the build's commands (so a clean result means something).
  assert.ok(lines.some((l) => l.includes('"chroot"')), 'the trace holds the chroot commands');
  assert.ok(lines.some((l) => l.includes('mkfs.ext4')), 'the trace holds the pre-mount commands');
  // Non-secret variables are still rendered inline by {{.Vars}}, where the trace sees them.
  assert.ok(lines.some((l) => l.includes('PLAIN2=') && l.includes('TOKEN=\\"$TOKEN\\"')), `the trace holds the {{.Vars}} command line:\n${lines.filter((l) => l.includes('PLAIN2')).join('\n')}`);
  const leaks = lines.filter((l) => l.includes(TOKEN) || l.includes(CLIENT_SECRET));
  assert.deepEqual(leaks, [], `secrets in command lines:\n${leaks.join('\n')}`);
  await assertNothingLeft(suite, ws);

  // The values still arrived where the template sent them.
  await withExportedRoot(suite.state, ids.galleryVersion(version), ws.dir, async (root) => {
    for (const f of ['exec-token', 'inline-token', 'env-token', 'sh-c-token', 'file-token', 'pre-unmount-token']) {
      assert.equal((await readInImage(root, `etc/${f}`))?.trim(), TOKEN, f);
    }
    assert.equal((await readInImage(root, 'etc/env-secret'))?.trim(), CLIENT_SECRET);
    assert.equal((await readInImage(root, 'etc/plain'))?.trim(), 'visible');
  });
});
