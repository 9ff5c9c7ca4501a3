// The on-disk layout of an emulator state directory. The server, `emulator add-image` and
// `emulator export` all read and write it, possibly at the same time, so every JSON file is written
// atomically (write a temp file, then rename) and the server re-reads files instead of caching them.
//
//   <state>/endpoints.json                       Endpoints, written when the server is ready; removed on stop
//   <state>/resources/<key>.json                 StoredResource, <key> = resourceKey(id)
//   <state>/blobs/<blobId>.img                   disk data, sparse files
//   <state>/platform-images/<key>.json           PlatformImageRecord, <key> = platformImageKey(...)
//   <state>/attachments.json                     Attachment[] (what the server attached to loop devices)
//   <state>/tls/ca.pem, ca-key.pem, server.pem, server-key.pem
//   <state>/requests.jsonl                       one RequestLogEntry per request
//   <state>/faults.json                          FaultRule[] loaded at start (optional)
//   <state>/directory.json                       DirectoryEntries: apps, user-assigned identities, GitHub jobs
//   <state>/keys/entra-signing-key.pem, github-signing-key.pem   token signing keys (RSA, made on first start)

import { createHash } from 'node:crypto';
import { join } from 'node:path';

export interface StoredResource {
  /** Canonical id as created (case preserved). Lookups are case-insensitive through resourceKey. */
  id: string;
  /** ARM type, e.g. Microsoft.Compute/disks. */
  type: string;
  /** The ARM JSON returned on GET. */
  body: Record<string, unknown>;
  /** Data of disks, snapshots, images (OS disk) and gallery versions (OS disk image). */
  blobId?: string;
  /** Data-disk blobs by LUN, for images and gallery versions with data disks. */
  dataBlobs?: Record<string, string>;
}

export interface PlatformImageRecord {
  publisher: string;
  offer: string;
  sku: string;
  version: string;
  hyperVGeneration: 'V1' | 'V2';
  blobId: string;
  sizeBytes: number;
}

export interface Attachment {
  diskId: string;
  lun: number;
  loopDevice: string;
  blobId: string;
}

export interface RequestLogEntry {
  time: string;
  method: string;
  path: string;
  apiVersion?: string;
  operation?: string;
  status: number;
  durationMs: number;
}

/** File name key of a resource id: case-insensitive and safe for the file system. */
export function resourceKey(id: string): string {
  const canonical = id.toLowerCase().replace(/\/+/g, '/').replace(/\/$/, '');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/** File name key of a platform image (publisher, offer, sku, version are case-insensitive). */
export function platformImageKey(publisher: string, offer: string, sku: string, version: string): string {
  return [publisher, offer, sku, version].map((s) => encodeURIComponent(s.toLowerCase())).join('~');
}

export const layout = {
  endpoints: (state: string) => join(state, 'endpoints.json'),
  resource: (state: string, id: string) => join(state, 'resources', `${resourceKey(id)}.json`),
  resourcesDir: (state: string) => join(state, 'resources'),
  blob: (state: string, blobId: string) => join(state, 'blobs', `${blobId}.img`),
  blobsDir: (state: string) => join(state, 'blobs'),
  platformImage: (state: string, key: string) => join(state, 'platform-images', `${key}.json`),
  platformImagesDir: (state: string) => join(state, 'platform-images'),
  attachments: (state: string) => join(state, 'attachments.json'),
  tlsDir: (state: string) => join(state, 'tls'),
  requestLog: (state: string) => join(state, 'requests.jsonl'),
  traffic: (state: string) => join(state, 'traffic.jsonl'),
  faults: (state: string) => join(state, 'faults.json'),
  directory: (state: string) => join(state, 'directory.json'),
  keysDir: (state: string) => join(state, 'keys'),
};
