import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandError } from '../../../src/errors.js';
import { messages, outputOf, removeTree, run, shellLocal } from './chroot-fixture.js';

const out = (r: Parameters<typeof outputOf>[0]): string[] => outputOf(r, 'shell-local');

test('inline runs on the host with the Vars string and AZCHROOT_* in the environment', async () => {
  const { reporter, error, root } = await run([shellLocal({
    environmentVars: ["A=it's $HOME"],
    inline: ['echo "A=$A"', 'echo "dev=$AZCHROOT_DEVICE"', 'test "$AZCHROOT_MOUNT_PATH" = "$(printenv AZCHROOT_MOUNT_PATH)" && echo exported', 'echo "name={{ build_name }}"'],
  })]);
  assert.equal(error, undefined);
  assert.deepEqual(out(reporter), ["A=it's $HOME", 'dev=/dev/loop42', 'exported', 'name=example']);
  assert.ok(root.length > 0);
});

test('command runs as a one-line script; execute_command gets Script and Command', async () => {
  const { reporter, error } = await run([shellLocal({
    command: 'echo from-command',
    executeCommand: ['/bin/sh', '-c', 'echo "cmd={{.Command}}"; {{.Vars}} /bin/sh {{.Script}}'],
  })]);
  assert.equal(error, undefined);
  assert.deepEqual(out(reporter), ['cmd=echo from-command', 'from-command']);
});

test('scripts (executable, not chmodded by us, like Packer) run in order; valid_exit_codes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'azchroot-test-local-'));
  try {
    await writeFile(join(dir, 'one.sh'), 'echo one\nexit 2\n', { mode: 0o755 });
    await writeFile(join(dir, 'two.sh'), 'echo two\n', { mode: 0o755 });
    const ok = await run([shellLocal({ scripts: [join(dir, 'one.sh'), join(dir, 'two.sh')], validExitCodes: [0, 2] })]);
    assert.equal(ok.error, undefined);
    assert.deepEqual(out(ok.reporter), ['one', 'two']);
    assert.ok(messages(ok.reporter).includes(`Running local shell script: ${join(dir, 'one.sh')}`));

    const bad = await run([shellLocal({ scripts: [join(dir, 'one.sh'), join(dir, 'two.sh')] })]);
    assert.ok(bad.error instanceof CommandError);
    assert.equal(bad.error.message, 'provisioner 1 of 1 (shell-local) failed: Script exited with non-zero exit status: 2. Allowed exit codes are: [0]');
    assert.deepEqual(out(bad.reporter), ['one']);
  } finally {
    await removeTree(dir);
  }
});

test('only_on skips other operating systems', async () => {
  const { reporter, error } = await run([shellLocal({ onlyOn: ['windows', 'darwin'], inline: ['echo should-not-run'] })]);
  assert.equal(error, undefined);
  assert.deepEqual(out(reporter), []);
  assert.ok(messages(reporter).some((m) => m.startsWith('Skipping shell-local due to OS not being in only_on')));
  const here = await run([shellLocal({ onlyOn: ['linux'], inline: ['echo ran'] })]);
  assert.deepEqual(out(here.reporter), ['ran']);
});

test('tempfile_extension names the inline script', async () => {
  const { reporter, error } = await run([shellLocal({ tempfileExtension: 'sh', inline: ['echo "$0"'], executeCommand: ['/bin/sh', '{{.Script}}'] })]);
  assert.equal(error, undefined);
  assert.match(out(reporter)[0] ?? '', /\/script\.sh$/);
});
