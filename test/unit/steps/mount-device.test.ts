import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountDevice } from '../../../src/steps/mount-device.js';
import { initialState } from '../../../src/steps/state.js';
import { isMountPoint, mountsUnder } from '../../../src/host/proc-mounts.js';
import { pendingResources } from '../../../src/ledger/journal.js';
import { stepContext } from '../../helpers/step-context.js';

const isRoot = process.getuid?.() === 0;

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'azc-mountdev-'));
  t.after(() => {
    for (const m of mountsUnder(dir).reverse()) execFileSync('umount', ['-l', m]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

test('mount-device: manual_mount_command gets the mount path appended (Packer) and is unmounted by the ledger, twice safely', { skip: !isRoot }, async (t) => {
  const dir = tempDir(t);
  const ctx = stepContext(t, { mountPath: `${dir}/mnt/{{.Device}}`, manualMountCommand: 'mount -t tmpfs -o size=1m tmpfs' });
  const state = initialState();
  state.device = '/dev/sdz';
  const step = mountDevice();
  await step.run(state, ctx);
  const mp = join(dir, 'mnt', 'sdz');
  assert.equal(state.mountPath, mp);
  assert.equal(state.buildData.MountPath, mp);
  assert.equal(isMountPoint(mp), true);
  const kinds = pendingResources(ctx.ledger.journal.entries()).map((p) => p.kind);
  assert.deepEqual(kinds, ['mount-dir', 'mount']);
  assert.deepEqual((await ctx.releaseAll()).removed.map((p) => p.kind), ['mount', 'mount-dir']);
  assert.deepEqual((await ctx.releaseAll()).removed, []);
  assert.equal(isMountPoint(mp), false);
  assert.equal(existsSync(mp), false, 'the directory it created is removed');
  assert.deepEqual(pendingResources(ctx.ledger.journal.entries()), []);
});

test('mount-device: a mount path already in use is refused before mounting anything', { skip: !isRoot }, async (t) => {
  const dir = tempDir(t);
  const mp = join(dir, 'mnt', 'sdy');
  mkdirSync(mp, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', mp]);
  const ctx = stepContext(t, { mountPath: `${dir}/mnt/{{.Device}}`, manualMountCommand: 'mount -t tmpfs tmpfs {{.MountPath}}' });
  const state = initialState();
  state.device = '/dev/sdy';
  await assert.rejects(mountDevice().run(state, ctx), { code: 'AZC_HOST_MOUNT_IN_USE' });
  assert.deepEqual(mountsUnder(mp), [mp]);
});
