// The test sandbox itself: isolated network, Azure host names on loopback, private mounts, and a
// complete teardown.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { openSandbox } from '../helpers/netns.js';

function netnsList(): string {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
}

test('a sandbox has only lo with the IMDS address, Azure names on 127.0.0.1 and a private /dev/disk', async () => {
  const sandbox = await openSandbox();
  try {
    assert.match(sandbox.name, new RegExp(`^azc-${process.pid}-\\d+$`));
    const links = await sandbox.run(['ip', '-o', 'link', 'show']);
    assert.deepEqual(links.stdout.trim().split('\n').map((l) => l.split(':')[1]?.trim()), ['lo']);
    const addrs = await sandbox.run(['ip', '-o', '-4', 'addr', 'show', 'dev', 'lo']);
    assert.match(addrs.stdout, /inet 169\.254\.169\.254\/32/);
    assert.equal((await sandbox.run(['ip', 'route', 'show'])).stdout.trim(), '', 'no routes: nothing can leave');
    for (const host of ['management.azure.com', 'login.microsoftonline.com', 'login.windows.net']) {
      const resolved = await sandbox.run(['getent', 'hosts', host]);
      assert.match(resolved.stdout, /^127\.0\.0\.1\s/, host);
    }
    const inside = await sandbox.run(['sh', '-c', 'test -d /dev/disk/azure/scsi1 && touch /dev/disk/azure/scsi1/probe && echo ok']);
    assert.equal(inside.stdout.trim(), 'ok');
    assert.ok(!existsSync('/dev/disk/azure/scsi1/probe'), 'the tmpfs on /dev/disk is private to the sandbox');
    assert.ok(!readFileSync('/proc/self/mounts', 'utf8').includes('azc-devdisk'), 'no sandbox mount on the host');
  } finally {
    await sandbox.teardown();
  }
  assert.ok(!netnsList().includes(sandbox.name), 'the namespace is deleted');
  assert.ok(!existsSync(`/etc/netns/${sandbox.name}`), '/etc/netns entry removed');
});

test('teardown kills processes still running in the sandbox and is idempotent', async () => {
  const sandbox = await openSandbox();
  const child = sandbox.spawn(['sleep', '1000'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('spawn', resolve));
  await sandbox.teardown();
  assert.notEqual(child.signalCode ?? child.exitCode, null, 'the child has exited');
  await sandbox.teardown();
  assert.ok(!netnsList().includes(sandbox.name));
});
