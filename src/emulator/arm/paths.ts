// Parses ARM request paths into routes. Matching is case-insensitive; `//` collapses; ids are
// rebuilt with Azure's canonical casing of the fixed segments and the caller's casing of names.

export type ResourceKind = 'disks' | 'snapshots' | 'images' | 'galleries' | 'galleryImages' | 'galleryImageVersions' | 'virtualMachines';

/** Kinds a collection GET lists (by subscription or by resource group). */
export type ListKind = 'disks' | 'snapshots' | 'images' | 'galleries' | 'galleryImages' | 'virtualMachines';

export type ArmRoute =
  | { kind: 'subscriptionList'; subscriptionId?: undefined }
  | { kind: 'tenantList'; subscriptionId?: undefined }
  | { kind: 'subscription'; subscriptionId: string }
  | { kind: 'resourceGroup'; subscriptionId: string; resourceGroup: string }
  | { kind: 'list'; resource: ListKind; subscriptionId: string; resourceGroup?: string; parentNames: string[] }
  | { kind: 'vmImageCatalog'; subscriptionId: string; location: string; level: 'publishers' | 'offers' | 'skus'; publisher?: string; offer?: string }
  | { kind: 'operation'; subscriptionId: string; location: string; operationId: string }
  | { kind: 'vmImages'; subscriptionId: string; location: string; publisher: string; offer: string; sku: string; version?: string }
  | { kind: 'resource'; resource: ResourceKind; subscriptionId: string; resourceGroup: string; id: string; names: string[]; action?: string }
  | { kind: 'collection'; resource: 'galleryImageVersions'; subscriptionId: string; resourceGroup: string; parentId: string; names: string[] };

const TYPE_SEGMENTS: Record<ResourceKind, string> = {
  disks: 'disks',
  snapshots: 'snapshots',
  images: 'images',
  galleries: 'galleries',
  galleryImages: 'images',
  galleryImageVersions: 'versions',
  virtualMachines: 'virtualMachines',
};

/** The ARM type of a resource kind, e.g. Microsoft.Compute/galleries/images. */
export function armType(kind: ResourceKind): string {
  const types: Record<ResourceKind, string> = {
    disks: 'Microsoft.Compute/disks',
    snapshots: 'Microsoft.Compute/snapshots',
    images: 'Microsoft.Compute/images',
    galleries: 'Microsoft.Compute/galleries',
    galleryImages: 'Microsoft.Compute/galleries/images',
    galleryImageVersions: 'Microsoft.Compute/galleries/images/versions',
    virtualMachines: 'Microsoft.Compute/virtualMachines',
  };
  return types[kind];
}

