// What the ARM side of the emulator needs from disk storage. Implemented in src/emulator/disks/
// (sparse files, reflink copies, loop devices, device links); the server only calls this interface.

export interface AttachOptions {
  /** Create the device link only after this many ms (fault injection). */
  linkDelayMs?: number;
  /** Never create the device link (fault injection). */
  neverLink?: boolean;
}

export interface DiskBackend {
  /** Creates a new sparse blob of `sizeBytes`; returns its blob id. */
  createEmpty(sizeBytes: number): Promise<string>;
  /** Copies blob `from` into a new blob (reflink or sparse copy), grown to `sizeBytes` if larger; returns the new blob id. */
  copy(from: string, sizeBytes?: number): Promise<string>;
  /** Grows a blob (never shrinks). */
  grow(blobId: string, sizeBytes: number): Promise<void>;
  sizeOf(blobId: string): Promise<number>;
  /** Deletes a blob; a missing blob is not an error. */
  remove(blobId: string): Promise<void>;
  /**
   * Attaches a blob: loop device with partition scanning, then the relative link
   * <devroot>/disk/azure/scsi1/lun<lun> -> ../../../loopN. Returns the loop device path.
   */
  attach(diskId: string, blobId: string, lun: number, options?: AttachOptions): Promise<string>;
  /** Removes the link and the loop device of the disk attached at `lun`. Idempotent. */
  detach(lun: number): Promise<void>;
  /** Detaches everything this state directory has attached (on stop, and at start after a crash). */
  detachAll(): Promise<void>;
}
