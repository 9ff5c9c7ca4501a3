// Registers a platform image record in a state directory, as `emulator add-image` does.

import { layout, platformImageKey, type PlatformImageRecord } from '../../../src/emulator/state-layout.js';
import { writeJsonAtomic } from '../../../src/emulator/json-files.js';

/** Writes `record` to <state>/platform-images. */
export function writePlatformImage(stateDir: string, record: PlatformImageRecord): void {
  writeJsonAtomic(layout.platformImage(stateDir, platformImageKey(record.publisher, record.offer, record.sku, record.version)), record);
}
