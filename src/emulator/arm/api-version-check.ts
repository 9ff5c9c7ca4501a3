// Each resource type accepts the api-versions Azure publishes for it (spec/api-versions.ts) and
// refuses others as Azure's resource manager does for a typed resource: 400 NoRegisteredProviderFound
// "No registered resource provider found for location 'X' and API version 'V' for type 'disks'. The
// supported api-versions are '2017-03-30, 2018-04-01, …'. The supported locations are 'X'."
// (kubernetes-sigs/azuredisk-csi-driver#2577, cloudfoundry/bosh-azure-cpi-release#508).

import { ArmError } from '../http-kit.js';
import { API_VERSION_SOURCES } from '../spec/api-versions.js';
import type { ArmRoute } from './paths.js';

type Family = 'disks' | 'compute' | 'gallery';

const FAMILY: Record<string, Family> = {
  disks: 'disks',
  snapshots: 'disks',
  images: 'compute',
  virtualMachines: 'compute',
  galleries: 'gallery',
  galleryImages: 'gallery',
  galleryImageVersions: 'gallery',
};

const TYPE_NAME: Record<string, string> = {
  galleryImages: 'galleries/images',
  galleryImageVersions: 'galleries/images/versions',
};

/** The api-versions of a family, oldest first. */
export function supportedVersions(family: Family | 'imds'): string[] {
  return Object.keys(API_VERSION_SOURCES[family]).sort();
}

function familyOf(route: ArmRoute): { family: Family; type: string } | undefined {
  switch (route.kind) {
    case 'resource':
      return { family: FAMILY[route.resource]!, type: TYPE_NAME[route.resource] ?? route.resource };
    case 'collection':
      return { family: 'gallery', type: 'galleries/images/versions' };
    case 'vmImages':
      return { family: 'compute', type: 'locations/publishers/artifacttypes/offers/skus/versions' };
    case 'list':
      return { family: FAMILY[route.resource]!, type: TYPE_NAME[route.resource] ?? route.resource };
    case 'vmImageCatalog':
      return { family: 'compute', type: 'locations/publishers' };
    default:
      // Subscriptions and operation status URLs (which echo the caller's version) are not typed resources.
      return undefined;
  }
}

/** Throws Azure's refusal when `apiVersion` is not one `route`'s type publishes. */
export function checkApiVersion(route: ArmRoute, apiVersion: string, location: string): void {
  const f = familyOf(route);
  if (!f) return;
  const versions = supportedVersions(f.family);
  if (versions.includes(apiVersion)) return;
  throw new ArmError(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location '${location}' and API version '${apiVersion}' for type '${f.type}'. The supported api-versions are '${versions.join(', ')}'. The supported locations are '${location}'.`,
  );
}
