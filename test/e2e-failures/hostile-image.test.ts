// A hostile image on a real disk: the image's tree (planted by post_mount_commands on the mounted
// disk, as a hostile source image would carry it) has absolute and relative symlinks out of the
// image at upload, download and copy_files targets and on the directories on their way, `..` in
// destinations, a FIFO, a device node, a link into /proc, and a resolv.conf that points out of the
// image. A canary tree on the host is hashed before and after every build: it never changes, what
// is written lands inside the image, and every refusal names the image path.

import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeCanaryTree, type CanaryTree } from '../helpers/canary-tree.js';
import { runCli, show } from './helpers/cli.js';
import { withExportedRoot } from './helpers/exported.js';
import { skipReason } from './helpers/host.js';
import { assertNothingLeft } from './helpers/leftovers.js';
import { useSuite, workspace, type Workspace } from './helpers/suite.js';
import { ids, nextVersion, scratchTemplate } from './helpers/template.js';

const skip = skipReason();
const suite = useSuite(skip);

/** HCL strings for post_mount_commands that plant `lines` (shell, {{.MountPath}} = M) into the image. */
function plant(lines: readonly string[]): string {
  return lines.map((l) => `    ${JSON.stringify(l.replace(/M\//g, '{{.MountPath}}/'))},\n`).join('');
}

async function hostileBuild(ws: Workspace, canary: CanaryTree, o: { plant: string[]; sourceExtra?: string; provisioners: string; version?: string }): Promise<{ code: number | null; out: string }> {
  const text = scratchTemplate({ mountRoot: ws.mountRoot, galleryVersion: o.version, sourceExtra: o.sourceExtra, provisioners: o.provisioners })
    .replace('    "chroot {{.MountPath}} /bin/busybox --install -s /bin",\n', (m) => m + plant(o.plant));
  const template = join(ws.dir, 'template.pkr.hcl');
  await writeFile(template, text);
  const before = await canary.digest();
  const r = await runCli(ws.defer, ws.buildArgs(template));
  assert.equal(await canary.digest(), before, `the canary tree on the host changed\n${show(r)}`);
  return { code: r.code, out: `${r.stdout}\n${r.stderr}` };
}

test('symlinks and ".." out of the image: uploads, downloads and copy_files stay inside it', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const canary = await makeCanaryTree();
  t.after(() => canary.remove());
  const C = canary.dir;
  const local = join(ws.dir, 'local');
  await mkdir(join(local, 'tree/sub'), { recursive: true });
  await writeFile(join(local, 'payload.txt'), 'PAYLOAD\n');
  await writeFile(join(local, 'tree/sub/deep.txt'), 'DEEP\n');
  // copy_files copies a host path to the same path in the image: its first directory (/var) is a link out.
  const copyDir = await mkdtemp(join('/var/tmp', `azchroot-copy-${process.pid}-`));
  t.after(() => rm(copyDir, { recursive: true, force: true }));
  const copied = join(copyDir, 'copied.txt');
  await writeFile(copied, 'COPIED\n');
  const firstDir = '/var';
  const version = nextVersion();
  const { code, out } = await hostileBuild(ws, canary, {
    version,
    plant: [
      'mkdir -p M/opt M/etc',
      `ln -s ${C} M/opt/abs`,
      `ln -s ../../../../../../../..${C} M/opt/rel`,
      `ln -s ${C}/secret.txt M/etc/motd-link`,
      `ln -s ${C}/secret.txt M/etc/shadow-link`,
      `ln -s ${C}/etc/resolv.conf M/etc/resolv.conf`,
      `ln -s ${C}/etc/fstab M/etc/fstab`,
      `rm -rf M${firstDir} && ln -s ${C}/empty M${firstDir}`,
      // The image has its own directory at the canary's path: what resolves there stays in the image.
      `mkdir -p M${C}/etc M${C}/empty`,
    ],
    sourceExtra: `  copy_files = ["/etc/resolv.conf", "${copied}"]\n`,
    provisioners: `  provisioner "file" {
    source      = "${local}/payload.txt"
    destination = "/opt/abs/up-abs.txt"
  }
  provisioner "file" {
    source      = "${local}/payload.txt"
    destination = "/opt/rel/up-rel.txt"
  }
  provisioner "file" {
    source      = "${local}/payload.txt"
    destination = "/tmp/../../../../..${C}/up-dotdot.txt"
  }
  provisioner "file" {
    source      = "${local}/payload.txt"
    destination = "/etc/motd-link"
  }
  provisioner "file" {
    source      = "${local}/tree"
    destination = "/opt/abs/"
  }
  provisioner "file" {
    direction   = "download"
    source      = "/etc/shadow-link"
    destination = "${ws.dir}/downloaded.txt"
  }
  provisioner "shell" {
    inline = ["cat /etc/resolv.conf > /etc/resolv-during-build", "cat ${copied} > /etc/copied-during-build"]
  }
`,
  });
  assert.equal(code, 0, out);
  // The download read the image's file (written by the upload through motd-link), not the host's secret.
  assert.equal(await readFile(join(ws.dir, 'downloaded.txt'), 'utf8'), 'PAYLOAD\n');
  await assertNothingLeft(suite, ws);
  await withExportedRoot(suite.state, ids.galleryVersion(version), ws.dir, async (root) => {
    const inImage = (p: string) => readFile(join(root, p), 'utf8');
    for (const f of ['up-abs.txt', 'up-rel.txt', 'up-dotdot.txt', 'secret.txt']) assert.equal(await inImage(`${C}/${f}`), 'PAYLOAD\n', f);
    assert.equal(await inImage(`${C}/tree/sub/deep.txt`), 'DEEP\n');
    // copy_files followed /var inside the image (its copies are removed again at the end, their directories stay).
    assert.equal(await inImage('etc/copied-during-build'), 'COPIED\n');
    assert.ok((await lstat(join(root, `${C}/empty${copyDir.slice('/var'.length)}`))).isDirectory(), 'the directories were made inside the image');
    // copy_files put the image's own resolv.conf link back; the build saw the host's file.
    assert.ok((await lstat(join(root, 'etc/resolv.conf'))).isSymbolicLink());
    assert.equal(await readlink(join(root, 'etc/resolv.conf')), `${C}/etc/resolv.conf`);
    assert.equal(await inImage('etc/resolv-during-build'), await readFile('/etc/resolv.conf', 'utf8'));
  });
});

