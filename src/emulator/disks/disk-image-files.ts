// Moving disk data between user files and blobs: import a raw or fixed-VHD file, export a blob as
// raw or fixed VHD. Copies go through `cp --sparse=always`, so multi-GB images with holes never pass
// through memory; only the 512-byte VHD footer is read or written directly.

import { mkdir, open, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AzchrootError } from '../../errors.js';
import { replaceAtomically } from './atomic-file.js';
import { copySparseFile } from './sparse-files.js';
import { buildFixedVhdFooter, parseVhdFooter, VHD_DISK_TYPE_FIXED, VHD_FOOTER_SIZE } from './vhd-footer.js';

const MIB = 1024 * 1024;

export type DiskFileFormat = 'raw' | 'vhd';

/** Copies a raw or fixed-VHD `file` into `destBlobPath` as raw data (footer stripped); returns the data size. */
export async function importDiskImage(file: string, destBlobPath: string): Promise<{ sizeBytes: number }> {
  const { format, dataBytes } = await inspectDiskImage(file);
  await mkdir(dirname(destBlobPath), { recursive: true });
  await replaceAtomically(destBlobPath, async (temp) => {
    await copySparseFile(file, temp);
    if (format === 'vhd') await truncate(temp, dataBytes);
  });
  return { sizeBytes: dataBytes };
}

/** Tells whether `file` is raw or a fixed VHD and how many bytes of disk data it holds; rejects anything else. */
export async function inspectDiskImage(file: string): Promise<{ format: DiskFileFormat; dataBytes: number }> {
  const info = await stat(file).catch((err: unknown) => {
    throw imageFileError(`cannot read disk image file ${file}: ${(err as Error).message}`, 'check the path', err);
  });
  if (!info.isFile()) throw imageFileError(`disk image ${file} is not a regular file`, 'pass a raw disk image or a fixed VHD file');
  if (info.size === 0) throw imageFileError(`disk image ${file} is empty`, 'pass a raw disk image or a fixed VHD file');
  const footer = info.size >= VHD_FOOTER_SIZE ? await readTail(file, info.size) : undefined;
  const vhd = footer ? parseVhdFooter(footer) : undefined;
  if (vhd) {
    if (vhd.diskType !== VHD_DISK_TYPE_FIXED) {
      const kind = vhd.diskType === 3 ? 'dynamic' : vhd.diskType === 4 ? 'differencing' : `type ${vhd.diskType}`;
      throw imageFileError(`disk image ${file} is a ${kind} VHD; only raw images and fixed VHDs are supported`,
        'convert it first, e.g. `qemu-img convert -O raw in.vhd out.raw` or `-O vpc -o subformat=fixed`');
    }
    if (!vhd.checksumValid) {
      throw imageFileError(`disk image ${file} has a VHD footer with a wrong checksum`, 'the file is damaged; export it again');
    }
    if (info.size - VHD_FOOTER_SIZE === 0) throw imageFileError(`disk image ${file} is a VHD without data`, 'pass a non-empty disk');
    return { format: 'vhd', dataBytes: info.size - VHD_FOOTER_SIZE };
  }
  if (info.size % 512 !== 0) {
    throw imageFileError(`disk image ${file} is ${info.size} bytes, not a multiple of 512, and has no VHD footer`,
      'pass a raw disk image (whole 512-byte sectors) or a fixed VHD');
  }
  return { format: 'raw', dataBytes: info.size };
}

/** Writes `blobPath` to `file` (atomically) as raw data, or as a fixed VHD padded to a whole MiB with a footer. */
export async function exportBlob(blobPath: string, file: string, format: DiskFileFormat): Promise<void> {
  const info = await stat(blobPath).catch((err: unknown) => {
    throw new AzchrootError('AZC_EMULATOR_BLOB_MISSING', `disk data ${blobPath} is missing`, 'internal', { cause: err });
  });
  await replaceAtomically(file, async (temp) => {
    await copySparseFile(blobPath, temp);
    if (format === 'raw') return;
    // Azure only accepts VHDs whose virtual size is a whole number of MiB.
    const padded = Math.ceil(info.size / MIB) * MIB;
    await truncate(temp, padded);
    const handle = await open(temp, 'r+');
    try {
      await handle.write(buildFixedVhdFooter(padded), 0, VHD_FOOTER_SIZE, padded);
    } finally {
      await handle.close();
    }
  });
}

async function readTail(file: string, size: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(VHD_FOOTER_SIZE);
    await handle.read(buf, 0, VHD_FOOTER_SIZE, size - VHD_FOOTER_SIZE);
    return buf;
  } finally {
    await handle.close();
  }
}

function imageFileError(message: string, hint: string, cause?: unknown): AzchrootError {
  return new AzchrootError('AZC_EMULATOR_IMAGE_FILE', message, 'user', { hint, cause, exitCode: 2 });
}
