// Small helpers over ARM resource ids and locations used by the verify and capture steps.

import type { SharedImageDestination } from '../config/model.js';

/** "West Europe" and "westeurope" compare equal (Azure accepts both spellings). */
export function sameLocation(a: string, b: string): boolean {
  return normalizeLocation(a) === normalizeLocation(b);
}

export function normalizeLocation(location: string): string {
  return location.toLowerCase().replace(/\s+/g, '');
}

/** The id with its last `pairs` type/name pairs removed: a version id → its image definition id. */
export function parentId(id: string, pairs = 1): string {
  const parts = id.replace(/\/+$/, '').split('/');
  return parts.slice(0, parts.length - 2 * pairs).join('/');
}

/** The subscription segment of an id, if any. */
export function subscriptionOf(id: string): string | undefined {
  return /\/subscriptions\/([^/]+)/i.exec(id)?.[1];
}

/** Last segment of an id. */
export function nameOf(id: string): string {
  return id.replace(/\/+$/, '').split('/').pop() ?? id;
}

/** Id of the gallery image definition of a destination. */
export function galleryImageId(dest: SharedImageDestination, subscription: string): string {
  return `/subscriptions/${dest.subscription ?? subscription}/resourceGroups/${dest.resourceGroup}/providers/Microsoft.Compute/galleries/${dest.galleryName}/images/${dest.imageName}`;
}

/** Id of the gallery image version a destination publishes. */
export function galleryVersionId(dest: SharedImageDestination, subscription: string): string {
  return `${galleryImageId(dest, subscription)}/versions/${dest.imageVersion}`;
}

export { deleteIfExists, isNotFound } from '../errors.js';
