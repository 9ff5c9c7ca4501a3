// Key paths of galleries, image definitions and image versions as the GalleryRP 2025-03-03
// examples show them (Gallery_Get, GalleryImage_Get, GalleryImageVersion_*).

import { shapeOf, type Shape } from './shape.js';

/** Gallery_Create and Gallery_Get. */
export const GALLERY: Shape = { id: 'string', name: 'string', location: 'string', 'properties.description': 'string', 'properties.identifier.uniqueName': 'string', 'properties.provisioningState': 'string' };

/** GalleryImage_Create and GalleryImage_Get. */
export const IMAGE_DEFINITION: Shape = {
  id: 'string',
  name: 'string',
  location: 'string',
  'properties.osType': 'string',
  'properties.osState': 'string',
  'properties.hyperVGeneration': 'string',
  'properties.identifier.publisher': 'string',
  'properties.identifier.offer': 'string',
  'properties.identifier.sku': 'string',
  'properties.provisioningState': 'string',
};

/** What every gallery image version example shows (and Packer / azchroot read). */
export const VERSION: Shape = {
  id: 'string',
  name: 'string',
  location: 'string',
  'properties.provisioningState': 'string',
  'properties.publishingProfile.targetRegions[].name': 'string',
  'properties.publishingProfile.targetRegions[].regionalReplicaCount': 'integer',
  'properties.publishingProfile.targetRegions[].storageAccountType': 'string',
  'properties.publishingProfile.targetRegions[].excludeFromLatest': 'boolean',
  'properties.publishingProfile.replicaCount': 'integer',
  'properties.publishingProfile.publishedDate': 'date',
  'properties.publishingProfile.storageAccountType': 'string',
  'properties.storageProfile.osDiskImage.sizeInGB': 'integer',
  'properties.storageProfile.osDiskImage.hostCaching': 'string',
  'properties.storageProfile.dataDiskImages[].lun': 'integer',
  'properties.storageProfile.dataDiskImages[].sizeInGB': 'integer',
  'properties.storageProfile.dataDiskImages[].hostCaching': 'string',
  'properties.safetyProfile.allowDeletionOfReplicatedLocations': 'boolean',
  'properties.safetyProfile.reportedForPolicyViolation': 'boolean',
  'properties.safetyProfile.blockDeletionBeforeEndOfLife': 'boolean',
};

/** A version without data disks: the same, with an empty dataDiskImages. */
export const NO_DATA_DISKS: Shape = Object.fromEntries(
  Object.entries(shapeOf(VERSION, { 'properties.storageProfile.dataDiskImages': 'array' })).filter(([k]) => !k.startsWith('properties.storageProfile.dataDiskImages[]')),
);

export const FROM_SNAPSHOTS: Shape = shapeOf(VERSION, {
  'properties.storageProfile.osDiskImage.source.id': 'string',
  'properties.storageProfile.dataDiskImages[].source.id': 'string',
});

export const FROM_IMAGE: Shape = shapeOf(VERSION, { 'properties.storageProfile.source.id': 'string' });
