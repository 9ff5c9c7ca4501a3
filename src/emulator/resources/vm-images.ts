// Platform images (Marketplace VM images) registered in the state directory: LIST versions
// (bare JSON array, $orderby=name desc, $top) and GET one version.

import { ArmError, invalidParameter, type HttpAnswer } from '../http-kit.js';
import type { ArmContext, ArmRequest } from '../arm/context.js';
import type { PlatformImageRecord } from '../state-layout.js';
import { gbOf } from './common.js';
import { platformImagesOf } from './sources.js';

function imageId(subscriptionId: string, location: string, r: PlatformImageRecord): string {
  return `/Subscriptions/${subscriptionId}/Providers/Microsoft.Compute/Locations/${location}/Publishers/${r.publisher}/ArtifactTypes/VMImage/Offers/${r.offer}/Skus/${r.sku}/Versions/${r.version}`;
}

/** GET …/versions (list) or …/versions/{v}. */
export function vmImagesAnswer(ctx: ArmContext, req: ArmRequest): HttpAnswer {
  const route = req.route;
  if (route.kind !== 'vmImages') throw new ArmError(500, 'InternalServerError', 'route mismatch');
  const records = platformImagesOf(ctx, route.publisher, route.offer, route.sku);
  if (route.version !== undefined) {
    const wanted = route.version.toLowerCase();
    const r = wanted === 'latest' ? records.at(-1) : records.find((x) => x.version.toLowerCase() === wanted);
    if (!r) throw new ArmError(404, 'NotFound', `Artifact: VMImage was not found: ${route.publisher}:${route.offer}:${route.sku}:${route.version} in ${route.location}.`);
    return {
      status: 200,
      body: {
        name: r.version,
        location: route.location,
        id: imageId(route.subscriptionId, route.location, r),
        properties: {
          hyperVGeneration: r.hyperVGeneration,
          osDiskImage: { operatingSystem: 'Linux', sizeInGb: gbOf(r.sizeBytes) },
          dataDiskImages: [],
          architecture: 'x64',
          automaticOSUpgradeProperties: { automaticOSUpgradeSupported: false },
          features: [],
        },
      },
    };
  }
  let list = records;
  const orderby = req.query.get('$orderby');
  if (orderby !== null) {
    const m = /^\s*name(?:\s+(asc|desc))?\s*$/i.exec(orderby);
    if (!m) throw invalidParameter('$orderby', `"$orderby" supports only "name" or "name desc", got "${orderby}"`);
    if (m[1]?.toLowerCase() === 'desc') list = [...list].reverse();
  }
  const top = req.query.get('$top');
  if (top !== null) {
    const n = Number(top);
    if (!Number.isInteger(n) || n < 1) throw invalidParameter('$top', `"$top" must be a positive integer, got "${top}"`);
    list = list.slice(0, n);
  }
  return { status: 200, body: list.map((r) => ({ name: r.version, location: route.location, id: imageId(route.subscriptionId, route.location, r) })) };
}
