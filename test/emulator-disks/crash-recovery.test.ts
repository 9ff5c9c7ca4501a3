// detachAll after a crash: a fresh backend over the same state directory finds and undoes what a
// dead server attached, including a device attached just before the crash and never recorded,
// and leaves alone a loop device whose number was reused for someone else's file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createDiskBackend, lunLinkPath } from '../../src/emulator/disks/index.js';
import { layout, type Attachment } from '../../src/emulator/state-layout.js';
import { loopsUnder } from '../helpers/block-usage.js';
import { deferStack, makeTempDir } from '../helpers/temp-dir.js';

const MIB = 1024 ** 2;

function losetupAttach(file: string): string {
  return execFileSync('losetup', ['--find', '--show', file], { encoding: 'utf8' }).trim();
}

test('a new backend detaches everything a crashed one left behind', async (t) => {
  const state = await makeTempDir(t, 'azc-crash-');
  const devroot = `${state}/dev`;
  const defer = deferStack(t);
  const crashed = createDiskBackend(state, devroot);
  defer(() => crashed.detachAll());
  const a = await crashed.createEmpty(MIB);
  const b = await crashed.createEmpty(MIB);
  const c = await crashed.createEmpty(MIB);
  await crashed.attach('disk-a', a, 0);
  await crashed.attach('disk-b', b, 1);
  // Attached right before the "crash", never recorded in attachments.json.
  const unrecorded = losetupAttach(layout.blob(state, c));
  assert.equal(loopsUnder(state).length, 3);

  // The crashed process is gone; its successor only has the state directory.
  const successor = createDiskBackend(state, devroot);
  await successor.detachAll();
  assert.deepEqual(loopsUnder(state), [], `still attached: ${loopsUnder(state).join(', ')}`);
  assert.ok(!existsSync(lunLinkPath(devroot, 0)));
  assert.ok(!existsSync(lunLinkPath(devroot, 1)));
  assert.deepEqual(JSON.parse(readFileSync(layout.attachments(state), 'utf8')), []);
  assert.ok(!loopsUnder(state).includes(unrecorded));
  await successor.detachAll();
});

test('detachAll does not detach a recorded loop device that now backs a foreign file', async (t) => {
  const state = await makeTempDir(t, 'azc-crash-');
  const foreignDir = await makeTempDir(t, 'azc-foreign-');
  const defer = deferStack(t);
  const disks = createDiskBackend(state, `${state}/dev`);
  const blob = await disks.createEmpty(MIB);
  const foreignFile = `${foreignDir}/other.img`;
  writeFileSync(foreignFile, Buffer.alloc(MIB));
  const foreignDevice = losetupAttach(foreignFile);
  defer(() => execFileSync('losetup', ['-d', foreignDevice]));
  // A stale record claims the foreign device (the number was reused after our device went away).
  const stale: Attachment[] = [{ diskId: 'disk-a', lun: 0, loopDevice: foreignDevice, blobId: blob }];
  writeFileSync(layout.attachments(state), JSON.stringify(stale));

  await disks.detachAll();
  assert.deepEqual(loopsUnder(foreignDir), [foreignDevice], 'the foreign loop device is still attached');
  assert.deepEqual(JSON.parse(readFileSync(layout.attachments(state), 'utf8')), [], 'the stale record is dropped');
});

test('detachAll on a fresh state directory does nothing and does not fail', async (t) => {
  const state = await makeTempDir(t, 'azc-crash-');
  await createDiskBackend(state, `${state}/dev`).detachAll();
  assert.ok(!existsSync(layout.attachments(state)));
});

test('detach frees the loop device even if the blob was deleted while attached', async (t) => {
  const state = await makeTempDir(t, 'azc-crash-');
  const disks = createDiskBackend(state, `${state}/dev`);
  deferStack(t)(() => disks.detachAll());
  const blob = await disks.createEmpty(MIB);
  const device = await disks.attach('disk-a', blob, 0);
  await disks.remove(blob);
  assert.deepEqual(loopsUnder(state), [device], 'the kernel still holds the deleted file');
  await disks.detach(0);
  assert.deepEqual(loopsUnder(state), []);
});
