// The emulator's disk storage: sparse blobs, loop-device attachments and disk image files.

export { createDiskBackend } from './create-disk-backend.js';
export { importDiskImage, exportBlob, inspectDiskImage, type DiskFileFormat } from './disk-image-files.js';
export { buildFixedVhdFooter, parseVhdFooter, vhdChecksum, vhdGeometry } from './vhd-footer.js';
export { lunLinkPath } from './device-links.js';
export { writeJsonAtomic } from './atomic-file.js';
