// An in-memory DiskBackend for emulator tests: blobs are sizes, attachments are records.

import type { AttachOptions, DiskBackend } from '../../../src/emulator/disk-backend.js';

export interface FakeDiskBackend extends DiskBackend {
  blobs: Map<string, number>;
  attached: Map<number, { diskId: string; blobId: string; options?: AttachOptions }>;
  /** Operation log, e.g. "attach lun0", "detach lun0", "copy", "detachAll". */
  calls: string[];
}

/** A fresh fake backend. */
export function createFakeDiskBackend(): FakeDiskBackend {
  let next = 0;
  const blobs = new Map<string, number>();
  const attached = new Map<number, { diskId: string; blobId: string; options?: AttachOptions }>();
  const calls: string[] = [];
  const need = (id: string) => {
    const size = blobs.get(id);
    if (size === undefined) throw new Error(`fake backend: no blob ${id}`);
    return size;
  };
  return {
    blobs,
    attached,
    calls,
    async createEmpty(sizeBytes) {
      const id = `blob${++next}`;
      blobs.set(id, sizeBytes);
      calls.push(`createEmpty ${sizeBytes}`);
      return id;
    },
    async copy(from, sizeBytes) {
      const size = need(from);
      const id = `blob${++next}`;
      blobs.set(id, Math.max(size, sizeBytes ?? 0));
      calls.push(`copy ${from}`);
      return id;
    },
    async grow(blobId, sizeBytes) {
      blobs.set(blobId, Math.max(need(blobId), sizeBytes));
      calls.push(`grow ${blobId} ${sizeBytes}`);
    },
    async sizeOf(blobId) {
      return need(blobId);
    },
    async remove(blobId) {
      blobs.delete(blobId);
      calls.push(`remove ${blobId}`);
    },
    async attach(diskId, blobId, lun, options) {
      need(blobId);
      if (attached.has(lun)) throw new Error(`fake backend: lun ${lun} busy`);
      attached.set(lun, { diskId, blobId, options });
      calls.push(`attach lun${lun}`);
      return `/dev/loop${lun}`;
    },
    async detach(lun) {
      attached.delete(lun);
      calls.push(`detach lun${lun}`);
    },
    async detachAll() {
      attached.clear();
      calls.push('detachAll');
    },
  };
}
