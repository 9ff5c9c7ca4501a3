// Azure Compute Galleries and gallery image definitions: GET, PUT, DELETE (only when empty).

import { ArmError, asObject, asString, invalidParameter, notAllowed } from '../http-kit.js';
import { bodyObject, startLro, type ArmContext, type ArmRequest } from '../arm/context.js';
import { armType, buildId, type ResourceKind } from '../arm/paths.js';
import { checkName } from './publish-rules.js';
import { baseBody, enumOf, getHandler, props, publicBody, requireLocation, tagsOf, type Handler, type ResourceHandlers } from './common.js';

function resourceRoute(req: ArmRequest) {
  if (req.route.kind !== 'resource') throw new ArmError(500, 'InternalServerError', 'route mismatch');
  return req.route;
}

/** 404 ParentResourceNotFound unless the parent exists. */
export function requireParent(ctx: ArmContext, kind: ResourceKind, id: string): void {
  const parent = ctx.store.get(id);
  if (!parent || parent.type.toLowerCase() !== armType(kind).toLowerCase()) {
    throw new ArmError(404, 'ParentResourceNotFound', `Can not perform requested operation on nested resource. Parent resource '${id.split('/').pop()}' (${armType(kind)}) not found: ${id}. Create it first.`);
  }
}

/** Stores `body` and finishes it as Succeeded through an LRO (201 new / 200 replaced). */
function createSimple(ctx: ArmContext, req: ArmRequest, kind: ResourceKind, body: Record<string, unknown>, existed: boolean) {
  const id = String(body.id);
  ctx.store.put({ id, type: armType(kind), body });
  return startLro(ctx, req, {
    key: 'gallery.create',
    status: existed ? 200 : 201,
    body: publicBody(body),
    work: async () => {
      const done = ctx.store.update(id, (r) => {
        props(r.body).provisioningState = 'Succeeded';
      });
      return done ? publicBody(done.body) : undefined;
    },
    onFailure: () => {
      ctx.store.update(id, (r) => {
        props(r.body).provisioningState = 'Failed';
      });
    },
  });
}

const putGallery: Handler = (ctx, req) => {
  const route = resourceRoute(req);
  checkName('galleries', route.names[0]!);
  const body = bodyObject(req);
  const location = requireLocation(body);
  const p = asObject(body.properties) ?? {};
  const existing = ctx.store.get(route.id);
  const stored = baseBody(route.id, 'galleries', location, tagsOf(body));
  stored.properties = {
    ...(p.description !== undefined ? { description: p.description } : {}),
    identifier: { uniqueName: `${route.subscriptionId}-${route.names[0]!.toUpperCase()}` },
    provisioningState: existing ? 'Updating' : 'Creating',
  };
  return createSimple(ctx, req, 'galleries', stored, existing !== undefined);
};

const putGalleryImage: Handler = (ctx, req) => {
  const route = resourceRoute(req);
  requireParent(ctx, 'galleries', buildId(route.subscriptionId, route.resourceGroup, 'galleries', [route.names[0]!]));
  checkName('galleryImages', route.names[1]!);
  const body = bodyObject(req);
  const location = requireLocation(body);
  const p = asObject(body.properties) ?? {};
  const osType = enumOf(p.osType, ['Linux', 'Windows'] as const, 'properties.osType');
  if (!osType) throw invalidParameter('properties.osType', `"properties.osType" is required: Linux or Windows`);
  const osState = enumOf(p.osState, ['Generalized', 'Specialized'] as const, 'properties.osState');
  if (!osState) throw invalidParameter('properties.osState', `"properties.osState" is required: Generalized or Specialized`);
  const ident = asObject(p.identifier);
  const [publisher, offer, sku] = [asString(ident?.publisher), asString(ident?.offer), asString(ident?.sku)];
  if (!publisher || !offer || !sku) {
    throw invalidParameter('properties.identifier', `"properties.identifier" needs publisher, offer and sku, got ${JSON.stringify(p.identifier)}`);
  }
  if (p.features !== undefined && !Array.isArray(p.features)) throw invalidParameter('properties.features', `"features" must be an array of {name, value}`);
  const existing = ctx.store.get(route.id);
  const stored = baseBody(route.id, 'galleryImages', location, tagsOf(body));
  stored.properties = {
    ...p,
    osType,
    osState,
    hyperVGeneration: enumOf(p.hyperVGeneration, ['V1', 'V2'] as const, 'properties.hyperVGeneration') ?? 'V1',
    architecture: enumOf(p.architecture, ['x64', 'Arm64'] as const, 'properties.architecture') ?? 'x64',
    identifier: { publisher, offer, sku },
    provisioningState: existing ? 'Updating' : 'Creating',
  };
  return createSimple(ctx, req, 'galleryImages', stored, existing !== undefined);
};

/** DELETE of a container resource; 409 OperationNotAllowed while it has children. */
function deleteContainer(kind: ResourceKind, childKind: ResourceKind): Handler {
  return (ctx, req) => {
    const route = resourceRoute(req);
    const existing = ctx.store.get(route.id);
    if (!existing || existing.type.toLowerCase() !== armType(kind).toLowerCase()) return { status: 204 };
    const children = ctx.store.list(armType(childKind), route.id);
    if (children.length > 0) {
      throw notAllowed(`"${route.id}" still contains ${children.length} nested resource(s) (${armType(childKind)}); delete them first.`);
    }
    return startLro(ctx, req, {
      key: 'delete',
      status: 202,
      work: async () => {
        ctx.store.remove(route.id);
        return undefined;
      },
    });
  };
}

/** Handlers of Microsoft.Compute/galleries. */
export const galleryHandlers: ResourceHandlers = {
  get: getHandler('galleries'),
  put: putGallery,
  delete: deleteContainer('galleries', 'galleryImages'),
};

/** Handlers of Microsoft.Compute/galleries/images. */
export const galleryImageHandlers: ResourceHandlers = {
  get: getHandler('galleryImages'),
  put: putGalleryImage,
  delete: deleteContainer('galleryImages', 'galleryImageVersions'),
};
