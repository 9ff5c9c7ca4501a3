import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { acquireHostLock } from '../../../src/host/host-lock.js';

const lockModule = pathToFileURL(join(fileURLToPath(import.meta.url), '../../../../src/host/host-lock.js')).href;

/** Starts a process that takes the lock, prints "held", and on "go" prints "releasing" and releases. */
function holder(dir: string, lockPath: string): { child: ChildProcess; out: () => string; held: Promise<void> } {
  const script = join(dir, 'holder.mjs');
  writeFileSync(script, `
    import { acquireHostLock } from ${JSON.stringify(lockModule)};
    const lock = await acquireHostLock(${JSON.stringify(lockPath)});
    process.stdout.write('held\\n');
    process.stdin.once('data', async () => { process.stdout.write('releasing\\n'); await lock.release(); process.exit(0); });
  `);
  const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const held = new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('held')) resolve(); }));
  return { child, out: () => out, held };
}

test('host lock: a second process waits until the first releases', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-lock-'));
  const lockPath = join(dir, 'lock', 'attach.lock');
  const h = holder(dir, lockPath);
  t.after(() => { h.child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); });
  await h.held;
  let waited = false;
  const acquiring = acquireHostLock(lockPath, { onWait: () => (waited = true) });
  // The lock is held: our request must still be pending once the holder is told to release.
  setTimeout(() => h.child.stdin!.write('go\n'), 300);
  const lock = await acquiring;
  assert.ok(h.out().includes('releasing'), 'acquired before the holder started releasing');
  assert.equal(waited, true);
  await lock.release();
});

test('host lock: a killed holder releases the lock (no stale lock file)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-lock-'));
  const lockPath = join(dir, 'attach.lock');
  const h = holder(dir, lockPath);
  t.after(() => { h.child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); });
  await h.held;
  h.child.kill('SIGKILL');
  const lock = await acquireHostLock(lockPath, { timeoutMs: 20_000 });
  await lock.release();
});

test('host lock: an aborted wait gives up with CancelledError', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-lock-'));
  const lockPath = join(dir, 'attach.lock');
  const first = await acquireHostLock(lockPath);
  t.after(async () => { await first.release(); rmSync(dir, { recursive: true, force: true }); });
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  await assert.rejects(acquireHostLock(lockPath, { signal: ac.signal }), { code: 'AZC_CANCELLED' });
});
