// A hostile image root (symlinks out of the image, `..`, FIFOs, devices, loops) against the file
// provisioner: nothing on the host changes, and every refusal names the image path.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProvisionerRunner } from '../../../src/provisioners/run-provisioners.js';
import { MemoryReporter } from '../../../src/report/reporter.js';
import type { ProvisionerConfig } from '../../../src/config/model.js';
import { makeCanaryTree, type CanaryTree } from '../../helpers/canary-tree.js';
import { buildWith, file, makeBusyboxRoot, removeTree, vm } from './chroot-fixture.js';

interface Outcome { error?: unknown; root: string }

async function withHostile(
  plant: (root: string, canary: CanaryTree, local: string) => Promise<void>,
  provisioners: (canary: CanaryTree, local: string) => ProvisionerConfig[],
  check: (o: Outcome, canary: CanaryTree, local: string) => Promise<void>,
): Promise<void> {
  const canary = await makeCanaryTree();
  const root = await makeBusyboxRoot();
  const local = await mkdtemp(join(tmpdir(), 'azchroot-test-local-'));
  try {
    await writeFile(join(local, 'payload.txt'), 'PAYLOAD\n');
    await mkdir(join(local, 'tree/sub'), { recursive: true });
    await writeFile(join(local, 'tree/sub/y.txt'), 'Y\n');
    await plant(root, canary, local);
    const before = await canary.digest();
    const runner = createProvisionerRunner(buildWith(provisioners(canary, local)), { reporter: new MemoryReporter(), vm, retryDelayMs: 0 });
    let error: unknown;
    try {
      await runner({ mountPath: root, device: '/dev/loop42', buildData: {}, signal: new AbortController().signal, wrapCommand: (c) => c });
    } catch (err) {
      error = err;
    }
    assert.equal(await canary.digest(), before, 'the canary tree on the host changed');
    await check({ error, root }, canary, local);
  } finally {
    await removeTree(root);
    await removeTree(local);
    await canary.remove();
  }
}

function refused(o: Outcome, imagePath: string, what: RegExp): void {
  assert.ok(o.error instanceof Error, 'expected the provisioner to fail');
  assert.equal((o.error as { code?: string }).code, 'AZC_IMAGE_PATH');
  assert.ok(o.error.message.includes(JSON.stringify(imagePath)), `message names ${imagePath}: ${o.error.message}`);
  assert.match(o.error.message, what);
}

test('an upload through an absolute symlink directory lands in the image, not on the host', () => withHostile(
  async (root, canary) => {
    await mkdir(join(root, 'opt'));
    await symlink(canary.dir, join(root, 'opt/x'));
    await mkdir(join(root, canary.dir), { recursive: true });
  },
  (_c, local) => [file({ sources: [join(local, 'payload.txt')], destination: '/opt/x/secret.txt' })],
  async (o, canary) => {
    assert.equal(o.error, undefined);
    assert.equal(await readFile(join(o.root, canary.dir, 'secret.txt'), 'utf8'), 'PAYLOAD\n');
  },
));

test('an upload through a relative symlink climbing out of the image is clamped at the image root', () => withHostile(
  async (root, canary) => {
    await mkdir(join(root, 'opt'));
    await symlink(`../../../../../../../..${canary.dir}`, join(root, 'opt/rel'));
  },
  (_c, local) => [file({ sources: [join(local, 'payload.txt')], destination: '/opt/rel/secret.txt' })],
  async (o, canary) => refused(o, '/opt/rel/secret.txt', new RegExp(`directory ${canary.dir} does not exist`)),
));

test('".." in a destination stops at the image root', () => withHostile(
  async () => undefined,
  (canary, local) => [file({ sources: [join(local, 'payload.txt')], destination: `/tmp/../../../../..${canary.dir}/secret.txt` })],
  async (o, canary) => refused(o, `/tmp/../../../../..${canary.dir}/secret.txt`, new RegExp(`${canary.dir} does not exist`)),
));

