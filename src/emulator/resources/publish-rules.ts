// What Azure refuses when images, gallery image versions, disks and snapshots are created, with the
// code, status and moment Azure gives them. Sources per rule; where Azure's exact code is not
// published the rule says so and the emulator answers with the nearest documented shape.

import { ArmError, asObject, asString, invalidParameter, notAllowed } from '../http-kit.js';
import type { StoredResource } from '../state-layout.js';
import { props } from './common.js';

/** SKUs that cannot be an OS disk nor go into a gallery (learn.microsoft.com disks-deploy-premium-v2, disks-enable-ultra-ssd "Limitations"). */
export const DATA_ONLY_SKUS = ['PremiumV2_LRS', 'UltraSSD_LRS'];

/** Region names compare without case and spaces: `West Europe` is `westeurope`. */
export const normRegion = (region: unknown) => String(region ?? '').replace(/\s/g, '').toLowerCase();

const skuOfResource = (r: StoredResource | undefined) => String(asObject(r?.body.sku)?.name ?? '');

/**
 * Disk and snapshot names: 1-80 characters, alphanumerics, underscores, periods and hyphens, starting
 * with an alphanumeric and ending with an alphanumeric or underscore (learn.microsoft.com
 * resource-name-rules, Microsoft.Compute; PSRule Azure.VM.DiskName). Galleries: alphanumerics,
 * underscores and periods, starting and ending with an alphanumeric. Azure answers 400 InvalidParameter naming the
 * resource (exact text not published).
 */
export function checkName(kind: 'disks' | 'snapshots' | 'images' | 'galleries' | 'galleryImages', name: string): void {
  const rule =
    kind === 'galleries'
      ? { re: /^[A-Za-z0-9](?:[A-Za-z0-9._]{0,78}[A-Za-z0-9])?$/, text: 'alphanumerics, underscores and periods, starting and ending with an alphanumeric' }
      : kind === 'galleryImages'
        ? { re: /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,78}[A-Za-z0-9])?$/, text: 'alphanumerics, underscores, hyphens and periods, starting and ending with an alphanumeric' }
        : { re: /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,78}[A-Za-z0-9_])?$/, text: 'alphanumerics, underscores, periods and hyphens, starting with an alphanumeric and ending with an alphanumeric or underscore' };
  if (!rule.re.test(name)) {
    throw invalidParameter('name', `The resource name '${name}' is invalid: it must be 1-80 characters of ${rule.text}.`);
  }
}

/**
 * A zone-redundant disk has no zone: 409 OperationNotAllowed "A disk with sku 'Premium_ZRS' cannot be
 * created in an availability zone." (Azure/terraform-azurerm-avm-res-compute-virtualmachine#236,
 * Azure/bicep-registry-modules#3850).
 */
export function checkDiskSkuZones(sku: string, zones: string[] | undefined): void {
  if (sku.endsWith('_ZRS') && zones && zones.length > 0) throw notAllowed(`A disk with sku '${sku}' cannot be created in an availability zone.`);
}

/**
 * Snapshots of Premium SSD v2 and Ultra disks must be incremental ("Snapshots are supported with
 * additional limitations": only incremental ones; learn.microsoft.com disks-deploy-premium-v2,
 * disks-enable-ultra-ssd). Code not published: 400 InvalidParameter on properties.incremental.
 */
export function checkSnapshotOf(source: StoredResource | undefined, incremental: boolean): void {
  const sku = skuOfResource(source);
  if (DATA_ONLY_SKUS.includes(sku) && !incremental) {
    throw invalidParameter('properties.incremental', `Only incremental snapshots are supported for disks of sku ${sku}: set "incremental": true.`);
  }
}

/**
 * A managed image's OS disk comes from a disk or snapshot in the image's own region and of an
 * OS-capable SKU, and a V2 image needs a V2 source (the source's generation is what boots).
 * Codes not published: 400 InvalidParameter naming the property.
 */
