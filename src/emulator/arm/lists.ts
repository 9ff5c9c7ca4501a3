// Collection GETs: subscriptions and tenants (what `az login` lists), resource groups, and the
// list routes of every resource type a build or a user touches, by subscription and by resource
// group, with ARM's {value, nextLink} pages; the platform-image catalog (publishers, offers,
// SKUs) as bare JSON arrays, as Azure answers them. Items are exactly what a GET of each answers.

import { ArmError, invalidParameter, type HttpAnswer } from '../http-kit.js';
import type { ArmContext, ArmRequest } from './context.js';
import { armType, buildId, parseArmPath, type ArmRoute, type ListKind } from './paths.js';
import type { Handler } from '../resources/common.js';
import { canonicalId } from '../resource-store.js';

/** The subscription as ARM's subscriptions API answers it. */
export function subscriptionBody(ctx: ArmContext): Record<string, unknown> {
  const s = ctx.options.subscriptionId;
  return {
    id: `/subscriptions/${s}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: s,
    tenantId: ctx.options.tenantId,
    displayName: 'azchroot emulator',
    state: 'Enabled',
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  };
}

export function subscriptionList(ctx: ArmContext): HttpAnswer {
  return { status: 200, body: { value: [subscriptionBody(ctx)], count: { type: 'Total', value: 1 } } };
}

export function tenantList(ctx: ArmContext): HttpAnswer {
  const t = ctx.options.tenantId;
  return {
    status: 200,
    body: {
      value: [{ id: `/tenants/${t}`, tenantId: t, tenantCategory: 'Home', country: 'Netherlands', countryCode: 'NL', displayName: 'azchroot emulator', domains: ['azchrootemulator.onmicrosoft.com'], defaultDomain: 'azchrootemulator.onmicrosoft.com', tenantType: 'AAD' }],
      count: { type: 'Total', value: 1 },
    },
  };
}

/** Resource groups that exist: the emulator's own and every group holding a resource. */
function knownGroups(ctx: ArmContext): Map<string, string> {
  const groups = new Map<string, string>([[ctx.options.resourceGroup.toLowerCase(), ctx.options.resourceGroup]]);
  for (const type of ['disks', 'snapshots', 'images', 'galleries', 'virtualMachines'] as const) {
    for (const r of ctx.store.list(armType(type))) {
      const rg = /\/resourceGroups\/([^/]+)\//i.exec(r.id)?.[1];
      if (rg && !groups.has(rg.toLowerCase())) groups.set(rg.toLowerCase(), rg);
    }
  }
  return groups;
}

export function resourceGroupAnswer(ctx: ArmContext, route: Extract<ArmRoute, { kind: 'resourceGroup' }>): HttpAnswer {
  const name = knownGroups(ctx).get(route.resourceGroup.toLowerCase());
  if (!name) throw new ArmError(404, 'ResourceGroupNotFound', `Resource group '${route.resourceGroup}' could not be found.`);
  return {
    status: 200,
    body: { id: `/subscriptions/${route.subscriptionId}/resourceGroups/${name}`, name, type: 'Microsoft.Resources/resourceGroups', location: ctx.options.location, properties: { provisioningState: 'Succeeded' } },
  };
}

/** One page of `items` with a nextLink to the rest ($skiptoken = offset), as ARM pages lists. */
export function paged(req: ArmRequest, path: string, items: unknown[], pageSize: number): HttpAnswer {
  const skipText = req.query.get('$skiptoken') ?? '0';
  const skip = Number(skipText);
  if (!Number.isInteger(skip) || skip < 0) throw invalidParameter('$skiptoken', `"$skiptoken" must come from a nextLink, got "${skipText}"`);
  const body: Record<string, unknown> = { value: items.slice(skip, skip + pageSize) };
  if (skip + pageSize < items.length) body.nextLink = `${req.baseUrl}${path}?api-version=${encodeURIComponent(req.apiVersion)}&$skiptoken=${skip + pageSize}`;
  return { status: 200, body };
}

/** GET of a collection: each stored resource of the kind under the scope, as its own GET answers it. */
export async function listAnswer(ctx: ArmContext, req: ArmRequest, route: Extract<ArmRoute, { kind: 'list' }>, getOf: (kind: ListKind) => Handler | undefined, path: string): Promise<HttpAnswer> {
  const scope = route.resourceGroup === undefined
    ? `/subscriptions/${route.subscriptionId}`
    : route.resource === 'galleryImages'
      ? buildId(route.subscriptionId, route.resourceGroup, 'galleries', route.parentNames)
      : `/subscriptions/${route.subscriptionId}/resourceGroups/${route.resourceGroup}`;
  if (route.resourceGroup !== undefined && !knownGroups(ctx).has(route.resourceGroup.toLowerCase())) {
    throw new ArmError(404, 'ResourceGroupNotFound', `Resource group '${route.resourceGroup}' could not be found.`);
  }
  if (route.resource === 'galleryImages' && !ctx.store.get(scope)) {
    throw new ArmError(404, 'ResourceNotFound', `The Resource 'Microsoft.Compute/galleries/${route.parentNames[0]}' under resource group '${route.resourceGroup}' was not found.`);
  }
  const get = getOf(route.resource);
  if (!get) throw new ArmError(500, 'InternalServerError', `no GET handler for ${route.resource}`);
  const prefix = canonicalId(scope) + '/';
  const stored = ctx.store
    .list(armType(route.resource))
    .filter((r) => canonicalId(r.id).startsWith(prefix))
    .sort((a, b) => canonicalId(a.id).localeCompare(canonicalId(b.id)));
  const items: unknown[] = [];
  for (const r of stored) {
    const itemRoute = parseArmPath(r.id);
    if (!itemRoute) continue;
    items.push((await get(ctx, { ...req, route: itemRoute, query: new URLSearchParams() })).body);
  }
  return paged(req, path, items, ctx.options.listPageSize);
}

/** Publishers, offers or SKUs of the registered platform images, as bare arrays of {name, location, id}. */
export function vmImageCatalogAnswer(ctx: ArmContext, route: Extract<ArmRoute, { kind: 'vmImageCatalog' }>): HttpAnswer {
  const eq = (a: string, b: string | undefined) => b !== undefined && a.toLowerCase() === b.toLowerCase();
  const records = ctx.store.platformImages();
  const base = `/Subscriptions/${route.subscriptionId}/Providers/Microsoft.Compute/Locations/${route.location}/Publishers`;
  const names = new Map<string, string>();
  for (const r of records) {
    if (route.level === 'publishers') names.set(r.publisher.toLowerCase(), r.publisher);
    else if (route.level === 'offers' && eq(r.publisher, route.publisher)) names.set(r.offer.toLowerCase(), r.offer);
    else if (route.level === 'skus' && eq(r.publisher, route.publisher) && eq(r.offer, route.offer)) names.set(r.sku.toLowerCase(), r.sku);
  }
  if (route.level !== 'publishers' && names.size === 0) {
    const what = route.level === 'offers' ? `Publisher: ${route.publisher}` : `Offer: ${route.offer}`;
    throw new ArmError(404, 'NotFound', `Artifact: ${what} was not found in location ${route.location}.`);
  }
  const idOf = (name: string): string =>
    route.level === 'publishers' ? `${base}/${name}`
      : route.level === 'offers' ? `${base}/${route.publisher}/ArtifactTypes/VMImage/Offers/${name}`
        : `${base}/${route.publisher}/ArtifactTypes/VMImage/Offers/${route.offer}/Skus/${name}`;
  const body = [...names.values()].sort((a, b) => a.localeCompare(b)).map((name) => ({ name, location: route.location, id: idOf(name) }));
  return { status: 200, body };
}
