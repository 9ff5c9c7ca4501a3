// Blobs are sparse files: creating, copying and growing a multi-GB disk must not allocate its size.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, readFile, readdir } from 'node:fs/promises';
import { createDiskBackend } from '../../src/emulator/disks/index.js';
import { layout } from '../../src/emulator/state-layout.js';
import { allocatedBytes } from '../helpers/block-usage.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

async function writeAt(path: string, offset: number, text: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.write(Buffer.from(text), 0, text.length, offset);
  } finally {
    await handle.close();
  }
}

async function readAt(path: string, offset: number, length: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    await handle.read(buf, 0, length, offset);
    return buf.toString();
  } finally {
    await handle.close();
  }
}

test('createEmpty makes a sparse blob of the exact size', async (t) => {
  const state = await makeTempDir(t);
  const disks = createDiskBackend(state, `${state}/dev`);
  const id = await disks.createEmpty(4 * GIB);
  assert.equal(await disks.sizeOf(id), 4 * GIB);
  assert.ok(allocatedBytes(layout.blob(state, id)) < MIB, 'a new 4 GiB blob allocates (almost) nothing');
  assert.deepEqual(await readdir(layout.blobsDir(state)), [`${id}.img`], 'no temp files are left');
});

test('copy keeps data and holes, and grows the copy when asked', async (t) => {
  const state = await makeTempDir(t);
  const disks = createDiskBackend(state, `${state}/dev`);
  const source = await disks.createEmpty(2 * GIB);
  const sourcePath = layout.blob(state, source);
  await writeAt(sourcePath, 0, 'boot sector');
  await writeAt(sourcePath, GIB + 12345, 'middle of the disk');
  await writeAt(sourcePath, 2 * GIB - 4, 'end!');
  const before = allocatedBytes(sourcePath);

  const same = await disks.copy(source);
  const grown = await disks.copy(source, 3 * GIB);
  for (const id of [same, grown]) {
    const path = layout.blob(state, id);
    assert.equal(await readAt(path, 0, 11), 'boot sector');
    assert.equal(await readAt(path, GIB + 12345, 18), 'middle of the disk');
    assert.equal(await readAt(path, 2 * GIB - 4, 4), 'end!');
    assert.ok(allocatedBytes(path) <= before + MIB, `copy ${id} allocates ${allocatedBytes(path)} bytes, source ${before}`);
  }
  assert.equal(await disks.sizeOf(same), 2 * GIB);
  assert.equal(await disks.sizeOf(grown), 3 * GIB);
  assert.equal(await readAt(layout.blob(state, grown), 2 * GIB, 4), '\0\0\0\0', 'the grown tail reads as zeros');
  assert.notEqual(same, grown);
});

test('a smaller size in copy does not shrink the copy', async (t) => {
  const state = await makeTempDir(t);
  const disks = createDiskBackend(state, `${state}/dev`);
  const source = await disks.createEmpty(8 * MIB);
  const copy = await disks.copy(source, 1 * MIB);
  assert.equal(await disks.sizeOf(copy), 8 * MIB);
});

test('grow extends with a hole and never shrinks', async (t) => {
  const state = await makeTempDir(t);
  const disks = createDiskBackend(state, `${state}/dev`);
  const id = await disks.createEmpty(GIB);
  const path = layout.blob(state, id);
  await writeAt(path, 100, 'data');
  const before = allocatedBytes(path);
  await disks.grow(id, 30 * GIB);
  assert.equal(await disks.sizeOf(id), 30 * GIB);
  assert.equal(allocatedBytes(path), before, 'growing allocates nothing');
  await disks.grow(id, GIB);
  assert.equal(await disks.sizeOf(id), 30 * GIB, 'grow to a smaller size is a no-op');
  assert.equal(await readAt(path, 100, 4), 'data');
});

test('remove deletes a blob and ignores a missing one; sizeOf a missing blob fails clearly', async (t) => {
  const state = await makeTempDir(t);
  const disks = createDiskBackend(state, `${state}/dev`);
  const id = await disks.createEmpty(MIB);
  await disks.remove(id);
  await disks.remove(id);
  await assert.rejects(readFile(layout.blob(state, id)), { code: 'ENOENT' });
  await assert.rejects(disks.sizeOf(id), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'AZC_EMULATOR_BLOB_MISSING');
    assert.match(err.message, new RegExp(id));
    return true;
  });
});

test('blob ids that would escape the blobs directory are refused', async (t) => {
  const state = await makeTempDir(t);
  const disks = createDiskBackend(state, `${state}/dev`);
  await assert.rejects(disks.copy('../../etc/passwd'), { code: 'AZC_EMULATOR_BLOB_ID' });
  await assert.rejects(disks.createEmpty(0), { code: 'AZC_EMULATOR_DISK_SIZE' });
});