export function checkImageSource(imageLocation: string, hyperV: string, source: StoredResource | undefined, target: string, os: boolean): void {
  if (!source) return;
  if (normRegion(source.body.location) !== normRegion(imageLocation)) {
    throw invalidParameter(target, `The source '${source.id}' is in '${String(source.body.location)}'; an image in '${imageLocation}' can only be created from sources in the same location.`);
  }
  const sku = skuOfResource(source);
  if (os && DATA_ONLY_SKUS.includes(sku)) {
    throw invalidParameter(target, `Disk '${source.id}' of sku ${sku} cannot be used as an OS disk, so no image can be created from it.`);
  }
  const sourceGen = asString(props(source.body).hyperVGeneration);
  if (os && hyperV === 'V2' && sourceGen === 'V1') {
    throw invalidParameter('properties.hyperVGeneration', `The source '${source.id}' is a Hyper-V generation V1 disk; a V2 image cannot be created from it.`);
  }
}

/**
 * Gallery image version checks at the PUT (400 InvalidParameter):
 * - duplicate target regions, compared as Azure does (`westeurope` = `West Europe`): "Duplicate
 *   regions are not allowed in target publishing regions." (hashicorp/terraform-provider-azurerm#7751);
 * - the version's location is its gallery's (exact text not published);
 * - an end-of-life date in the past (exact text not published).
 */
export function checkVersionPut(body: Record<string, unknown>, location: string, gallery: StoredResource | undefined, targetRegions: Array<{ name: string }>): void {
  const seen = new Set<string>();
  for (const r of targetRegions) {
    const key = normRegion(r.name);
    if (seen.has(key)) throw invalidParameter('properties.publishingProfile.targetRegions', 'Duplicate regions are not allowed in target publishing regions.');
    seen.add(key);
  }
  if (gallery && normRegion(gallery.body.location) !== normRegion(location)) {
    throw invalidParameter('location', `The gallery image version must be in the location of its gallery '${String(gallery.body.name)}' ('${String(gallery.body.location)}'), not '${location}'.`);
  }
  const eol = asObject(asObject(body.properties)?.publishingProfile)?.endOfLifeDate;
  if (eol !== undefined && eol !== null) {
    const at = Date.parse(String(eol));
    if (Number.isNaN(at)) throw invalidParameter('properties.publishingProfile.endOfLifeDate', `"endOfLifeDate" must be a date-time, got ${JSON.stringify(eol)}`);
    if (at <= Date.now()) throw invalidParameter('properties.publishingProfile.endOfLifeDate', `The end of life date '${String(eol)}' is in the past; give a future date.`);
  }
}

/**
 * Gallery image version source checks:
 * - a PremiumV2/Ultra disk cannot go into a gallery (docs above): 400 InvalidParameter at the PUT;
 * - the source is in the version's region (code not published): 400 InvalidParameter at the PUT;
 * - its Hyper-V generation matches the image definition's: Azure ends the operation Failed with 409
 *   Conflict "The resource with id '<id>' has a different Hypervisor generation ['V1'] than the parent
 *   gallery image Hypervisor generation ['V2']." (MicrosoftDocs/azure-docs#118774,
 *   confidential-containers/cloud-api-adaptor#928) — returned here as the failure for the operation.
 */
export function checkVersionSource(source: StoredResource | undefined, target: string, location: string, definitionGen: string): ArmError | undefined {
  if (!source) return undefined;
  const sku = skuOfResource(source);
  if (DATA_ONLY_SKUS.includes(sku)) throw invalidParameter(target, `'${source.id}' is a disk of sku ${sku}, which cannot be used with Azure Compute Gallery.`);
  if (normRegion(source.body.location) !== normRegion(location)) {
    throw invalidParameter(target, `The source '${source.id}' is in '${String(source.body.location)}'; a gallery image version in '${location}' needs a source in the same region.`);
  }
  const gen = asString(props(source.body).hyperVGeneration);
  if (gen && gen !== definitionGen) {
    return new ArmError(409, 'Conflict', `The resource with id '${source.id}' has a different Hypervisor generation ['${gen}'] than the parent gallery image Hypervisor generation ['${definitionGen}'].`);
  }
  return undefined;
}
