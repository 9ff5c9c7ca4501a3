// `emulator add-image` and `emulator export` on a state directory.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { addImageCommand, exportCommand, parseUrn } from '../../src/cli/commands/emulator-files.js';
import { buildFixedVhdFooter, parseVhdFooter } from '../../src/emulator/disks/index.js';
import { layout, platformImageKey, type PlatformImageRecord, type StoredResource } from '../../src/emulator/state-layout.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const MIB = 1024 ** 2;
const IMAGE_ID = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/azchroot-rg/providers/Microsoft.Compute/images/golden';

function sameFiles(a: string, b: string): boolean {
  try {
    execFileSync('cmp', ['-s', a, b]);
    return true;
  } catch {
    return false;
  }
}

function patterned(size: number): Buffer {
  const buf = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4096) buf.write(`sector@${i}`, i);
  return buf;
}

async function readRecord(state: string, urn: string): Promise<PlatformImageRecord> {
  const [p, o, s, v] = urn.split(':') as [string, string, string, string];
  return JSON.parse(await readFile(layout.platformImage(state, platformImageKey(p, o, s, v)), 'utf8')) as PlatformImageRecord;
}

test('add-image registers a fixed VHD as a platform image with the footer stripped', async (t) => {
  const dir = await makeTempDir(t, 'azc-files-');
  const state = `${dir}/state`;
  const data = patterned(2 * MIB);
  await writeFile(`${dir}/ubuntu.vhd`, Buffer.concat([data, buildFixedVhdFooter(2 * MIB)]));
  await addImageCommand({ state, urn: 'Canonical:UbuntuServer:18.04-LTS:18.04.202401010', file: `${dir}/ubuntu.vhd`, hyperVGeneration: 'V2' });

  const record = await readRecord(state, 'canonical:ubuntuserver:18.04-lts:18.04.202401010');
  assert.deepEqual({ ...record, blobId: 'x' }, {
    publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS', version: '18.04.202401010',
    hyperVGeneration: 'V2', blobId: 'x', sizeBytes: 2 * MIB,
  });
  assert.deepEqual(await readFile(layout.blob(state, record.blobId)), data);
});

test('add-image accepts a raw file, defaults to V1, and re-registering replaces the old data', async (t) => {
  const dir = await makeTempDir(t, 'azc-files-');
  const state = `${dir}/state`;
  await writeFile(`${dir}/one.raw`, patterned(MIB));
  await writeFile(`${dir}/two.raw`, patterned(3 * MIB));
  const urn = 'Debian:debian-12:12:0.20240101.1';
  assert.equal(await addImageCommand({ state, urn, file: `${dir}/one.raw` }),
    `registered platform image ${urn} (V1, 1 MiB) in ${state}\nuse it as source = "${urn}" or "Debian:debian-12:12:latest"\n`);
  const first = await readRecord(state, urn);
  assert.equal(first.hyperVGeneration, 'V1');
  assert.equal(first.sizeBytes, MIB);
  assert.match(await addImageCommand({ state, urn, file: `${dir}/two.raw` }), /^registered platform image .* \(V1, 3 MiB\) in .*, replacing the one registered before\n/);
  const second = await readRecord(state, urn);
  assert.equal(second.sizeBytes, 3 * MIB);
  assert.ok(sameFiles(`${dir}/two.raw`, layout.blob(state, second.blobId)));
  assert.deepEqual(await readdir(layout.blobsDir(state)), [`${second.blobId}.img`], 'the old blob is removed, no temp files left');
  assert.deepEqual((await readdir(layout.platformImagesDir(state))).length, 1);
});

test('add-image refuses bad URNs and unsupported files, writing nothing', async (t) => {
  const dir = await makeTempDir(t, 'azc-files-');
  const state = `${dir}/state`;
  await writeFile(`${dir}/ok.raw`, Buffer.alloc(MIB));
  await writeFile(`${dir}/odd.bin`, Buffer.alloc(777));
  for (const urn of ['Canonical:UbuntuServer:18.04-LTS', 'a:b:c:d:e', 'Canonical::sku:1.0.0', 'Canonical:UbuntuServer:18.04-LTS:latest']) {
    await assert.rejects(addImageCommand({ state, urn, file: `${dir}/ok.raw` }), (err: Error & { code?: string; hint?: string }) => {
      assert.equal(err.code, 'AZC_USAGE', urn);
      assert.ok(err.message.includes(urn) || err.message.includes('"latest"'), err.message);
      assert.match(err.hint ?? '', /publisher:offer:sku:version|Major\.Minor\.Build/);
      return true;
    });
  }
  await assert.rejects(addImageCommand({ state, urn: 'p:o:s:1.0.0', file: `${dir}/odd.bin` }), { code: 'AZC_EMULATOR_IMAGE_FILE' });
  await assert.rejects(addImageCommand({ state, urn: 'p:o:s:1.0.0', file: `${dir}/nope.vhd` }), { code: 'AZC_EMULATOR_IMAGE_FILE' });
  const blobs = await readdir(layout.blobsDir(state)).catch(() => []);
  assert.deepEqual(blobs, []);
  assert.deepEqual(await readdir(layout.platformImagesDir(state)).catch(() => []), []);
  assert.deepEqual(parseUrn('a:b:c:1.2.3'), ['a', 'b', 'c', '1.2.3']);
});

