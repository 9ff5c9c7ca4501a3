import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AzchrootError, CancelledError, CommandError } from '../../../src/errors.js';
import { killChrootProcesses } from '../../../src/chroot/chroot-communicator.js';
import { makeBusyboxRoot, messages, outputOf, removeTree, run, shell } from './chroot-fixture.js';

test('inline lines run in the chroot, rendered, and the script is removed afterwards', async () => {
  let tmpAfter: string[] = [];
  const { reporter, error } = await run([shell({ inline: ['echo hello from $(pwd)', 'echo "vm={{ vm `name` }} build={{ build_name }}"'] })], {
    inspect: async (root) => { tmpAfter = await readdir(join(root, 'tmp')); },
  });
  assert.equal(error, undefined);
  assert.deepEqual(outputOf(reporter), ['hello from /', 'vm=builder-vm build=example']);
  assert.deepEqual(tmpAfter, []);
  assert.ok(messages(reporter).some((m) => m.startsWith('Provisioning with shell script: ')));
});

test('inline_shebang -e stops at the first failing line with Packer\'s exit-code message', async () => {
  const { reporter, error } = await run([shell({ inline: ['echo before', 'exit 3', 'echo after'] })]);
  assert.ok(error instanceof CommandError);
  assert.equal(error.message, 'provisioner 1 of 1 (shell) failed: Script exited with non-zero exit status: 3. Allowed exit codes are: [0]');
  assert.equal(error.exitStatus, 3);
  assert.match(error.output, /before/);
  assert.deepEqual(outputOf(reporter), ['before']);
});

test('valid_exit_codes accepts the listed codes', async () => {
  const ok = await run([shell({ inline: ['exit 3'], validExitCodes: [0, 3] })]);
  assert.equal(ok.error, undefined);
  const bad = await run([shell({ inline: ['exit 4'], validExitCodes: [0, 3] })]);
  assert.ok(bad.error instanceof CommandError);
  assert.match(bad.error.message, /exit status: 4\. Allowed exit codes are: \[0 3\]$/);
});

test('a missing command (127) or a command that cannot run (126) gets a hint about the image, not about valid_exit_codes', async () => {
  const missing = await run([shell({ inline: ['no-such-program-azc --flag'] })]);
  assert.ok(missing.error instanceof CommandError);
  assert.match(missing.error.message, /exit status: 127\./);
  assert.match(missing.error.hint ?? '', /"command not found": a program the script calls is not installed inside the image \(the chroot\)/);
  assert.doesNotMatch(missing.error.hint ?? '', /valid_exit_codes/);
  const plain = await run([shell({ inline: ['exit 5'] })]);
  assert.match((plain.error as CommandError).hint ?? '', /add the code to valid_exit_codes if it means success/);
});

test('scripts run in order; CRLF becomes LF unless binary', async () => {
  const root = await makeBusyboxRoot();
  try {
    const a = join(root, '..', `${root.split('/').pop()}-a.sh`);
    const b = join(root, '..', `${root.split('/').pop()}-b.sh`);
    await writeFile(a, '#!/bin/sh\r\necho one\r\n');
    await writeFile(b, '#!/bin/sh\necho two\n');
    try {
      const { reporter, error } = await run([shell({ scripts: [a, b] })]);
      assert.equal(error, undefined);
      assert.deepEqual(outputOf(reporter), ['one', 'two']);
      let uploaded = '';
      const kept = await run([shell({ scripts: [a], binary: true, skipClean: true, remotePath: '/tmp/kept.sh', executeCommand: 'true' })], {
        inspect: async (r) => { uploaded = await readFile(join(r, 'tmp/kept.sh'), 'utf8'); },
      });
      assert.equal(kept.error, undefined);
      assert.equal(uploaded, '#!/bin/sh\r\necho one\r\n');
    } finally {
      await removeTree(a);
      await removeTree(b);
    }
  } finally {
    await removeTree(root);
  }
});

test('environment_vars and env reach the script verbatim: quotes, $ and backticks are not expanded on the host', async () => {
  const { reporter, error } = await run([shell({
    environmentVars: ["A=it's", 'B=$HOME', 'C=a"b', 'D=`id -u`', 'E=from-list', 'EQ=x=y'],
    env: { E: 'env wins' },
    inline: ['echo "A=$A"', 'echo "B=$B"', 'echo "C=$C"', 'echo "D=$D"', 'echo "E=$E"', 'echo "EQ=$EQ"'],
  })]);
  assert.equal(error, undefined);
  assert.deepEqual(outputOf(reporter), ["A=it's", 'B=$HOME', 'C=a"b', 'D=`id -u`', 'E=env wins', 'EQ=x=y']);
});

test('PACKER_* and AZCHROOT_* variables are set in the script', async () => {
  const { reporter, error } = await run([shell({
    inline: ['echo "$PACKER_BUILDER_TYPE $PACKER_BUILD_NAME $AZCHROOT_DEVICE $AZCHROOT_MOUNT_PATH"'],
  })]);
  assert.equal(error, undefined);
  const out = outputOf(reporter);
  assert.match(out.at(-1) ?? '', /^azure-chroot example \/dev\/loop42 \/tmp\/azchroot-test-root-\w+$/);
});

