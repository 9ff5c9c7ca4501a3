// Registering platform images in an emulator state directory, as `azchroot emulator add-image` does.

import { randomUUID } from 'node:crypto';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { layout, platformImageKey, type PlatformImageRecord } from '../../../src/emulator/state-layout.js';

/** Adds an empty (sparse) platform image publisher:offer:sku:version of `sizeGb` GiB. */
export function addPlatformImage(stateDir: string, urn: string, hyperVGeneration: 'V1' | 'V2' = 'V2', sizeGb = 1): void {
  const [publisher = '', offer = '', sku = '', version = ''] = urn.split(':');
  const blobId = `test-${randomUUID()}`;
  const sizeBytes = sizeGb * 1024 ** 3;
  mkdirSync(layout.blobsDir(stateDir), { recursive: true });
  writeFileSync(layout.blob(stateDir, blobId), '');
  truncateSync(layout.blob(stateDir, blobId), sizeBytes);
  const record: PlatformImageRecord = { publisher, offer, sku, version, hyperVGeneration, blobId, sizeBytes };
  mkdirSync(layout.platformImagesDir(stateDir), { recursive: true });
  writeFileSync(layout.platformImage(stateDir, platformImageKey(publisher, offer, sku, version)), JSON.stringify(record));
}