test('a final symlink to a host file is followed inside the image', () => withHostile(
  async (root, canary) => {
    await symlink(join(canary.dir, 'secret.txt'), join(root, 'etc/motd'));
    await mkdir(join(root, canary.dir), { recursive: true });
  },
  (_c, local) => [file({ sources: [join(local, 'payload.txt')], destination: '/etc/motd' })],
  async (o, canary) => {
    assert.equal(o.error, undefined);
    assert.equal(await readFile(join(o.root, canary.dir, 'secret.txt'), 'utf8'), 'PAYLOAD\n');
  },
));

test('a download of a symlink to a host file never reads the host file', () => withHostile(
  async (root, canary) => void (await symlink(join(canary.dir, 'secret.txt'), join(root, 'etc/shadow'))),
  (_c, local) => [file({ direction: 'download', sources: ['/etc/shadow'], destination: join(local, 'out.txt') })],
  async (o, canary, local) => {
    refused(o, '/etc/shadow', new RegExp(`${canary.dir}/secret.txt does not exist`));
    await assert.rejects(readFile(join(local, 'out.txt'), 'utf8'));
  },
));

test('a directory upload through a symlinked subdirectory stays in the image', () => withHostile(
  async (root, canary) => {
    await mkdir(join(root, 'srv/tree'), { recursive: true });
    await symlink(join(canary.dir, 'empty'), join(root, 'srv/tree/sub'));
  },
  (_c, local) => [file({ sources: [join(local, 'tree')], destination: '/srv' })],
  async (o, canary) => refused(o, '/srv/tree/sub', new RegExp(`directory ${canary.dir} does not exist`)),
));

test('a directory upload through a symlinked subdirectory that exists in the image writes there', () => withHostile(
  async (root, canary) => {
    await mkdir(join(root, 'srv/tree'), { recursive: true });
    await mkdir(join(root, canary.dir, 'empty'), { recursive: true });
    await symlink(join(canary.dir, 'empty'), join(root, 'srv/tree/sub'));
  },
  (_c, local) => [file({ sources: [join(local, 'tree')], destination: '/srv' })],
  async (o, canary) => {
    assert.equal(o.error, undefined);
    assert.equal(await readFile(join(o.root, canary.dir, 'empty/y.txt'), 'utf8'), 'Y\n');
  },
));

test('FIFOs and device nodes at targets are refused, without hanging', () => withHostile(
  async (root) => {
    execFileSync('mkfifo', [join(root, 'etc/fifo')]);
    execFileSync('mknod', [join(root, 'etc/null'), 'c', '1', '3']);
  },
  (_c, local) => [file({ sources: [join(local, 'payload.txt')], destination: '/etc/fifo' })],
  async (o) => refused(o, '/etc/fifo', /is a FIFO/),
));

test('a device node is refused for uploads and downloads', async () => {
  for (const direction of ['upload', 'download'] as const) {
    await withHostile(
      async (root) => void execFileSync('mknod', [join(root, 'etc/null'), 'c', '1', '3']),
      (_c, local) => [direction === 'upload'
        ? file({ sources: [join(local, 'payload.txt')], destination: '/etc/null' })
        : file({ direction, sources: ['/etc/null'], destination: join(local, 'null') })],
      async (o) => refused(o, '/etc/null', /is a character device/),
    );
  }
});

test('a symlink loop ends with ELOOP', () => withHostile(
  async (root) => {
    await symlink('/etc/b', join(root, 'etc/a'));
    await symlink('a', join(root, 'etc/b'));
  },
  (_c, local) => [file({ sources: [join(local, 'payload.txt')], destination: '/etc/a' })],
  async (o) => refused(o, '/etc/a', /too many levels of symbolic links/),
));

test('a symlink into the chroot mounts (/proc) is refused', () => withHostile(
  async (root) => void (await symlink('/proc/1/root/tmp', join(root, 'etc/p'))),
  (_c, local) => [file({ sources: [join(local, 'payload.txt')], destination: '/etc/p/x' })],
  async (o) => refused(o, '/etc/p/x', /under \/proc, a host file system mounted into the chroot/),
));
