// The parts of a gallery image version a request sets besides its data: the publishing profile
// (target regions, replicas, account type) and the safety profile, with Azure's defaults filled in.

import { asObject, asString, invalidParameter } from '../http-kit.js';

/** publishingProfile as Azure answers it: every target region with replica count, account type and excludeFromLatest. */
export function publishingProfile(input: Record<string, unknown>, location: string, previous?: Record<string, unknown>): Record<string, unknown> {
  const replicaCount = input.replicaCount ?? previous?.replicaCount ?? 1;
  if (typeof replicaCount !== 'number' || !Number.isInteger(replicaCount) || replicaCount < 1) {
    throw invalidParameter('properties.publishingProfile.replicaCount', `"replicaCount" must be a positive integer, got ${JSON.stringify(replicaCount)}`);
  }
  const storageAccountType = asString(input.storageAccountType) ?? 'Standard_LRS';
  const excludeFromLatest = booleanOf(input.excludeFromLatest, 'properties.publishingProfile.excludeFromLatest') ?? false;
  const regionsIn = input.targetRegions ?? [{ name: location }];
  if (!Array.isArray(regionsIn) || regionsIn.length === 0) throw invalidParameter('properties.publishingProfile.targetRegions', `"targetRegions" must be a non-empty array`);
  const targetRegions = regionsIn.map((raw, i) => {
    const r = asObject(raw) ?? {};
    const target = `properties.publishingProfile.targetRegions[${i}]`;
    const name = asString(r.name);
    if (!name) throw invalidParameter(`${target}.name`, `every target region needs a "name"`);
    return {
      ...r,
      name,
      regionalReplicaCount: r.regionalReplicaCount ?? replicaCount,
      storageAccountType: asString(r.storageAccountType) ?? storageAccountType,
      // Azure lists excludeFromLatest on every region, defaulting to the profile's own.
      excludeFromLatest: booleanOf(r.excludeFromLatest, `${target}.excludeFromLatest`) ?? excludeFromLatest,
    };
  });
  return {
    ...input,
    targetRegions,
    replicaCount,
    excludeFromLatest,
    publishedDate: previous?.publishedDate ?? new Date().toISOString(),
    storageAccountType,
  };
}

/** safetyProfile as Azure answers it: the requested flags over the previous ones over Azure's defaults. */
export function safetyProfile(input: unknown, previous?: Record<string, unknown>): Record<string, unknown> {
  const given = asObject(input) ?? {};
  const flag = (key: string, fallback: boolean) => booleanOf(given[key], `properties.safetyProfile.${key}`) ?? (typeof previous?.[key] === 'boolean' ? (previous[key] as boolean) : fallback);
  return {
    allowDeletionOfReplicatedLocations: flag('allowDeletionOfReplicatedLocations', true),
    blockDeletionBeforeEndOfLife: flag('blockDeletionBeforeEndOfLife', false),
    // Read-only in Azure: set by Microsoft when an image is flagged; never for emulated images.
    reportedForPolicyViolation: false,
  };
}

function booleanOf(value: unknown, target: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidParameter(target, `"${target}" must be true or false, got ${JSON.stringify(value)}`);
  return value;
}
