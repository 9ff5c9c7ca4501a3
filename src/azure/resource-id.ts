// ARM resource ids, parsed the way Packer's azure-chroot builder does (trim slashes, key/value
// pairs, subscriptions/resourceGroups/providers first). Provider and type comparisons ignore case.

import { AzchrootError } from '../errors.js';

export interface ResourceId {
  subscription: string;
  resourceGroup: string;
  /** e.g. `Microsoft.Compute`. */
  provider: string;
  /** Type segments after the provider, e.g. ['galleries', 'images', 'versions']. */
  types: string[];
  /** Name segments matching `types`, e.g. ['gal1', 'def1', '1.0.0']. */
  names: string[];
}

/** Why `id` is not a valid ARM resource id, or undefined when it is. */
export function resourceIdProblem(id: string): string | undefined {
  const result = split(id);
  return typeof result === 'string' ? result : undefined;
}

/** Parses an ARM resource id; throws AzchrootError AZC_RESOURCE_ID (naming the id and the reason) when malformed. */
export function parseResourceId(id: string): ResourceId {
  const result = split(id);
  if (typeof result === 'string') {
    throw new AzchrootError('AZC_RESOURCE_ID', `"${id}" is not a valid Azure resource id: ${result}`, 'user', {
      hint: 'Use the form /subscriptions/<sub>/resourceGroups/<rg>/providers/<provider>/<type>/<name>.',
      exitCode: 2,
    });
  }
  return result;
}

/** The canonical form `/subscriptions/S/resourceGroups/RG/providers/P/type1/name1/...`. */
export function formatResourceId(r: ResourceId): string {
  const tail = r.types.map((t, i) => `/${t}/${r.names[i] ?? ''}`).join('');
  return `/subscriptions/${r.subscription}/resourceGroups/${r.resourceGroup}/providers/${r.provider}${tail}`;
}

/** Full type of a parsed id: `Microsoft.Compute/galleries/images/versions`. */
export function fullType(r: ResourceId): string {
  return [r.provider, ...r.types].join('/');
}

/** The subscription segment of a resource id. */
export function subscriptionOf(id: string): string {
  return parseResourceId(id).subscription;
}

/** True when `id` parses and its full type equals `type` (case-insensitive), e.g. 'Microsoft.Compute/disks'. */
export function isType(id: string, type: string): boolean {
  const r = split(id);
  return typeof r !== 'string' && fullType(r).toLowerCase() === type.toLowerCase();
}

/** The last name segment (the resource's own name). */
export function nameOf(r: ResourceId): string {
  return r.names[r.names.length - 1] ?? '';
}

const fixedKeys = ['subscriptions', 'resourcegroups', 'providers'];

function split(id: string): ResourceId | string {
  const trimmed = id.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return 'it is empty';
  const parts = trimmed.split('/');
  if (parts.length % 2 !== 0) return `expected an even number of segments, found ${parts.length}`;
  const empty = parts.findIndex((p) => p === '');
  if (empty >= 0) return `segment ${empty} is empty`;
  if (parts.length < 8) return 'expected at least subscriptions/<sub>/resourceGroups/<rg>/providers/<provider>/<type>/<name>';
  for (let i = 0; i < fixedKeys.length; i++) {
    const key = parts[i * 2] ?? '';
    if (key.toLowerCase() !== fixedKeys[i]) return `segment ${i * 2} should be "${['subscriptions', 'resourceGroups', 'providers'][i]}", found "${key}"`;
  }
  const types: string[] = [];
  const names: string[] = [];
  // After `providers/<P>` the segments alternate type, name.
  for (let i = 6; i < parts.length; i += 2) {
    types.push(parts[i] ?? '');
    names.push(parts[i + 1] ?? '');
  }
  return { subscription: parts[1] ?? '', resourceGroup: parts[3] ?? '', provider: parts[5] ?? '', types, names };
}
