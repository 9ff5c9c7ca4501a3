// Disk image files: fixed VHD export (MiB-aligned, valid footer), raw export, and import of raw
// and fixed VHD files, byte for byte and without filling holes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import {
  buildFixedVhdFooter,
  createDiskBackend,
  exportBlob,
  importDiskImage,
  parseVhdFooter,
  vhdChecksum,
  vhdGeometry,
} from '../../src/emulator/disks/index.js';
import { layout } from '../../src/emulator/state-layout.js';
import { allocatedBytes } from '../helpers/block-usage.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

async function writeAt(path: string, offset: number, data: Buffer): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.write(data, 0, data.length, offset);
  } finally {
    await handle.close();
  }
}

async function tail512(path: string): Promise<Buffer> {
  const size = (await stat(path)).size;
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(512);
    await handle.read(buf, 0, 512, size - 512);
    return buf;
  } finally {
    await handle.close();
  }
}

/** `cmp` exits 0 only if the first `bytes` of both files are identical. */
function sameBytes(a: string, b: string, bytes?: number): boolean {
  try {
    execFileSync('cmp', bytes === undefined ? ['-s', a, b] : ['-s', '-n', String(bytes), a, b]);
    return true;
  } catch {
    return false;
  }
}

test('VHD geometry follows the specification algorithm', () => {
  assert.deepEqual(vhdGeometry(MIB), { cylinders: 30, heads: 4, sectorsPerTrack: 17 });
  assert.deepEqual(vhdGeometry(127 * GIB), { cylinders: 65278, heads: 16, sectorsPerTrack: 255 });
  assert.deepEqual(vhdGeometry(30 * GIB), { cylinders: 62415, heads: 16, sectorsPerTrack: 63 });
  assert.deepEqual(vhdGeometry(4 * 1024 * GIB), { cylinders: 65535, heads: 16, sectorsPerTrack: 255 }, 'capped at the maximum');
});

test('the footer is a valid fixed-VHD footer', () => {
  const when = new Date(Date.UTC(2024, 0, 1));
  const footer = buildFixedVhdFooter(64 * MIB, when);
  assert.equal(footer.length, 512);
  assert.equal(footer.toString('ascii', 0, 8), 'conectix');
  assert.equal(footer.readUInt32BE(8), 2);
  assert.equal(footer.readUInt32BE(12), 0x00010000);
  assert.equal(footer.readBigUInt64BE(16), 0xffffffffffffffffn);
  assert.equal(footer.readUInt32BE(24), (when.getTime() - Date.UTC(2000, 0, 1)) / 1000);
  assert.equal(footer.readBigUInt64BE(40), BigInt(64 * MIB));
  assert.equal(footer.readBigUInt64BE(48), BigInt(64 * MIB));
  const chs = vhdGeometry(64 * MIB);
  assert.deepEqual([footer.readUInt16BE(56), footer[58], footer[59]], [chs.cylinders, chs.heads, chs.sectorsPerTrack]);
  assert.equal(footer.readUInt32BE(60), 2, 'disk type fixed');
  assert.equal(footer.readUInt32BE(64), vhdChecksum(footer));
  // Independent check: the byte sum including the stored checksum's complement is 0xFFFFFFFF.
  let sum = 0;
  for (let i = 0; i < 512; i++) if (i < 64 || i >= 68) sum += footer[i] ?? 0;
  assert.equal((sum + footer.readUInt32BE(64)) >>> 0, 0xffffffff);
  assert.notDeepEqual(footer.subarray(68, 84), buildFixedVhdFooter(64 * MIB, when).subarray(68, 84), 'unique ids differ');
  assert.deepEqual(parseVhdFooter(footer), { diskType: 2, currentSize: 64 * MIB, checksumValid: true });
});