const refusals: { name: string; plant: string[]; provisioner: (ws: Workspace) => string; path: string; what: RegExp }[] = [
  {
    name: 'a FIFO at an upload target',
    plant: ['mkfifo M/etc/fifo'],
    provisioner: () => `  provisioner "file" {\n    content     = "x"\n    destination = "/etc/fifo"\n  }\n`,
    path: '/etc/fifo',
    what: /is a FIFO/,
  },
  {
    name: 'a device node at a download source',
    plant: ['mknod M/etc/nullish c 1 3'],
    provisioner: (ws) => `  provisioner "file" {\n    direction   = "download"\n    source      = "/etc/nullish"\n    destination = "${ws.dir}/null.out"\n  }\n`,
    path: '/etc/nullish',
    what: /is a character device/,
  },
  {
    name: 'a link into /proc on the way to an upload target',
    plant: ['mkdir -p M/opt', 'ln -s /proc/1/root/tmp M/opt/host'],
    provisioner: () => `  provisioner "file" {\n    content     = "x"\n    destination = "/opt/host/planted"\n  }\n`,
    path: '/opt/host/planted',
    what: /under \/proc, a host file system mounted into the chroot/,
  },
  {
    name: 'a download of a link to a host file the image does not have',
    plant: ['ln -s CANARY/secret.txt M/etc/shadow-link'],
    provisioner: (ws) => `  provisioner "file" {\n    direction   = "download"\n    source      = "/etc/shadow-link"\n    destination = "${ws.dir}/shadow.out"\n  }\n`,
    path: '/etc/shadow-link',
    what: /secret\.txt does not exist/,
  },
];

for (const r of refusals) {
  test(`${r.name} is refused with the image path named`, { skip }, async (t) => {
    const ws = await workspace(t, suite);
    const canary = await makeCanaryTree();
    t.after(() => canary.remove());
    const { code, out } = await hostileBuild(ws, canary, { version: nextVersion(), plant: r.plant.map((l) => l.replace("CANARY", canary.dir)), provisioners: r.provisioner(ws) });
    assert.equal(code, 1, out);
    assert.ok(out.includes(JSON.stringify(r.path)), `the message names ${r.path}:\n${out}`);
    assert.match(out, r.what);
    await assertNothingLeft(suite, ws);
  });
}
