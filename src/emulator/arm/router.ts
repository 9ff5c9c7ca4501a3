// The ARM side of the HTTPS server: token check, api-version check, fault injection and
// dispatch to the resource handlers and the operation-status endpoints.

import type { IncomingMessage } from 'node:http';
import { ArmError, parseJsonBody, readBody, type HttpAnswer } from '../http-kit.js';
import { operationUrl, pollAnswer } from '../operations.js';
import { ARM_AUDIENCES, tokenIssuer, type TokenCheck, type TokenService } from '../tokens.js';
import { checkApiVersion } from './api-version-check.js';
import type { ArmContext, ArmRequest } from './context.js';
import { parseArmPath, type ArmRoute, type ResourceKind } from './paths.js';
import type { ResourceHandlers } from '../resources/common.js';
import { diskHandlers } from '../resources/disks.js';
import { snapshotHandlers } from '../resources/snapshots.js';
import { imageHandlers } from '../resources/images.js';
import { galleryHandlers, galleryImageHandlers } from '../resources/galleries.js';
import { galleryVersionHandlers, listVersions } from '../resources/gallery-versions.js';
import { vmHandlers } from '../resources/virtual-machines.js';
import { vmImagesAnswer } from '../resources/vm-images.js';
import { listAnswer, resourceGroupAnswer, subscriptionBody, subscriptionList, tenantList, vmImageCatalogAnswer } from './lists.js';

const HANDLERS: Record<ResourceKind, ResourceHandlers> = {
  disks: diskHandlers,
  snapshots: snapshotHandlers,
  images: imageHandlers,
  galleries: galleryHandlers,
  galleryImages: galleryImageHandlers,
  galleryImageVersions: galleryVersionHandlers,
  virtualMachines: vmHandlers,
};

const VERBS: Record<string, string> = { GET: 'get', PUT: 'createOrUpdate', PATCH: 'update', DELETE: 'delete' };
const ACTION_NAMES: Record<string, string> = { begingetaccess: 'grantAccess', endgetaccess: 'revokeAccess', attachdetachdatadisks: 'attachDetachDataDisks' };

/** Operation name of a request, in @azure/arm-compute's naming (disks.createOrUpdate, …). */
export function operationName(method: string, route: ArmRoute | undefined): string {
  if (!route) return 'arm.unknown';
  switch (route.kind) {
    case 'subscription':
      return 'subscriptions.get';
    case 'subscriptionList':
      return 'subscriptions.list';
    case 'tenantList':
      return 'tenants.list';
    case 'resourceGroup':
      return 'resourceGroups.get';
    case 'list':
      return `${route.resource}.${route.resource === 'galleryImages' ? 'listByGallery' : route.resourceGroup === undefined ? (route.resource === 'virtualMachines' ? 'listAll' : 'list') : 'listByResourceGroup'}`;
    case 'vmImageCatalog':
      return `virtualMachineImages.list${route.level[0]!.toUpperCase()}${route.level.slice(1)}`;
    case 'operation':
      return 'operations.get';
    case 'vmImages':
      return route.version === undefined ? 'virtualMachineImages.list' : 'virtualMachineImages.get';
    case 'collection':
      return 'galleryImageVersions.listByGalleryImage';
    case 'resource':
      return `${route.resource}.${route.action ? ACTION_NAMES[route.action] ?? route.action : VERBS[method] ?? method.toLowerCase()}`;
  }
}

function unauthorized(ctx: ArmContext, code: string, message: string): ArmError {
  const tenant = ctx.options.tenantId;
  return new ArmError(401, code, message, {
    headers: {
      // Packer finds the tenant with the regex authorization_uri=".*/([0-9a-f\-]+)".
      'WWW-Authenticate': `Bearer authorization_uri="https://login.windows.net/${tenant}", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`,
    },
  });
}

/** .NET's invariant "M/d/yyyy h:mm:ss tt", as ARM prints times in its token errors. */
function armTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours() % 12 || 12;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

/** ARM's 401 for a token that did not pass (codes and messages as Azure's). */
function authError(ctx: ArmContext, auth: Extract<TokenCheck, { ok: false }>): ArmError {
  const tenant = ctx.options.tenantId;
  switch (auth.reason) {
    case 'missing':
      return unauthorized(ctx, 'AuthenticationFailed', `Authentication failed. The 'Authorization' header is missing.`);
    case 'expired':
      return unauthorized(ctx, 'ExpiredAuthenticationToken', `The access token expiry UTC time '${armTime(auth.expiredAt ?? 0)}' is earlier than current UTC time '${armTime(Date.now())}'.`);
    case 'audience':
      return unauthorized(ctx, 'InvalidAuthenticationToken', `The access token has been obtained for wrong audience or resource '${auth.detail}'. It should exactly match with one of the allowed audiences ${ARM_AUDIENCES.map((a) => `'${a}'`).join(',')}.`);
    case 'tenant':
      return unauthorized(ctx, 'InvalidAuthenticationTokenTenant', `The access token is from the wrong issuer '${auth.detail}'. It must match the tenant '${tokenIssuer(tenant, 1)}' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${tenant}' to get the token.`);
    case 'notYetValid':
      return unauthorized(ctx, 'InvalidAuthenticationToken', `The access token is not yet valid.`);
    case 'malformed':
      return unauthorized(ctx, 'InvalidAuthenticationToken', `The access token is invalid.`);
    case 'signature':
      return unauthorized(ctx, 'InvalidAuthenticationToken', `The access token signature is invalid.`);
  }
}

