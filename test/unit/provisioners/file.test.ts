import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzchrootError } from '../../../src/errors.js';
import { downloadTarget, uploadTarget } from '../../../src/provisioners/file.js';
import { file, messages, removeTree, run } from './chroot-fixture.js';

/** A local source tree: <dir>/a.txt and <dir>/tree/{x.txt,sub/y.txt}. */
async function withSources(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'azchroot-test-src-'));
  try {
    await writeFile(join(dir, 'a.txt'), 'A\n');
    await mkdir(join(dir, 'tree/sub'), { recursive: true });
    await writeFile(join(dir, 'tree/x.txt'), 'X\n');
    await writeFile(join(dir, 'tree/sub/y.txt'), 'Y\n');
    await fn(dir);
  } finally {
    await removeTree(dir);
  }
}

test('trailing-slash rules for targets', () => {
  assert.equal(uploadTarget('/l/a.txt', '/etc/'), '/etc/a.txt');
  assert.equal(uploadTarget('/l/a.txt', '/etc/b.txt'), '/etc/b.txt');
  assert.equal(downloadTarget('/etc/hostname', 'out/'), 'out/hostname');
  assert.equal(downloadTarget('/etc/hostname', 'out/h'), 'out/h');
});

test('a file uploads to the destination path, or into a destination ending with "/"', () => withSources(async (dir) => {
  let named = '';
  let into = '';
  const { error, reporter } = await run([
    file({ sources: [join(dir, 'a.txt')], destination: '/etc/renamed.txt' }),
    file({ sources: [join(dir, 'a.txt')], destination: '/tmp/' }),
  ], { inspect: async (root) => {
    named = await readFile(join(root, 'etc/renamed.txt'), 'utf8');
    into = await readFile(join(root, 'tmp/a.txt'), 'utf8');
  } });
  assert.equal(error, undefined);
  assert.equal(named, 'A\n');
  assert.equal(into, 'A\n');
  assert.ok(messages(reporter).includes(`Uploading ${join(dir, 'a.txt')} => /etc/renamed.txt`));
}));

test('a directory uploads itself without a trailing "/", its contents with one', () => withSources(async (dir) => {
  let itself: string[] = [];
  let contents: string[] = [];
  const { error } = await run([
    file({ sources: [join(dir, 'tree')], destination: '/etc' }),
    file({ sources: [`${join(dir, 'tree')}/`], destination: '/tmp' }),
  ], { inspect: async (root) => {
    itself = (await readdir(join(root, 'etc/tree'), { recursive: true })).sort();
    contents = (await readdir(join(root, 'tmp'), { recursive: true })).sort();
  } });
  assert.equal(error, undefined);
  assert.deepEqual(itself, ['sub', 'sub/y.txt', 'x.txt']);
  assert.deepEqual(contents, ['sub', 'sub/y.txt', 'x.txt']);
}));

test('content is written to the destination, rendered', async () => {
  let written = '';
  const { error } = await run([file({ content: 'built by {{ build_name }}\n', destination: '/etc/motd' })], {
    inspect: async (root) => { written = await readFile(join(root, 'etc/motd'), 'utf8'); },
  });
  assert.equal(error, undefined);
  assert.equal(written, 'built by example\n');
});

test('a missing source fails with its path', async () => {
  const { error } = await run([file({ sources: ['/nonexistent/azchroot-x'], destination: '/tmp/' })]);
  assert.ok(AzchrootError.is(error));
  assert.equal(error.code, 'AZC_PROVISIONER_FILE');
  assert.match(error.message, /\/nonexistent\/azchroot-x/);
});

test('download copies a file out of the chroot, mode 0644, creating local parents', async () => {
  const out = await mkdtemp(join(tmpdir(), 'azchroot-test-out-'));
  try {
    const { error } = await run([
      { ...file({ content: 'host-1\n', destination: '/etc/hostname' }) },
      file({ direction: 'download', sources: ['/etc/hostname'], destination: `${out}/deep/dir/` }),
      file({ direction: 'download', sources: ['/etc/hostname'], destination: `${out}/named` }),
    ]);
    assert.equal(error, undefined);
    assert.equal(await readFile(join(out, 'deep/dir/hostname'), 'utf8'), 'host-1\n');
    assert.equal(await readFile(join(out, 'named'), 'utf8'), 'host-1\n');
    assert.equal((await stat(join(out, 'named'))).mode & 0o777, 0o644);
  } finally {
    await removeTree(out);
  }
});

test('download of a directory or a wildcard is refused', async () => {
  const { error } = await run([file({ direction: 'download', sources: ['/etc/*.conf'], destination: '/tmp/x/' })]);
  assert.ok(AzchrootError.is(error));
  assert.match(error.message, /downloads single files only/);
});
