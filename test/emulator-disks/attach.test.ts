// Attaching a blob: a loop device with partition scanning and a RELATIVE lun link that resolves to
// it, usable like Azure's /dev/disk/azure/scsi1/lun<N> (partition, mkfs, mount, write).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDiskBackend, lunLinkPath } from '../../src/emulator/disks/index.js';
import { relativeTarget } from '../../src/emulator/disks/device-links.js';
import { layout, type Attachment } from '../../src/emulator/state-layout.js';
import { loopsUnder } from '../helpers/block-usage.js';
import { deferStack, makeTempDir } from '../helpers/temp-dir.js';

const MIB = 1024 ** 2;

function sh(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

async function setup(t: { after(fn: () => unknown): void }) {
  const state = await makeTempDir(t, 'azc-attach-');
  const devroot = `${state}/dev`;
  const disks = createDiskBackend(state, devroot);
  deferStack(t)(() => disks.detachAll());
  return { state, devroot, disks };
}

/** Where Packer's lexical resolution (filepath.Abs(dir + "/" + target)) leads. */
function lexicalTarget(link: string): string {
  return resolve(dirname(link), readlinkSync(link));
}

test('with devroot /dev the link target is ../../../loopN', () => {
  assert.equal(relativeTarget('/dev/disk/azure/scsi1', '/dev/loop0'), '../../../loop0');
  assert.equal(relativeTarget('/dev/disk/azure/scsi1', '/dev/loop12'), '../../../loop12');
});

test('attach makes a relative lun link to a partitionable block device that can be formatted and mounted', async (t) => {
  const { state, devroot, disks } = await setup(t);
  const blob = await disks.createEmpty(64 * MIB);
  const device = await disks.attach('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/os', blob, 0);
  assert.match(device, /^\/dev\/loop\d+$/);

  const link = lunLinkPath(devroot, 0);
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.ok(!isAbsolute(readlinkSync(link)), `link target ${readlinkSync(link)} must be relative`);
  assert.equal(lexicalTarget(link), device);
  assert.ok(statSync(link).isBlockDevice(), 'the link resolves to a block device');

  const recorded = JSON.parse(readFileSync(layout.attachments(state), 'utf8')) as Attachment[];
  assert.deepEqual(recorded, [{ diskId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/os', lun: 0, loopDevice: device, blobId: blob }]);

  sh('sfdisk', ['-q', device], 'label: dos\n,,L\n');
  sh('partx', ['-u', device]);
  const partition = `${device}p1`;
  for (let i = 0; i < 50 && !existsSync(partition); i++) await sleep(100);
  assert.ok(statSync(partition).isBlockDevice(), `${partition} exists (partition scanning is on)`);
  sh('mkfs.ext4', ['-q', '-F', partition]);
  const mnt = `${state}/mnt`;
  await mkdir(mnt);
  sh('mount', [partition, mnt]);
  try {
    await writeFile(`${mnt}/hello.txt`, 'written through the loop device\n');
  } finally {
    sh('umount', [mnt]);
  }
  // The data really is in the blob: mount it again and read it back.
  sh('mount', ['-o', 'ro', partition, mnt]);
  try {
    assert.equal(await readFile(`${mnt}/hello.txt`, 'utf8'), 'written through the loop device\n');
  } finally {
    sh('umount', [mnt]);
  }

  await disks.detach(0);
  assert.ok(!existsSync(link), 'the link is gone');
  assert.deepEqual(loopsUnder(state), [], 'the loop device is gone');
  assert.deepEqual(JSON.parse(readFileSync(layout.attachments(state), 'utf8')), []);
  await disks.detach(0);
});

test('two disks at two luns get distinct devices; attaching the same disk again is idempotent; a busy lun is refused', async (t) => {
  const { state, devroot, disks } = await setup(t);
  const a = await disks.createEmpty(MIB);
  const b = await disks.createEmpty(MIB);
  const devA = await disks.attach('disk-a', a, 0);
  const devB = await disks.attach('disk-b', b, 1);
  assert.notEqual(devA, devB);
  assert.equal(lexicalTarget(lunLinkPath(devroot, 0)), devA);
  assert.equal(lexicalTarget(lunLinkPath(devroot, 1)), devB);
  assert.equal(await disks.attach('DISK-A', a, 0), devA);
  await assert.rejects(disks.attach('disk-c', a, 1), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'AZC_EMULATOR_LUN_BUSY');
    assert.match(err.message, /LUN 1 .*disk-b/);
    return true;
  });
  assert.equal(loopsUnder(state).length, 2, 'the refused attach left no loop device');
  await disks.detach(0);
  assert.deepEqual(loopsUnder(state), [devB]);
  assert.ok(existsSync(lunLinkPath(devroot, 1)));
});

test('linkDelayMs makes the link appear later; neverLink never makes it; detach cleans both', async (t) => {
  const { state, devroot, disks } = await setup(t);
  const a = await disks.createEmpty(MIB);
  const b = await disks.createEmpty(MIB);
  const devA = await disks.attach('disk-a', a, 0, { linkDelayMs: 300 });
  assert.ok(!existsSync(lunLinkPath(devroot, 0)), 'no link right after attach');
  for (let i = 0; i < 100 && !existsSync(lunLinkPath(devroot, 0)); i++) await sleep(50);
  assert.equal(lexicalTarget(lunLinkPath(devroot, 0)), devA, 'the delayed link appeared');

  await disks.attach('disk-b', b, 1, { neverLink: true });
  await sleep(100);
  assert.ok(!existsSync(lunLinkPath(devroot, 1)));
  assert.equal(loopsUnder(state).length, 2, 'the loop device exists without a link');
  await disks.detach(1);
  await disks.detach(0);
  assert.deepEqual(loopsUnder(state), []);
});

test('detach before a delayed link appears cancels the link', async (t) => {
  const { state, devroot, disks } = await setup(t);
  const a = await disks.createEmpty(MIB);
  await disks.attach('disk-a', a, 3, { linkDelayMs: 200 });
  await disks.detach(3);
  await sleep(400);
  assert.ok(!existsSync(lunLinkPath(devroot, 3)), 'no link for a detached disk');
  assert.deepEqual(loopsUnder(state), []);
});