/** Handles one ARM request; `path` is already normalised. Throws ArmError for error answers. */
export async function handleArm(ctx: ArmContext, tokens: TokenService, req: IncomingMessage, url: URL, baseUrl: string, setOperation: (op: string) => void): Promise<HttpAnswer> {
  const method = (req.method ?? 'GET').toUpperCase();
  const route = parseArmPath(url.pathname);
  const operation = operationName(method, route);
  setOperation(operation);
  const auth = tokens.check(req.headers.authorization);
  if (!auth.ok) throw authError(ctx, auth);
  const apiVersion = url.searchParams.get('api-version');
  if (!apiVersion) {
    throw new ArmError(400, 'MissingApiVersionParameter', `The api-version query parameter (?api-version=) is required for all requests.`);
  }
  if (!route) throw new ArmError(404, 'InvalidResourceType', `The emulator does not serve '${url.pathname}' (method ${method}).`);
  if (route.subscriptionId !== undefined && route.subscriptionId.toLowerCase() !== ctx.options.subscriptionId.toLowerCase()) {
    throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${route.subscriptionId}' could not be found; the emulator serves ${ctx.options.subscriptionId}.`);
  }
  checkApiVersion(route, apiVersion, ctx.options.location);
  const hangMs = ctx.faults.takeHang(operation);
  if (hangMs !== undefined) {
    await holdUnanswered(req, hangMs);
    // The client hung up: there is no one to answer (and nothing to log).
    if (req.socket.destroyed) return new Promise<never>(() => undefined);
    throw new ArmError(504, 'GatewayTimeout', `The gateway did not receive a response within the specified time (injected hang on ${operation}).`);
  }
  const fault = ctx.faults.takeRequestFault(operation);
  if (fault) throw fault;
  const limits = ctx.throttling.admit(operation, method);
  const raw = await readBody(req);
  const body = method === 'GET' || method === 'DELETE' ? undefined : parseJsonBody(raw);
  const request: ArmRequest = { method, route, query: url.searchParams, body, apiVersion, baseUrl, operation, path: url.pathname };
  const answer = await dispatch(ctx, request, method);
  return Object.keys(limits).length === 0 ? answer : { ...answer, headers: { ...(answer.headers ?? {}), ...limits } };
}

/** Waits `ms`, or until the client closes the connection. */
function holdUnanswered(req: IncomingMessage, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      req.socket.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    req.socket.once('close', done);
  });
}

async function dispatch(ctx: ArmContext, req: ArmRequest, method: string): Promise<HttpAnswer> {
  const route = req.route;
  const notSupported = () => new ArmError(405, 'MethodNotAllowed', `${method} is not supported on ${operationName(method, route).split('.')[0]} by the emulator.`);
  switch (route.kind) {
    case 'subscription':
      if (method !== 'GET') throw notSupported();
      return { status: 200, body: subscriptionBody(ctx) };
    case 'subscriptionList':
      if (method !== 'GET') throw notSupported();
      return subscriptionList(ctx);
    case 'tenantList':
      if (method !== 'GET') throw notSupported();
      return tenantList(ctx);
    case 'resourceGroup':
      if (method !== 'GET') throw notSupported();
      return resourceGroupAnswer(ctx, route);
    case 'list':
      if (method !== 'GET') throw notSupported();
      return listAnswer(ctx, req, route, (kind) => HANDLERS[kind].get, req.path ?? "");
    case 'vmImageCatalog':
      if (method !== 'GET') throw notSupported();
      return vmImageCatalogAnswer(ctx, route);
    case 'operation': {
      if (method !== 'GET') throw notSupported();
      const op = await ctx.operations.poll(route.operationId);
      if (!op) throw new ArmError(404, 'ResourceNotFound', `Operation ${route.operationId} was not found (operations do not survive an emulator restart).`);
      const monitor = req.query.get('monitor') === 'true';
      return pollAnswer(op, monitor, operationUrl(req.baseUrl, ctx.options.subscriptionId, route.location, op, req.apiVersion));
    }
    case 'vmImages':
      if (method !== 'GET') throw notSupported();
      return vmImagesAnswer(ctx, req);
    case 'collection':
      if (method !== 'GET') throw notSupported();
      return listVersions(ctx, req);
    case 'resource': {
      const handlers = HANDLERS[route.resource];
      const handler = route.action
        ? method === 'POST'
          ? handlers.actions?.[route.action]
          : undefined
        : ({ GET: handlers.get, PUT: handlers.put, PATCH: handlers.patch, DELETE: handlers.delete } as Record<string, typeof handlers.get>)[method];
      if (!handler) throw notSupported();
      return handler(ctx, req);
    }
  }
}
