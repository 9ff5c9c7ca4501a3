// <state>/attachments.json: what this state directory has attached to loop devices. It is written
// before the device link appears and after the loop device is gone, so a crashed server's
// successor can find and undo every attachment.

import { readFile } from 'node:fs/promises';
import { layout, type Attachment } from '../state-layout.js';
import { writeJsonAtomic } from './atomic-file.js';

/** Reads the recorded attachments; a missing or unreadable file counts as none. */
export async function readAttachments(stateDir: string): Promise<Attachment[]> {
  let text: string;
  try {
    text = await readFile(layout.attachments(stateDir), 'utf8');
  } catch {
    return [];
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter(isAttachment) : [];
  } catch {
    // A torn file cannot happen with atomic writes; treat garbage as empty and let detachAll's
    // losetup scan find the devices anyway.
    return [];
  }
}

/** Replaces the recorded attachments. */
export async function writeAttachments(stateDir: string, attachments: readonly Attachment[]): Promise<void> {
  await writeJsonAtomic(layout.attachments(stateDir), attachments);
}

/** Serializes read-modify-write cycles on attachments.json within this process. */
export function createAttachmentsLock(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

function isAttachment(value: unknown): value is Attachment {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Record<string, unknown>;
  return typeof a.diskId === 'string' && typeof a.lun === 'number' && typeof a.loopDevice === 'string' && typeof a.blobId === 'string';
}
