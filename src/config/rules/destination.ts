// Rules for the outputs: image_resource_id and shared_image_destination (§6.2).

import type { SharedImageDestination, TargetRegion } from '../model.js';
import { bool, isSet, str, type Report } from '../report.js';
import { isResourceOfType } from '../resource-id.js';

// Azure's default for gallery replicas when the request names no type (Packer sends none).
export const DEFAULT_REPLICA_STORAGE = 'Standard_LRS';
const VERSION = /^[0-9]+\.[0-9]+\.[0-9]+$/;

/** Checks image_resource_id; returns it when valid. */
export function resolveImageResourceId(b: Record<string, unknown>, report: Report): string | undefined {
  const id = str(b, 'image_resource_id');
  if (id === undefined || id === '') return undefined;
  if (!isResourceOfType(id, 'Microsoft.Compute', 'images')) {
    report.error('AZC_CONFIG_IMAGE_ID', `image_resource_id: ${JSON.stringify(id)} is not a valid image resource id`, ['image_resource_id'],
      'expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Compute/images/<name>');
    return undefined;
  }
  return id;
}

/** Checks shared_image_destination (when present); returns it with defaults applied. */
export function resolveSharedImageDestination(b: Record<string, unknown>, report: Report): SharedImageDestination | undefined {
  const raw = b.shared_image_destination;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const d = raw as Record<string, unknown>;
  const key = 'shared_image_destination';
  let ok = true;
  for (const field of ['resource_group', 'gallery_name', 'image_name', 'image_version']) {
    if ((str(d, field) ?? '') === '') {
      report.error('AZC_CONFIG_REQUIRED', `${key}.${field} is required`, [key], `set ${field} inside shared_image_destination`);
      ok = false;
    }
  }
  const version = str(d, 'image_version') ?? '';
  if (version !== '' && !VERSION.test(version)) {
    report.error('AZC_CONFIG_IMAGE_VERSION', `${key}.image_version: ${JSON.stringify(version)} should match '^[0-9]+\\.[0-9]+\\.[0-9]+$'`, [key, 'image_version'], 'use MAJOR.MINOR.PATCH, for example 1.0.0');
    ok = false;
  }
  const regions: TargetRegion[] = [];
  const rawRegions = Array.isArray(d.target_regions) ? d.target_regions : [];
  rawRegions.forEach((r, i) => {
    const region = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    const name = str(region, 'name') ?? '';
    if (name === '') {
      report.error('AZC_CONFIG_REQUIRED', `${key}.target_regions[${i}].name is required`, [key, 'target_regions', i], 'name the Azure region, for example westeurope');
      ok = false;
    }
    regions.push({
      name,
      replicas: typeof region.replicas === 'number' ? region.replicas : 1,
      storageAccountType: str(region, 'storage_account_type') ?? DEFAULT_REPLICA_STORAGE,
    });
  });
  // Azure compares region names without case and spaces and refuses a repeated one with
  // "Duplicate regions are not allowed in target publishing regions." (hashicorp/terraform-provider-azurerm#7751).
  const seen = new Map<string, number>();
  regions.forEach((r, i) => {
    const norm = r.name.replace(/\s/g, '').toLowerCase();
    if (norm === '') return;
    const first = seen.get(norm);
    if (first !== undefined) {
      report.error('AZC_CONFIG_DUPLICATE_REGION', `${key}.target_regions[${i}]: ${JSON.stringify(r.name)} is the same region as target_regions[${first}] (${JSON.stringify(regions[first]!.name)})`, [key, 'target_regions', i],
        'Azure refuses duplicate target regions; list each region once (names compare without case and spaces)');
      ok = false;
    } else seen.set(norm, i);
  });
  if (regions.length === 0) {
    report.warning('AZC_CONFIG_NO_TARGET_REGIONS', `${key}.target_regions is empty; image will only be available in the region of the gallery`, [key]);
  }
  let exclude = bool(d, 'exclude_from_latest');
  if (isSet(d, 'exlude_from_latest')) {
    report.warning('AZC_CONFIG_DEPRECATED', `${key}.exlude_from_latest is being deprecated, please use exclude_from_latest`, [key, 'exlude_from_latest']);
    if (!isSet(d, 'exclude_from_latest')) exclude = bool(d, 'exlude_from_latest');
  }
  const eol = str(d, 'end_of_life_date');
  if (eol !== undefined && Number.isNaN(Date.parse(eol))) {
    report.error('AZC_CONFIG_DATE', `${key}.end_of_life_date: ${JSON.stringify(eol)} is not a date`, [key, 'end_of_life_date'], 'use ISO 8601, for example 2030-01-01T00:00:00Z');
    ok = false;
  }
  if (!ok) return undefined;
  const out: SharedImageDestination = {
    resourceGroup: str(d, 'resource_group')!,
    galleryName: str(d, 'gallery_name')!,
    imageName: str(d, 'image_name')!,
    imageVersion: version,
    targetRegions: regions,
    excludeFromLatest: exclude,
  };
  const subscription = str(d, 'subscription');
  if (subscription) out.subscription = subscription;
  if (eol) out.endOfLifeDate = eol;
  return out;
}

/** At least one output unless skip_create_image. */
export function checkHasOutput(b: Record<string, unknown>, report: Report): void {
  if (bool(b, 'skip_create_image')) return;
  if ((str(b, 'image_resource_id') ?? '') === '' && !isSet(b, 'shared_image_destination')) {
    report.error('AZC_CONFIG_NO_OUTPUT', 'image_resource_id or shared_image_destination is required', [],
      'set image_resource_id (a managed image) and/or shared_image_destination (a gallery version), or skip_create_image = true for a test run');
  }
}
