// The ledger's undoers and its one release order, on plain files (no root needed): policy-rc.d is
// removed only while it is still azchroot's, a copied file puts the image's original back (and a
// copy that never happened leaves the original alone), every release is idempotent, one order.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openJournal } from '../../../src/ledger/journal.js';
import { Ledger, releaseOrder } from '../../../src/ledger/ledger.js';
import { POLICY_RC_CONTENT, type UndoEnv } from '../../../src/ledger/undoers.js';
import { runShell } from '../../../src/host/exec.js';
import { MemoryReporter } from '../../../src/report/reporter.js';
import { acquireHostLock, attachLockPath } from '../../../src/host/host-lock.js';
import { createFakeAzure, fakeVm } from '../../helpers/fake-azure.js';

function setup(t: { after(fn: () => void): void }): { dir: string; ledger: Ledger; env: UndoEnv; reporter: MemoryReporter } {
  const dir = mkdtempSync(join(tmpdir(), 'azc-undo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const reporter = new MemoryReporter();
  const env: UndoEnv = { reporter, signal: new AbortController().signal, stateDir: join(dir, 'state'), buildId: 'b1', run: async (c) => void (await runShell(c)) };
  return { dir, ledger: new Ledger(openJournal(join(dir, 'state'), 'b1')), env, reporter };
}

test('policy-rc.d: removed while it is azchroot\'s, left (with a warning) once the build changed it; released either way, once', async (t) => {
  const { dir, ledger, env, reporter } = setup(t);
  const ours = join(dir, 'ours-policy-rc.d');
  const changed = join(dir, 'changed-policy-rc.d');
  await ledger.track('policy-rc', ours, undefined, async () => writeFileSync(ours, POLICY_RC_CONTENT));
  await ledger.track('policy-rc', changed, undefined, async () => writeFileSync(changed, '#!/bin/sh\nexit 0\n'));
  const report = await ledger.release(env);
  assert.deepEqual(report.failed, []);
  assert.equal(existsSync(ours), false);
  assert.equal(readFileSync(changed, 'utf8'), '#!/bin/sh\nexit 0\n');
  assert.match(reporter.text(), /changed-policy-rc\.d was changed during the build; leaving it in the image/);
  assert.deepEqual((await ledger.release(env)).removed, [], 'nothing pending any more');
});

test('copied file: the original is put back; a copy that never happened leaves the original alone', async (t) => {
  const { dir, ledger, env } = setup(t);
  const target = join(dir, 'resolv.conf');
  const backup = join(dir, '.azchroot-orig-resolv.conf-b1');
  writeFileSync(target, 'original\n');
  await ledger.track('copied-file', target, { backup }, async () => {
    await runShell(`mv -f '${target}' '${backup}' && echo copy > '${target}'`);
  });
  // Intent only (killed before the original was moved aside): the original must survive.
  const other = join(dir, 'hosts');
  writeFileSync(other, 'image hosts\n');
  ledger.journal.intent('copied-file', other, { detail: { backup: join(dir, '.azchroot-orig-hosts-b1') } });
  const report = await ledger.release(env);
  assert.deepEqual(report.failed, []);
  assert.equal(readFileSync(target, 'utf8'), 'original\n');
  assert.equal(existsSync(backup), false);
  assert.equal(readFileSync(other, 'utf8'), 'image hosts\n');
});

test('release order: host things first (newest first within a kind), then the attachment, snapshots, disks', () => {
  const p = (kind: Parameters<typeof releaseOrder>[0][number]['kind'], id: string, seq: number) => ({ kind, id, seq, status: 'created' as const, temporary: true });
  const order = releaseOrder([p('disk', 'd', 1), p('attachment', 'd', 2), p('mount-dir', '/m', 3), p('mount', '/m', 4), p('mount', '/m/proc', 5), p('copied-file', '/m/etc/x', 6), p('policy-rc', '/m/usr/sbin/policy-rc.d', 7), p('snapshot', 's', 8)]);
  assert.deepEqual(order.map((x) => `${x.kind} ${x.id}`), ['policy-rc /m/usr/sbin/policy-rc.d', 'copied-file /m/etc/x', 'mount /m/proc', 'mount /m', 'mount-dir /m', 'attachment d', 'snapshot s', 'disk d']);
});

test('a mount directory someone put files in is not removed (rmdir only); Azure things without Azure access fail and stay pending', async (t) => {
  const { dir, ledger, env } = setup(t);
  ledger.journal.intent('disk', 'D');
  ledger.journal.intent('attachment', 'D');
  ledger.journal.intent('snapshot', 'S');
  const busy = join(dir, 'busy');
  ledger.journal.intent('mount-dir', busy);
  await runShell(`mkdir -p '${busy}' && touch '${busy}/someone-elses-file'`);
  const report = await ledger.release(env);
  const failed = report.failed.map((f) => `${f.kind}: ${(f.error as Error).message}`);
  assert.match(failed[0]!, /^mount-dir: could not remove the mount directory .*busy/);
  assert.match(failed.find((f) => f.startsWith('attachment'))!, /needs Azure access to detach/);
  assert.ok(existsSync(join(busy, 'someone-elses-file')), 'rmdir only: nothing someone put there is deleted');
  assert.deepEqual(ledger.pending().map((p) => p.kind).sort(), ['attachment', 'disk', 'mount-dir', 'snapshot']);
});

test('detach holds the host lock, as attach does: it waits while another build attaches or detaches', async (t) => {
  const { ledger, env, reporter } = setup(t);
  const azure = createFakeAzure();
  const vm = fakeVm();
  const disk = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/build-rg/providers/Microsoft.Compute/disks/PackerTemp-osdisk-7';
  azure.addDisk({ id: disk, location: 'westeurope' });
  await azure.vm.attachDisk(vm, disk, 0);
  ledger.journal.intent('attachment', disk, { detail: { lun: 0 } });
  const other = await acquireHostLock(attachLockPath(env.stateDir));
  const waiting = new Promise<void>((resolve) => {
    const say = reporter.say.bind(reporter);
    reporter.say = (m, step) => {
      say(m, step);
      if (/waiting for another azchroot build on this VM to finish attaching or detaching/.test(m)) resolve();
    };
  });
  const release = ledger.release({ ...env, azure, vm });
  await waiting;
  assert.equal(azure.calls.filter((c) => c.startsWith('vm.detachDisk')).length, 0, 'no detach while the other build holds the lock');
  await other.release();
  assert.deepEqual((await release).failed, []);
  assert.equal(azure.store.vmDisks.length, 0);
});
