// The kinds of things a build makes, the one order they are released in, and how each is named
// for a person reading what is left.

import type { ResourceKind } from './journal.js';

/**
 * The one release order, for every path (early teardown, cleanup after success, failure or a
 * signal, `azchroot cleanup` after a crash). Within a kind, newest first.
 */
export const RELEASE_ORDER: readonly ResourceKind[] = [
  'temp-dirs', 'policy-rc', 'copied-file', 'mount', 'mount-dir', 'lvm', 'attachment', 'snapshot', 'disk',
];

/** What the early teardown releases before capture: everything on the host, and the attachment. */
export const BEFORE_CAPTURE: readonly ResourceKind[] = ['policy-rc', 'copied-file', 'mount', 'mount-dir', 'lvm', 'attachment'];

/** A kind whose release failing means the disk is still in use: it must then not be detached or deleted. */
export const HOLDS_THE_DISK: readonly ResourceKind[] = ['mount', 'lvm'];

/** Kinds that a failed holder blocks. */
export const NEEDS_THE_DISK_FREE: readonly ResourceKind[] = ['attachment', 'disk'];

export const KIND_LABELS: Readonly<Record<ResourceKind, string>> = {
  disk: 'temporary disk',
  snapshot: 'temporary snapshot',
  attachment: 'disk attached to this VM',
  lvm: 'volume groups activated on the host',
  mount: 'mount',
  'mount-dir': 'mount directory made by the build',
  'copied-file': 'file copied into the image (copy_files)',
  'policy-rc': 'policy-rc.d installed in the image',
  'temp-dirs': 'provisioner temp directories',
  image: 'managed image (output)',
  'gallery-version': 'gallery image version (output)',
};

/** Outputs: recorded, listed after a failure, never released. */
export function isOutput(kind: ResourceKind): boolean {
  return kind === 'image' || kind === 'gallery-version';
}
