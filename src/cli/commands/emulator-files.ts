// `azchroot emulator add-image` and `azchroot emulator export`: move disk data into and out of an
// emulator state directory. Both may run while a server serves that directory: they only create
// new blobs and replace files atomically, and the server re-reads state files on each request.

import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AzchrootError, UsageError } from '../../errors.js';
import { exportBlob, importDiskImage, writeJsonAtomic } from '../../emulator/disks/index.js';
import { layout, platformImageKey, type PlatformImageRecord, type StoredResource } from '../../emulator/state-layout.js';

/** Registers the platform image `urn` (publisher:offer:sku:version) from a raw or fixed-VHD `file`; returns what it did, for a person. */
export async function addImageCommand(opts: { state: string; urn: string; file: string; hyperVGeneration?: 'V1' | 'V2' }): Promise<string> {
  const [publisher, offer, sku, version] = parseUrn(opts.urn);
  const hyperVGeneration = opts.hyperVGeneration ?? 'V1';
  if (hyperVGeneration !== 'V1' && hyperVGeneration !== 'V2') {
    throw new UsageError(`invalid Hyper-V generation "${String(hyperVGeneration)}"`, { hint: 'use V1 or V2' });
  }
  // The state directory may not exist yet: images are often registered before the first serve.
  await mkdir(opts.state, { recursive: true });
  const key = platformImageKey(publisher, offer, sku, version);
  const recordPath = layout.platformImage(opts.state, key);
  const previous = await readJson<PlatformImageRecord>(recordPath);
  const blobId = randomUUID();
  const blobPath = layout.blob(opts.state, blobId);
  const { sizeBytes } = await importDiskImage(opts.file, blobPath);
  const record: PlatformImageRecord = { publisher, offer, sku, version, hyperVGeneration, blobId, sizeBytes };
  try {
    await mkdir(layout.platformImagesDir(opts.state), { recursive: true });
    await writeJsonAtomic(recordPath, record);
  } catch (err) {
    await rm(blobPath, { force: true });
    throw err;
  }
  // Re-registering replaces the image; its old data is no longer reachable.
  if (previous?.blobId && previous.blobId !== blobId) await rm(layout.blob(opts.state, previous.blobId), { force: true });
  const replaced = previous ? ', replacing the one registered before' : '';
  return `registered platform image ${publisher}:${offer}:${sku}:${version} (${hyperVGeneration}, ${formatSize(sizeBytes)}) in ${opts.state}${replaced}\n` +
    `use it as source = "${publisher}:${offer}:${sku}:${version}" or "${publisher}:${offer}:${sku}:latest"\n`;
}

/** Writes the data of a disk, snapshot, image or gallery image version (by resource id) to `file`; returns what it did. */
export async function exportCommand(opts: { state: string; resourceId: string; file: string; format: 'raw' | 'vhd'; force?: boolean }): Promise<string> {
  if (opts.format !== 'raw' && opts.format !== 'vhd') {
    throw new UsageError(`unsupported export format "${String(opts.format)}"`, { hint: 'use raw or vhd (fixed VHD)' });
  }
  await assertStateDir(opts.state);
  const resource = await readJson<StoredResource>(layout.resource(opts.state, opts.resourceId));
  if (!resource) {
    throw new AzchrootError('AZC_EMULATOR_NOT_FOUND', `no resource with id ${opts.resourceId} in emulator state ${opts.state}`, 'user', {
      hint: 'check the id (as printed by the build, e.g. /subscriptions/.../providers/Microsoft.Compute/images/NAME); ids are case-insensitive',
    });
  }
  if (!resource.blobId) {
    throw new AzchrootError('AZC_EMULATOR_NO_DATA', `resource ${resource.id} (${resource.type}) has no disk data to export`, 'user', {
      hint: 'export a disk, snapshot, image or gallery image version',
    });
  }
  const target = await stat(dirname(resolve(opts.file))).catch(() => undefined);
  if (!target?.isDirectory()) {
    throw new AzchrootError('AZC_EMULATOR_EXPORT_PATH', `cannot write ${opts.file}: directory ${dirname(resolve(opts.file))} does not exist`, 'user', {
      hint: 'create the directory first or pick another output path',
    });
  }
  if (!opts.force && (await stat(opts.file).catch(() => undefined))) {
    throw new AzchrootError('AZC_EMULATOR_EXPORT_PATH', `${opts.file} already exists`, 'user', {
      hint: 'pick another output path, remove the file, or pass --force to replace it',
    });
  }
  await exportBlob(layout.blob(opts.state, resource.blobId), opts.file, opts.format);
  const written = (await stat(opts.file)).size;
  return `wrote ${resource.id} to ${opts.file} (${opts.format === 'vhd' ? 'fixed VHD' : 'raw'}, ${formatSize(written)})\n`;
}

/** 2147483648 → "2 GiB", 1049088 → "1.0 MiB (1049088 bytes)". */
function formatSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20]] as const) {
    if (bytes >= size) return bytes % size === 0 ? `${bytes / size} ${unit}` : `${(bytes / size).toFixed(1)} ${unit} (${bytes} bytes)`;
  }
  return `${bytes} bytes`;
}

/** Splits `publisher:offer:sku:version`; the version must be a concrete Major.Minor.Build. */
export function parseUrn(urn: string): [string, string, string, string] {
  const parts = urn.split(':');
  const valid = parts.length === 4 && parts.every((p) => p.trim() !== '' && p === p.trim() && !/[/\\]/.test(p));
  if (!valid) {
    throw new UsageError(`invalid image URN "${urn}"`, { hint: 'use publisher:offer:sku:version, e.g. Canonical:UbuntuServer:18.04-LTS:18.04.202401010' });
  }
  const [publisher, offer, sku, version] = parts as [string, string, string, string];
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new UsageError(`invalid image version "${version}" in URN "${urn}"`, {
      hint: 'a registered image needs a concrete version Major.Minor.Build, e.g. 1.0.0 ("latest" is resolved at build time)',
    });
  }
  return [publisher, offer, sku, version];
}

async function assertStateDir(state: string): Promise<void> {
  const info = await stat(state).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new AzchrootError('AZC_EMULATOR_STATE', `emulator state directory ${state} does not exist`, 'user', {
      hint: 'pass the --state directory of `azchroot emulator serve` (it is created on first start)',
      exitCode: 2,
    });
  }
}

async function readJson<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  return JSON.parse(text) as T;
}
