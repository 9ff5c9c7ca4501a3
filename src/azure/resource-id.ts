// ARM resource-id helpers for the adapters, on top of the parser in src/config/resource-id.ts
// (Packer's rules: slash-trimmed key/value pairs, provider and type compared without case).

import { isResourceOfType, parseResourceId as parseOrProblem } from '../config/resource-id.js';
import { AzchrootError } from '../errors.js';

export interface ArmId {
  subscription: string;
  resourceGroup: string;
  provider: string;
  /** Type segments after the provider, e.g. ['galleries', 'images', 'versions']. */
  types: string[];
  /** Name segments matching `types`, e.g. ['gal1', 'def1', '1.0.0']. */
  names: string[];
  /** Canonical `/subscriptions/S/resourceGroups/RG/providers/P/t1/n1/...`. */
  id: string;
}

/** Parses an ARM resource id; throws AzchrootError AZC_RESOURCE_ID naming the id and the reason when malformed. */
export function parseArmId(id: string): ArmId {
  const parsed = parseOrProblem(id);
  if ('error' in parsed) {
    throw new AzchrootError('AZC_RESOURCE_ID', `"${id}" is not a valid Azure resource id: ${parsed.error}`, 'user', {
      hint: 'Use the form /subscriptions/<sub>/resourceGroups/<rg>/providers/<provider>/<type>/<name>.',
      exitCode: 2,
    });
  }
  return {
    subscription: parsed.subscription,
    resourceGroup: parsed.resourceGroup,
    provider: parsed.provider,
    types: parsed.resourceType.split('/'),
    names: parsed.resourceName.split('/'),
    id: parsed.id,
  };
}

/** The subscription segment of a resource id (throws on a malformed id). */
export function subscriptionOf(id: string): string {
  return parseArmId(id).subscription;
}

/** True when `id` parses and is of `type`, e.g. 'Microsoft.Compute/disks' (case-insensitive). */
export function isType(id: string, type: string): boolean {
  const slash = type.indexOf('/');
  return slash > 0 && isResourceOfType(id, type.slice(0, slash), type.slice(slash + 1));
}

/** The resource's own name (the last name segment). */
export function nameOf(r: ArmId): string {
  return r.names[r.names.length - 1] ?? '';
}
