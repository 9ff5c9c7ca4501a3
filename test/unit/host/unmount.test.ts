import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { findHolders } from '../../../src/host/busy-processes.js';
import { isMountPoint } from '../../../src/host/proc-mounts.js';
import { unmountTree } from '../../../src/host/unmount.js';
import { runShell } from '../../../src/host/exec.js';
import { MemoryReporter } from '../../../src/report/reporter.js';

const isRoot = process.getuid?.() === 0;

function tmpfsTree(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'azc-umount-'));
  const root = join(dir, 'root');
  mkdirSync(root);
  execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', root]);
  mkdirSync(join(root, 'proc'));
  mkdirSync(join(root, 'work'));
  execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', join(root, 'proc')]);
  t.after(() => {
    for (const p of [join(root, 'proc'), root]) if (isMountPoint(p)) execFileSync('umount', ['-l', p]);
    rmSync(dir, { recursive: true, force: true });
  });
  return root;
}

test('busy unmount: the holder (cwd inside) is found, stopped, reported, and the tree is unmounted', { skip: !isRoot }, async (t) => {
  const root = tmpfsTree(t);
  const child = spawn('sleep', ['600'], { cwd: join(root, 'work'), stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  await new Promise((r) => child.once('spawn', r));
  const holders = await findHolders(root);
  assert.deepEqual(holders.map((h) => [h.pid, h.command, h.reason]), [[child.pid, 'sleep', 'cwd']]);

  const reporter = new MemoryReporter();
  const unmounted: string[] = [];
  const result = await unmountTree(root, { run: async (c) => void (await runShell(c)), reporter, graceMs: 2000, onUnmounted: (p) => unmounted.push(p) });
  assert.deepEqual(unmounted, [join(root, 'proc'), root]);
  assert.deepEqual(result.held.map((h) => h.pid), [child.pid]);
  assert.deepEqual(result.lazy, []);
  assert.equal(isMountPoint(root), false);
  assert.match(reporter.text(), new RegExp(`${child.pid} \\(sleep, cwd inside\\)`));
});

test('busy unmount: a process chrooted into the tree is found by its root', { skip: !isRoot }, async (t) => {
  const root = tmpfsTree(t);
  mkdirSync(join(root, 'bin'));
  execFileSync('cp', ['/bin/busybox', join(root, 'bin/busybox')]);
  const child = spawn('chroot', [root, '/bin/busybox', 'sleep', '600'], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  // chroot execs busybox: wait until the process's root is inside the tree.
  let holders = await findHolders(root);
  for (let i = 0; i < 50 && !holders.some((h) => h.reason === 'root'); i++) {
    await new Promise((r) => setTimeout(r, 20));
    holders = await findHolders(root);
  }
  assert.ok(holders.some((h) => h.pid === child.pid && h.reason === 'root'), JSON.stringify(holders));
  const result = await unmountTree(root, { run: async (c) => void (await runShell(c)), reporter: new MemoryReporter(), graceMs: 2000 });
  assert.equal(isMountPoint(root), false);
  assert.ok(result.held.some((h) => h.pid === child.pid));
});