test('execute_command is rendered with Path and Vars; remote_path is used', async () => {
  const { reporter, error } = await run([shell({
    remotePath: '/tmp/custom.sh',
    environmentVars: ['K=v'],
    executeCommand: 'echo "path={{.Path}}"; {{.Vars}} sh {{.Path}}',
    inline: ['echo "K=$K"'],
  })]);
  assert.equal(error, undefined);
  assert.deepEqual(outputOf(reporter), ['path=/tmp/custom.sh', 'K=v']);
});

test('skip_clean keeps the uploaded script at remote_path', async () => {
  let kept = '';
  const { error } = await run([shell({ remotePath: '/tmp/keep-me.sh', skipClean: true, inline: ['echo hi'] })], {
    inspect: async (root) => { kept = await readFile(join(root, 'tmp/keep-me.sh'), 'utf8'); },
  });
  assert.equal(error, undefined);
  assert.equal(kept, '#!/bin/sh -e\necho hi\n');
});

test('use_env_var_file sources the variables from a file that is removed afterwards', async () => {
  let tmpAfter: string[] = [];
  const { reporter, error } = await run([shell({
    useEnvVarFile: true,
    envVarFormat: "export %s='%s'\n",
    executeCommand: 'chmod +x {{.Path}}; . {{.EnvVarFile}} && {{.Path}}',
    environmentVars: ["Q=it's \"quoted\""],
    inline: ['echo "Q=$Q"'],
  })], { inspect: async (root) => { tmpAfter = await readdir(join(root, 'tmp')); } });
  assert.equal(error, undefined);
  assert.deepEqual(outputOf(reporter), ['Q=it\'s "quoted"']);
  assert.deepEqual(tmpAfter, []);
});

test('the command wrapper is applied around the chroot command', async () => {
  const { reporter, error } = await run([shell({ inline: ['echo "wrapped=$WRAPPED"'] })], { wrap: (c) => `WRAPPED=yes ${c}` });
  assert.equal(error, undefined);
  assert.deepEqual(outputOf(reporter), ['wrapped=yes']);
});

test('timeout aborts a hanging provisioner', async () => {
  let leftover = -1;
  const { reporter, error } = await run([shell({ inline: ['echo started', 'sleep 30'], timeoutMs: 300 })], {
    inspect: async (root) => { leftover = await killChrootProcesses(root); },
  });
  assert.equal(leftover, 0, 'no process may survive in the chroot');
  assert.ok(AzchrootError.is(error));
  assert.equal(error.code, 'AZC_PROVISIONER_TIMEOUT');
  assert.match(error.message, /timeout of 300ms/);
  assert.ok(messages(reporter).includes('Setting a 300ms timeout for the next provisioner...'));
  assert.ok(messages(reporter).includes('Cancelling provisioner after a timeout...'));
});

test('max_retries runs a failing provisioner again', async () => {
  const { reporter, error } = await run([shell({
    maxRetries: 2,
    inline: ['if [ -e /tmp/seen ]; then echo second; else echo > /tmp/seen; echo first; exit 1; fi'],
  })]);
  assert.equal(error, undefined);
  assert.deepEqual(outputOf(reporter), ['first', 'second']);
  assert.ok(messages(reporter).includes(
    'Provisioner failed with "Script exited with non-zero exit status: 1. Allowed exit codes are: [0]", retrying with 1 trie(s) left',
  ));
});

test('max_retries gives up after the last try', async () => {
  const { reporter, error } = await run([shell({ maxRetries: 1, inline: ['echo try', 'exit 1'] })]);
  assert.ok(error instanceof CommandError);
  assert.deepEqual(outputOf(reporter), ['try', 'try']);
});

test('pause_before announces the pause like Packer', async () => {
  const { reporter, error } = await run([shell({ pauseBeforeMs: 20, inline: ['true'] })]);
  assert.equal(error, undefined);
  assert.ok(messages(reporter).includes('Pausing 20ms before the next provisioner...'));
});

test('cancelling the build stops the running script with a CancelledError', async () => {
  const controller = new AbortController();
  const reporterTimer = setTimeout(() => controller.abort(), 300);
  try {
    const { error } = await run([shell({ inline: ['sleep 30'], maxRetries: 3 })], { signal: controller.signal });
    assert.ok(error instanceof CancelledError);
  } finally {
    clearTimeout(reporterTimer);
  }
});

test('secrets in env and inline never reach the reporter', async () => {
  const secret = 's3cr3t-Value';
  const { reporter, error } = await run([shell({
    env: { TOKEN: secret },
    inline: [`echo "token=$TOKEN"`, `echo inline ${secret}`, 'exit 1'],
  })], { secrets: [secret] });
  assert.ok(error instanceof CommandError);
  const text = reporter.text();
  assert.ok(!text.includes(secret), text);
  assert.ok(outputOf(reporter).includes('token=<sensitive>'));
  // The error the CLI prints carries the command ({{.Vars}}: the secret is only a reference) and the output tail, redacted.
  assert.ok(!error.command.includes(secret) && error.command.includes('TOKEN="$TOKEN"'), error.command);
  assert.ok(!error.output.includes(secret) && error.output.includes('inline <sensitive>'), error.output);
});
