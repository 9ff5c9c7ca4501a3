// The 512-byte footer of a fixed VHD (Microsoft "Virtual Hard Disk Image Format Specification"):
// building one for export and recognising one on import. All fields are big-endian.

import { randomBytes } from 'node:crypto';

export const VHD_FOOTER_SIZE = 512;
const COOKIE = 'conectix';
const VHD_EPOCH_MS = Date.UTC(2000, 0, 1);
const CHECKSUM_OFFSET = 64;
export const VHD_DISK_TYPE_FIXED = 2;

export interface VhdFooterInfo {
  diskType: number;
  currentSize: number;
  checksumValid: boolean;
}

export interface ChsGeometry {
  cylinders: number;
  heads: number;
  sectorsPerTrack: number;
}

/** CHS geometry for `sizeBytes`, following the algorithm given in the VHD specification. */
export function vhdGeometry(sizeBytes: number): ChsGeometry {
  let totalSectors = Math.floor(sizeBytes / 512);
  if (totalSectors > 65535 * 16 * 255) totalSectors = 65535 * 16 * 255;
  let sectorsPerTrack: number;
  let heads: number;
  let cylinderTimesHeads: number;
  if (totalSectors >= 65535 * 16 * 63) {
    sectorsPerTrack = 255;
    heads = 16;
    cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
  } else {
    sectorsPerTrack = 17;
    cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
    heads = Math.max(4, Math.floor((cylinderTimesHeads + 1023) / 1024));
    if (cylinderTimesHeads >= heads * 1024 || heads > 16) {
      sectorsPerTrack = 31;
      heads = 16;
      cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
    }
    if (cylinderTimesHeads >= heads * 1024) {
      sectorsPerTrack = 63;
      heads = 16;
      cylinderTimesHeads = Math.floor(totalSectors / sectorsPerTrack);
    }
  }
  return { cylinders: Math.floor(cylinderTimesHeads / heads), heads, sectorsPerTrack };
}

/** Ones' complement of the byte sum of `footer`, with the checksum field counted as zero. */
export function vhdChecksum(footer: Buffer): number {
  let sum = 0;
  for (let i = 0; i < footer.length; i++) {
    if (i >= CHECKSUM_OFFSET && i < CHECKSUM_OFFSET + 4) continue;
    sum += footer[i] ?? 0;
  }
  return ~sum >>> 0;
}

/** Builds the footer of a fixed VHD whose data part is `sizeBytes` long. */
export function buildFixedVhdFooter(sizeBytes: number, now: Date = new Date()): Buffer {
  const f = Buffer.alloc(VHD_FOOTER_SIZE);
  f.write(COOKIE, 0, 'ascii');
  f.writeUInt32BE(2, 8); // features: "reserved" bit, always set
  f.writeUInt32BE(0x00010000, 12); // file format version 1.0
  f.writeBigUInt64BE(0xffffffffffffffffn, 16); // data offset: none for fixed disks
  f.writeUInt32BE(Math.max(0, Math.floor((now.getTime() - VHD_EPOCH_MS) / 1000)) >>> 0, 24);
  f.write('azcr', 28, 'ascii'); // creator application
  f.writeUInt32BE(0x00010000, 32); // creator version
  f.write('Wi2k', 36, 'ascii'); // creator host OS, the value Azure tooling writes
  f.writeBigUInt64BE(BigInt(sizeBytes), 40); // original size
  f.writeBigUInt64BE(BigInt(sizeBytes), 48); // current size
  const chs = vhdGeometry(sizeBytes);
  f.writeUInt16BE(chs.cylinders, 56);
  f.writeUInt8(chs.heads, 58);
  f.writeUInt8(chs.sectorsPerTrack, 59);
  f.writeUInt32BE(VHD_DISK_TYPE_FIXED, 60);
  randomBytes(16).copy(f, 68); // unique id
  // byte 84 (saved state) and the reserved rest stay zero
  f.writeUInt32BE(vhdChecksum(f), CHECKSUM_OFFSET);
  return f;
}

/** Parses `tail` (the last 512 bytes of a file) as a VHD footer; undefined if it is not one. */
export function parseVhdFooter(tail: Buffer): VhdFooterInfo | undefined {
  if (tail.length !== VHD_FOOTER_SIZE || tail.toString('ascii', 0, 8) !== COOKIE) return undefined;
  return {
    diskType: tail.readUInt32BE(60),
    currentSize: Number(tail.readBigUInt64BE(48)),
    checksumValid: tail.readUInt32BE(CHECKSUM_OFFSET) === vhdChecksum(tail),
  };
}
