// Helpers shared by the resource handlers: body fields, sizes, SKUs and the stored-resource view.

import type { StoredResource } from '../state-layout.js';
import { ArmError, asObject, asString, invalidParameter, notFound, type HttpAnswer } from '../http-kit.js';
import type { ArmContext, ArmRequest } from '../arm/context.js';
import { armType, type ResourceKind } from '../arm/paths.js';

export const GIB = 1024 ** 3;

export type Handler = (ctx: ArmContext, req: ArmRequest) => Promise<HttpAnswer> | HttpAnswer;

export interface ResourceHandlers {
  get?: Handler;
  put?: Handler;
  patch?: Handler;
  delete?: Handler;
  /** POST actions by lower-case name. */
  actions?: Record<string, Handler>;
}

/** The body as returned on GET: keys starting with `_` are the emulator's private bookkeeping. */
export function publicBody(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !k.startsWith('_')));
}

/** `properties` of a stored or request body (created when absent). */
export function props(body: Record<string, unknown>): Record<string, unknown> {
  const p = asObject(body.properties);
  if (p) return p;
  const fresh: Record<string, unknown> = {};
  body.properties = fresh;
  return fresh;
}

/** The resource or a 404 ResourceNotFound. */
export function mustGet(ctx: ArmContext, kind: ResourceKind, id: string): StoredResource {
  const found = ctx.store.get(id);
  if (!found || found.type.toLowerCase() !== armType(kind).toLowerCase()) throw notFound(armType(kind), id);
  return found;
}

/** GET answer for a resource kind. */
export function getHandler(kind: ResourceKind): Handler {
  return (ctx, req) => {
    if (req.route.kind !== 'resource') throw new ArmError(500, 'InternalServerError', 'route mismatch');
    return { status: 200, body: publicBody(mustGet(ctx, kind, req.route.id).body) };
  };
}

/** `location` of a PUT body, required. */
export function requireLocation(body: Record<string, unknown>): string {
  const location = asString(body.location);
  if (!location) throw invalidParameter('location', `The request body has no "location"; give the Azure region, e.g. "westeurope".`);
  return location;
}

/** Tags of a body: an object of strings, or undefined. */
export function tagsOf(body: Record<string, unknown>): Record<string, string> | undefined {
  if (body.tags === undefined || body.tags === null) return undefined;
  const tags = asObject(body.tags);
  if (!tags || !Object.values(tags).every((v) => typeof v === 'string')) {
    throw invalidParameter('tags', `"tags" must be an object of string values, got ${JSON.stringify(body.tags)}`);
  }
  return tags as Record<string, string>;
}

/** A positive whole number of GiB, or undefined when absent. */
export function sizeGbOf(value: unknown, target: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65536) {
    throw invalidParameter(target, `"${target}" must be a whole number of GiB between 1 and 65536, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Whole GiB for a byte size, rounded up (Azure's diskSizeGB). */
export function gbOf(bytes: number): number {
  return Math.ceil(bytes / GIB);
}

const SKUS = ['Standard_LRS', 'Premium_LRS', 'StandardSSD_LRS', 'UltraSSD_LRS', 'Premium_ZRS', 'StandardSSD_ZRS', 'PremiumV2_LRS'];

/** Disk SKU object {name, tier} from a body, default Standard_LRS. */
export function skuOf(body: Record<string, unknown>, fallback = 'Standard_LRS'): { name: string; tier: string } {
  const given = asObject(body.sku)?.name;
  const name = given === undefined ? fallback : SKUS.find((s) => s.toLowerCase() === String(given).toLowerCase());
  if (!name) throw invalidParameter('sku.name', `SKU "${String(given)}" is not valid; use one of ${SKUS.join(', ')}`);
  const tier = name.startsWith('Premium') ? 'Premium' : name.startsWith('Ultra') ? 'Ultra' : 'Standard';
  return { name, tier };
}

/** Checks an optional enum-valued property case-insensitively; returns Azure's spelling. */
export function enumOf<T extends string>(value: unknown, allowed: readonly T[], target: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  const hit = allowed.find((a) => a.toLowerCase() === String(value).toLowerCase());
  if (!hit) throw invalidParameter(target, `"${target}" must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return hit;
}

/** Common top-level fields of a new resource body. */
export function baseBody(id: string, kind: ResourceKind, location: string, tags: Record<string, string> | undefined): Record<string, unknown> {
  const name = id.split('/').pop() ?? id;
  const body: Record<string, unknown> = { id, name, type: armType(kind), location };
  if (tags) body.tags = tags;
  return body;
}

/** Zones of a body: an array of zone strings, or undefined. */
export function zonesOf(body: Record<string, unknown>): string[] | undefined {
  if (body.zones === undefined || body.zones === null) return undefined;
  if (!Array.isArray(body.zones) || !body.zones.every((z) => typeof z === 'string')) {
    throw invalidParameter('zones', `"zones" must be an array of strings, got ${JSON.stringify(body.zones)}`);
  }
  return body.zones as string[];
}