/** Canonical id of a resource: /subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/... */
export function buildId(subscriptionId: string, resourceGroup: string, kind: ResourceKind, names: readonly string[]): string {
  const base = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute`;
  if (kind === 'galleryImages') return `${base}/galleries/${names[0]}/images/${names[1]}`;
  if (kind === 'galleryImageVersions') return `${base}/galleries/${names[0]}/images/${names[1]}/versions/${names[2]}`;
  return `${base}/${TYPE_SEGMENTS[kind]}/${names[0]}`;
}

/** Splits a path into non-empty, decoded segments. */
export function segmentsOf(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => decodeURIComponent(s));
}

/** The route of an ARM path, or undefined when the path is not one the emulator serves. */
export function parseArmPath(path: string): ArmRoute | undefined {
  const seg = segmentsOf(path);
  const low = seg.map((s) => s.toLowerCase());
  if (seg.length === 1 && low[0] === 'tenants') return { kind: 'tenantList' };
  if (seg.length === 1 && low[0] === 'subscriptions') return { kind: 'subscriptionList' };
  if (low[0] !== 'subscriptions' || !seg[1]) return undefined;
  const subscriptionId = seg[1];
  if (seg.length === 2) return { kind: 'subscription', subscriptionId };
  if (seg.length === 4 && low[2] === 'resourcegroups' && seg[3]) return { kind: 'resourceGroup', subscriptionId, resourceGroup: seg[3] };
  const listKind = (type: string | undefined): ListKind | undefined =>
    ({ disks: 'disks', snapshots: 'snapshots', images: 'images', galleries: 'galleries', virtualmachines: 'virtualMachines' }) [type ?? ''] as ListKind | undefined;
  if (seg.length === 5 && low[2] === 'providers' && low[3] === 'microsoft.compute' && listKind(low[4])) {
    return { kind: 'list', resource: listKind(low[4])!, subscriptionId, parentNames: [] };
  }
  if (low[2] === 'resourcegroups' && seg[3] && low[4] === 'providers' && low[5] === 'microsoft.compute') {
    if (seg.length === 7 && listKind(low[6])) return { kind: 'list', resource: listKind(low[6])!, subscriptionId, resourceGroup: seg[3], parentNames: [] };
    if (seg.length === 9 && low[6] === 'galleries' && low[8] === 'images') return { kind: 'list', resource: 'galleryImages', subscriptionId, resourceGroup: seg[3], parentNames: [seg[7]!] };
  }
  if (low[2] === 'providers' && low[3] === 'microsoft.compute' && low[4] === 'locations' && seg[5]) {
    const location = seg[5];
    if (low[6] === 'publishers') {
      if (seg.length === 7) return { kind: 'vmImageCatalog', subscriptionId, location, level: 'publishers' };
      if (seg.length === 11 && low[8] === 'artifacttypes' && low[9] === 'vmimage' && low[10] === 'offers') return { kind: 'vmImageCatalog', subscriptionId, location, level: 'offers', publisher: seg[7] };
      if (seg.length === 13 && low[8] === 'artifacttypes' && low[9] === 'vmimage' && low[10] === 'offers' && low[12] === 'skus') {
        return { kind: 'vmImageCatalog', subscriptionId, location, level: 'skus', publisher: seg[7], offer: seg[11] };
      }
    }
    if (low[6] === 'operations' && seg[7] && seg.length === 8) return { kind: 'operation', subscriptionId, location, operationId: seg[7] };
    if (low[6] === 'publishers' && low[8] === 'artifacttypes' && low[9] === 'vmimage' && low[10] === 'offers' && low[12] === 'skus' && low[14] === 'versions') {
      const [publisher, offer, sku] = [seg[7], seg[11], seg[13]];
      if (!publisher || !offer || !sku || seg.length > 16) return undefined;
      return { kind: 'vmImages', subscriptionId, location, publisher, offer, sku, version: seg[15] };
    }
    return undefined;
  }
  if (low[2] !== 'resourcegroups' || !seg[3] || low[4] !== 'providers' || low[5] !== 'microsoft.compute' || !seg[7]) return undefined;
  const resourceGroup = seg[3];
  const type = low[6];
  const rest = seg.slice(7);
  const lowRest = low.slice(7);
  const resource = (kind: ResourceKind, names: string[], action?: string): ArmRoute => ({
    kind: 'resource',
    resource: kind,
    subscriptionId,
    resourceGroup,
    id: buildId(subscriptionId, resourceGroup, kind, names),
    names,
    action,
  });
  const [n0, , n2, , n4] = rest;
  switch (type) {
    case 'disks':
    case 'snapshots':
      if (rest.length === 1) return resource(type, [n0!]);
      if (rest.length === 2 && (lowRest[1] === 'begingetaccess' || lowRest[1] === 'endgetaccess')) return resource(type, [n0!], lowRest[1]);
      return undefined;
    case 'images':
      return rest.length === 1 ? resource('images', [n0!]) : undefined;
    case 'virtualmachines':
      if (rest.length === 1) return resource('virtualMachines', [n0!]);
      if (rest.length === 2 && lowRest[1] === 'attachdetachdatadisks') return resource('virtualMachines', [n0!], 'attachdetachdatadisks');
      return undefined;
    case 'galleries':
      if (rest.length === 1) return resource('galleries', [n0!]);
      if (lowRest[1] !== 'images' || !n2) return undefined;
      if (rest.length === 3) return resource('galleryImages', [n0!, n2]);
      if (lowRest[3] !== 'versions') return undefined;
      if (rest.length === 4) {
        const names = [n0!, n2];
        return { kind: 'collection', resource: 'galleryImageVersions', subscriptionId, resourceGroup, parentId: buildId(subscriptionId, resourceGroup, 'galleryImages', names), names };
      }
      if (rest.length === 5 && n4) return resource('galleryImageVersions', [n0!, n2, n4]);
      return undefined;
    default:
      return undefined;
  }
}

/** Parses a resource id given in a request body (source ids, disk ids). */
export function parseResourceId(id: string): { kind: ResourceKind; id: string; subscriptionId: string } | undefined {
  const route = parseArmPath(id);
  if (!route || route.kind !== 'resource' || route.action) return undefined;
  return { kind: route.resource, id: route.id, subscriptionId: route.subscriptionId };
}
