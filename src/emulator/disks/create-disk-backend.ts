// The DiskBackend over a state directory: blobs are sparse files under <state>/blobs, attachments
// are loop devices plus the relative links a VM has (<devroot>/disk/azure/scsi1/lun<N>,
// <devroot>/disk/azure/data/by-lun/<N>, -part<P>) and a sysfs-shaped view under <state>/sys, recorded in
// <state>/attachments.json so that detachAll can undo them even after a crash.

import { randomUUID } from 'node:crypto';
import { mkdir, realpath, rm } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import type { AttachOptions, DiskBackend } from '../disk-backend.js';
import { layout, type Attachment } from '../state-layout.js';
import { AzchrootError } from '../../errors.js';
import { replaceAtomically } from './atomic-file.js';
import { createAttachmentsLock, readAttachments, writeAttachments } from './attachments-store.js';
import { createDiskLinks, removeDiskLinks } from './device-links.js';
import { addToSysView, partitionsOf, removeFromSysView, sysRoot } from './sys-view.js';
import { removeUuidLinksOf } from './uuid-links.js';
import { attachLoop, detachLoop, listLoops } from './loop-devices.js';
import { copySparseFile, createSparseFile, fileSize, growFile } from './sparse-files.js';

/** Creates the disk backend for `stateDir`, making device links under `devroot`. */
export function createDiskBackend(stateDir: string, devroot: string): DiskBackend {
  const withLock = createAttachmentsLock();
  // Delayed link creations (fault injection), cancelled by detach.
  const pendingLinks = new Map<number, NodeJS.Timeout>();

  const blobPath = (blobId: string): string => {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(blobId)) {
      throw new AzchrootError('AZC_EMULATOR_BLOB_ID', `invalid blob id "${blobId}"`, 'internal', {
        hint: 'blob ids are file names under <state>/blobs; the state directory may be corrupt',
      });
    }
    return layout.blob(stateDir, blobId);
  };
  const newBlobPath = async (): Promise<[string, string]> => {
    await mkdir(layout.blobsDir(stateDir), { recursive: true });
    const id = randomUUID();
    return [id, blobPath(id)];
  };
  const cancelPendingLink = (lun: number): void => {
    const timer = pendingLinks.get(lun);
    if (timer) clearTimeout(timer);
    pendingLinks.delete(lun);
  };
  // Frees the loop devices that still back our blob, not the recorded device number blindly: after a
  // crash that number may have been reused for another file. Compared by the kernel's (physical)
  // path so that a blob deleted while attached is found too.
  const releaseLoop = async (attachment: Attachment): Promise<void> => {
    await removeDiskLinks(devroot, attachment.lun, attachment.loopDevice);
    await removeFromSysView(sysRoot(stateDir), attachment.lun, attachment.loopDevice);
    await removeUuidLinksOf(devroot, attachment.loopDevice);
    const blobsDir = await realpath(layout.blobsDir(stateDir)).catch(() => undefined);
    if (!blobsDir) return;
    const file = join(blobsDir, basename(blobPath(attachment.blobId)));
    for (const loop of await listLoops()) {
      if (loop.backingFile === file) await detachLoop(loop.device);
    }
  };

  return {
    async createEmpty(sizeBytes) {
      const [id, path] = await newBlobPath();
      await replaceAtomically(path, (temp) => createSparseFile(temp, sizeBytes));
      return id;
    },

    async copy(from, sizeBytes) {
      const source = blobPath(from);
      const [id, path] = await newBlobPath();
      await replaceAtomically(path, async (temp) => {
        await copySparseFile(source, temp);
        if (sizeBytes !== undefined) await growFile(temp, sizeBytes);
      });
      return id;
    },

    async grow(blobId, sizeBytes) {
      await growFile(blobPath(blobId), sizeBytes);
    },

    async sizeOf(blobId) {
      try {
        return await fileSize(blobPath(blobId));
      } catch (err) {
        throw new AzchrootError('AZC_EMULATOR_BLOB_MISSING', `blob ${blobId} is missing from ${layout.blobsDir(stateDir)}`, 'internal', {
          cause: err,
          hint: 'the state directory was modified by hand or is corrupt',
        });
      }
    },

    async remove(blobId) {
      await rm(blobPath(blobId), { force: true });
    },

    attach(diskId, blobId, lun, options: AttachOptions = {}) {
      return withLock(async () => {
        const records = await readAttachments(stateDir);
        const existing = records.find((a) => a.lun === lun);
        if (existing && existing.diskId.toLowerCase() === diskId.toLowerCase()) return existing.loopDevice;
        if (existing) {
          throw new AzchrootError('AZC_EMULATOR_LUN_BUSY', `LUN ${lun} is already used by disk ${existing.diskId}`, 'internal', {
            hint: 'detach that disk first or pick another LUN',
          });
        }
        const device = await attachLoop(blobPath(blobId));
        const attachment: Attachment = { diskId, lun, loopDevice: device, blobId };
        try {
          // Recorded before the link exists: whoever sees the link can rely on detachAll finding it.
          await writeAttachments(stateDir, [...records, attachment]);
          // The kernel's view exists at once; the links are udev's work and may come later.
          await addToSysView(sysRoot(stateDir), lun, device);
          if (options.neverLink) return device;
          const links = async () => createDiskLinks(devroot, lun, device, await partitionsOf(device));
          if (options.linkDelayMs && options.linkDelayMs > 0) {
            const timer = setTimeout(() => {
              pendingLinks.delete(lun);
              links().catch(() => undefined);
            }, options.linkDelayMs);
            timer.unref();
            pendingLinks.set(lun, timer);
            return device;
          }
          await links();
          return device;
        } catch (err) {
          await releaseLoop(attachment).catch(() => undefined);
          await writeAttachments(stateDir, records).catch(() => undefined);
          throw err;
        }
      });
    },

    detach(lun) {
      return withLock(async () => {
        cancelPendingLink(lun);
        const records = await readAttachments(stateDir);
        const attachment = records.find((a) => a.lun === lun);
        if (!attachment) return;
        await releaseLoop(attachment);
        await writeAttachments(stateDir, records.filter((a) => a !== attachment));
      });
    },

    detachAll() {
      return withLock(async () => {
        for (const lun of [...pendingLinks.keys()]) cancelPendingLink(lun);
        const records = await readAttachments(stateDir);
        for (const attachment of records) await releaseLoop(attachment);
        // Also catch devices attached just before a crash, before they were recorded.
        const blobsDir = await realpath(layout.blobsDir(stateDir)).catch(() => undefined);
        if (blobsDir) {
          for (const loop of await listLoops()) {
            if (loop.backingFile.startsWith(blobsDir + sep)) await detachLoop(loop.device);
          }
        }
        if (records.length > 0) await writeAttachments(stateDir, []);
      });
    },
  };
}