test('VHD export pads to a whole MiB, keeps holes, and re-imports to the same bytes', async (t) => {
  const state = await makeTempDir(t, 'azc-vhd-');
  const disks = createDiskBackend(state, `${state}/dev`);
  const size = 3 * MIB + 4096; // not MiB-aligned: the export pads with zeros
  const blob = await disks.createEmpty(size);
  const blobPath = layout.blob(state, blob);
  await writeAt(blobPath, 0, Buffer.from('first sector'));
  await writeAt(blobPath, size - 6, Buffer.from('last!!'));

  const vhd = `${state}/out.vhd`;
  await exportBlob(blobPath, vhd, 'vhd');
  assert.equal((await stat(vhd)).size, 4 * MIB + 512);
  const footer = parseVhdFooter(await tail512(vhd));
  assert.deepEqual(footer, { diskType: 2, currentSize: 4 * MIB, checksumValid: true });
  assert.ok(sameBytes(blobPath, vhd, size), 'the data part starts with the blob bytes');

  const reimported = `${state}/blobs/reimported.img`;
  assert.deepEqual(await importDiskImage(vhd, reimported), { sizeBytes: 4 * MIB });
  assert.ok(sameBytes(blobPath, reimported, size));
  assert.deepEqual((await readFile(reimported)).subarray(size), Buffer.alloc(MIB - 4096), 'the padding is zeros');

  // A MiB-aligned blob survives the round trip byte for byte.
  const aligned = await disks.createEmpty(GIB);
  const alignedPath = layout.blob(state, aligned);
  await writeAt(alignedPath, GIB / 2, Buffer.from('half way'));
  const bigVhd = `${state}/big.vhd`;
  await exportBlob(alignedPath, bigVhd, 'vhd');
  assert.ok(allocatedBytes(bigVhd) < MIB, `a 1 GiB sparse export allocates ${allocatedBytes(bigVhd)} bytes`);
  const back = `${state}/blobs/back.img`;
  assert.deepEqual(await importDiskImage(bigVhd, back), { sizeBytes: GIB });
  assert.ok(sameBytes(alignedPath, back), 'identical bytes after export and import');
  assert.ok(allocatedBytes(back) < MIB, 'the import keeps holes');
});

test('raw export and import copy the bytes unchanged', async (t) => {
  const state = await makeTempDir(t, 'azc-vhd-');
  const disks = createDiskBackend(state, `${state}/dev`);
  const blob = await disks.createEmpty(5 * 512);
  await writeAt(layout.blob(state, blob), 700, Buffer.from('raw data'));
  const raw = `${state}/out.raw`;
  await exportBlob(layout.blob(state, blob), raw, 'raw');
  assert.ok(sameBytes(layout.blob(state, blob), raw));
  const back = `${state}/blobs/back.img`;
  assert.deepEqual(await importDiskImage(raw, back), { sizeBytes: 5 * 512 });
  assert.ok(sameBytes(raw, back));
});

test('import refuses dynamic VHDs, damaged footers, odd-sized raw files and empty files', async (t) => {
  const dir = await makeTempDir(t, 'azc-vhd-');
  const dynamicFooter = buildFixedVhdFooter(MIB);
  dynamicFooter.writeUInt32BE(3, 60);
  dynamicFooter.writeUInt32BE(vhdChecksum(dynamicFooter), 64);
  await writeFile(`${dir}/dynamic.vhd`, Buffer.concat([Buffer.alloc(MIB), dynamicFooter]));
  const damaged = buildFixedVhdFooter(MIB);
  damaged[100] = 1;
  await writeFile(`${dir}/damaged.vhd`, Buffer.concat([Buffer.alloc(MIB), damaged]));
  await writeFile(`${dir}/odd.raw`, Buffer.alloc(1000));
  await writeFile(`${dir}/empty.raw`, '');
  const cases: Array<[string, RegExp]> = [
    ['dynamic.vhd', /dynamic VHD/],
    ['damaged.vhd', /wrong checksum/],
    ['odd.raw', /1000 bytes, not a multiple of 512/],
    ['empty.raw', /is empty/],
    ['missing.raw', /cannot read disk image file/],
  ];
  for (const [name, message] of cases) {
    await assert.rejects(importDiskImage(`${dir}/${name}`, `${dir}/blob.img`), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'AZC_EMULATOR_IMAGE_FILE', name);
      assert.match(err.message, message);
      assert.ok(err.message.includes(name), `the message names the file: ${err.message}`);
      return true;
    });
  }
  await assert.rejects(stat(`${dir}/blob.img`), { code: 'ENOENT' }, 'nothing was written');
});