async function storeImage(state: string, blobData?: Buffer): Promise<string | undefined> {
  await mkdir(layout.resourcesDir(state), { recursive: true });
  let blobId: string | undefined;
  if (blobData) {
    blobId = 'image-os-blob';
    await mkdir(layout.blobsDir(state), { recursive: true });
    await writeFile(layout.blob(state, blobId), blobData);
  }
  const resource: StoredResource = { id: IMAGE_ID, type: 'Microsoft.Compute/images', body: { id: IMAGE_ID, name: 'golden' }, blobId };
  await writeFile(layout.resource(state, IMAGE_ID), JSON.stringify(resource));
  return blobId;
}

test('export writes a resource (id matched case-insensitively) as raw or fixed VHD', async (t) => {
  const state = await makeTempDir(t, 'azc-files-');
  const data = patterned(MIB + 512);
  const blobId = await storeImage(state, data);
  await exportCommand({ state, resourceId: IMAGE_ID.toUpperCase(), file: `${state}/golden.raw`, format: 'raw' });
  assert.ok(sameFiles(layout.blob(state, blobId ?? ''), `${state}/golden.raw`));

  await exportCommand({ state, resourceId: IMAGE_ID, file: `${state}/golden.vhd`, format: 'vhd' });
  const vhd = await readFile(`${state}/golden.vhd`);
  assert.equal(vhd.length, 2 * MIB + 512);
  assert.deepEqual(vhd.subarray(0, data.length), data);
  assert.deepEqual(parseVhdFooter(vhd.subarray(vhd.length - 512)), { diskType: 2, currentSize: 2 * MIB, checksumValid: true });
  // An existing file is never replaced by accident; --force replaces it in place.
  await assert.rejects(exportCommand({ state, resourceId: IMAGE_ID, file: `${state}/golden.vhd`, format: 'raw' }), (err: Error & { code?: string; hint?: string }) => {
    assert.equal(err.code, 'AZC_EMULATOR_EXPORT_PATH');
    assert.equal(err.message, `${state}/golden.vhd already exists`);
    assert.match(err.hint ?? '', /--force/);
    return true;
  });
  assert.equal((await stat(`${state}/golden.vhd`)).size, 2 * MIB + 512, 'the refused export left the file alone');
  const said = await exportCommand({ state, resourceId: IMAGE_ID, file: `${state}/golden.vhd`, format: 'raw', force: true });
  assert.equal((await stat(`${state}/golden.vhd`)).size, data.length);
  assert.equal(said, `wrote ${IMAGE_ID} to ${state}/golden.vhd (raw, 1.0 MiB (${data.length} bytes))\n`);
});

test('export fails clearly for an unknown id, a resource without data, a missing output directory and a missing state directory', async (t) => {
  const state = await makeTempDir(t, 'azc-files-');
  await storeImage(state);
  const missingId = IMAGE_ID.replace('golden', 'nothere');
  await assert.rejects(exportCommand({ state, resourceId: missingId, file: `${state}/x.raw`, format: 'raw' }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'AZC_EMULATOR_NOT_FOUND');
    assert.ok(err.message.includes(missingId));
    return true;
  });
  await assert.rejects(exportCommand({ state, resourceId: IMAGE_ID, file: `${state}/x.raw`, format: 'raw' }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'AZC_EMULATOR_NO_DATA');
    assert.match(err.message, /Microsoft\.Compute\/images/);
    return true;
  });
  await storeImage(state, Buffer.alloc(512));
  await assert.rejects(exportCommand({ state, resourceId: IMAGE_ID, file: `${state}/no/such/dir/x.raw`, format: 'raw' }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'AZC_EMULATOR_EXPORT_PATH');
    assert.ok(err.message.includes(`${state}/no/such/dir`));
    return true;
  });
  await assert.rejects(exportCommand({ state: `${state}/nope`, resourceId: IMAGE_ID, file: `${state}/x.raw`, format: 'raw' }), { code: 'AZC_EMULATOR_STATE' });
  await assert.rejects(stat(`${state}/x.raw`), { code: 'ENOENT' });
});
