// Gallery image versions: PUT from snapshots, disks or a managed image, GET (with
// $expand=ReplicationStatus), LIST with {value, nextLink} paging, DELETE. A version keeps its own
// copy of the data; the parent image definition must exist.

import { ArmError, asObject, asString, invalidParameter, type HttpAnswer } from '../http-kit.js';
import { bodyObject, startLro, type ArmContext, type ArmRequest } from '../arm/context.js';
import { armType, buildId } from '../arm/paths.js';
import { baseBody, gbOf, mustGet, props, publicBody, requireLocation, tagsOf, type Handler, type ResourceHandlers } from './common.js';
import { requireParent } from './galleries.js';
import { deleteWithBlobs } from './images.js';
import { compareVersions, sourceFromId, type DataSource } from './sources.js';
import { publishingProfile, safetyProfile } from './gallery-version-profiles.js';
import { checkVersionPut, checkVersionSource } from './publish-rules.js';

function resourceRoute(req: ArmRequest) {
  if (req.route.kind !== 'resource') throw new ArmError(500, 'InternalServerError', 'route mismatch');
  return req.route;
}

interface Planned {
  os: DataSource;
  osEcho: Record<string, unknown>;
  data: Array<{ lun: number; source: DataSource; echo: Record<string, unknown> }>;
  sourceEcho?: Record<string, unknown>;
}

async function planSources(ctx: ArmContext, storage: Record<string, unknown>): Promise<Planned> {
  const imageId = asString(asObject(storage.source)?.id);
  const osIn = asObject(storage.osDiskImage);
  const caching = (o: Record<string, unknown> | undefined, d: string) => asString(o?.hostCaching) ?? d;
  if (imageId) {
    const image = await sourceFromId(ctx, imageId, 'properties.storageProfile.source.id', ['images']);
    const imageDisks = (asObject(props(image.resource!.body).storageProfile)?.dataDisks ?? []) as Array<Record<string, unknown>>;
    const data: Planned['data'] = [];
    for (const d of imageDisks) {
      const lun = Number(d.lun);
      const blobId = image.resource!.dataBlobs?.[String(lun)];
      const sizeBytes = blobId ? await ctx.backend.sizeOf(blobId) : 0;
      data.push({ lun, source: { blobId, sizeBytes }, echo: { lun, hostCaching: 'None' } });
    }
    return { os: image, osEcho: { hostCaching: caching(osIn, 'ReadWrite') }, data, sourceEcho: { id: imageId } };
  }
  const osSourceId = asObject(osIn?.source)?.id;
  if (!osIn || osSourceId === undefined) {
    throw invalidParameter('properties.storageProfile', `a gallery image version needs "storageProfile.source.id" (managed image) or "storageProfile.osDiskImage.source.id" (disk or snapshot)`);
  }
  const os = await sourceFromId(ctx, osSourceId, 'properties.storageProfile.osDiskImage.source.id', ['disks', 'snapshots']);
  const dataIn = storage.dataDiskImages ?? [];
  if (!Array.isArray(dataIn)) throw invalidParameter('properties.storageProfile.dataDiskImages', `"dataDiskImages" must be an array`);
  const data: Planned['data'] = [];
  for (const [i, raw] of dataIn.entries()) {
    const d = asObject(raw) ?? {};
    const target = `properties.storageProfile.dataDiskImages[${i}]`;
    const lun = d.lun;
    if (typeof lun !== 'number' || !Number.isInteger(lun) || lun < 0 || lun > 63) throw invalidParameter(`${target}.lun`, `"lun" must be 0-63, got ${JSON.stringify(lun)}`);
    if (data.some((x) => x.lun === lun)) throw invalidParameter(`${target}.lun`, `LUN ${lun} is used by more than one data disk image`);
    const sid = asObject(d.source)?.id;
    const source = await sourceFromId(ctx, sid, `${target}.source.id`, ['disks', 'snapshots']);
    data.push({ lun, source, echo: { lun, hostCaching: caching(d, 'None'), source: { id: sid } } });
  }
  return { os, osEcho: { hostCaching: caching(osIn, 'ReadWrite'), source: { id: osSourceId } }, data };
}

const putVersion: Handler = async (ctx, req) => {
  const route = resourceRoute(req);
  const [gallery, image, version] = route.names as [string, string, string];
  requireParent(ctx, 'galleryImages', buildId(route.subscriptionId, route.resourceGroup, 'galleryImages', [gallery, image]));
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw invalidParameter('galleryImageVersionName', `gallery image version name "${version}" must be MAJOR.MINOR.PATCH with whole numbers, e.g. 1.0.0`);
  }
  const body = bodyObject(req);
  const location = requireLocation(body);
  const p = asObject(body.properties) ?? {};
  const stored0 = ctx.store.get(route.id);
  // A version whose creation failed holds no data: a PUT creates it again (Azure retries a Failed version on PUT).
  const existing = stored0 && props(stored0.body).provisioningState === 'Failed' && !stored0.blobId ? undefined : stored0;
  const prevProps = existing ? props(existing.body) : undefined;
  const profile = publishingProfile(asObject(p.publishingProfile) ?? {}, location, asObject(prevProps?.publishingProfile));
  const regions = (profile.targetRegions as unknown[]).length;
  checkVersionPut(body, location, ctx.store.get(buildId(route.subscriptionId, route.resourceGroup, 'galleries', [gallery])), profile.targetRegions as Array<{ name: string }>);
  if (existing && prevProps) {
    // Azure lets an existing version change only its publishing profile (regions, replicas, end of life).
    const safety = safetyProfile(p.safetyProfile, asObject(prevProps.safetyProfile));
    const stored = { ...existing.body, tags: tagsOf(body) ?? existing.body.tags, properties: { ...prevProps, publishingProfile: profile, safetyProfile: safety, provisioningState: 'Updating' } };
    ctx.store.put({ ...existing, body: stored });
    return startLro(ctx, req, { key: 'galleryVersion.region', count: regions, status: 200, body: publicBody(stored), work: () => finish(ctx, route.id) });
  }
  const storage = asObject(p.storageProfile);
  if (!storage) throw invalidParameter('properties.storageProfile', `"properties.storageProfile" is required`);
  const plan = await planSources(ctx, storage);
  const definition = ctx.store.get(buildId(route.subscriptionId, route.resourceGroup, 'galleryImages', [gallery, image]));
  const definitionGen = String(props(definition?.body ?? {}).hyperVGeneration ?? 'V1');
  const sources = [
    { r: plan.os.resource, target: plan.sourceEcho ? 'properties.storageProfile.source.id' : 'properties.storageProfile.osDiskImage.source.id' },
    ...plan.data.map((d, i) => ({ r: d.source.resource, target: `properties.storageProfile.dataDiskImages[${i}].source.id` })),
  ];
  // Data disks carry no generation of their own: only the OS source is compared with the definition.
  const inOperation = sources.map((s, i) => checkVersionSource(s.r, s.target, location, i === 0 ? definitionGen : String(props(s.r?.body ?? {}).hyperVGeneration ?? definitionGen)))[0];
  const stored = baseBody(route.id, 'galleryImageVersions', location, tagsOf(body));
  const storageProfile: Record<string, unknown> = {
    osDiskImage: { ...plan.osEcho, sizeInGB: gbOf(plan.os.sizeBytes) },
    dataDiskImages: plan.data.map((d) => ({ ...d.echo, sizeInGB: gbOf(d.source.sizeBytes) })),
  };
  if (plan.sourceEcho) storageProfile.source = plan.sourceEcho;
  stored.properties = {
    publishingProfile: profile,
    storageProfile,
    safetyProfile: safetyProfile(p.safetyProfile),
    provisioningState: 'Creating',
  };
  ctx.store.put({ id: route.id, type: armType('galleryImageVersions'), body: stored });
  return startLro(ctx, req, {
    key: 'galleryVersion.region',
    count: regions,
    status: 201,
    body: publicBody(stored),
    failWith: inOperation ? { code: inOperation.code, message: inOperation.message } : undefined,
    work: async () => {
      const copy = (s: DataSource) => (s.blobId ? ctx.backend.copy(s.blobId) : ctx.backend.createEmpty(s.sizeBytes));
      const blobId = await copy(plan.os);
      const dataBlobs: Record<string, string> = {};
      for (const d of plan.data) dataBlobs[String(d.lun)] = await copy(d.source);
      ctx.store.update(route.id, (r) => {
        r.blobId = blobId;
        r.dataBlobs = dataBlobs;
      });
      return finish(ctx, route.id);
    },
    onFailure: () => {
      ctx.store.update(route.id, (r) => {
        props(r.body).provisioningState = 'Failed';
      });
    },
  });
};

async function finish(ctx: ArmContext, id: string): Promise<unknown> {
  const done = ctx.store.update(id, (r) => {
    props(r.body).provisioningState = 'Succeeded';
  });
  if (!done) throw new ArmError(404, 'ResourceNotFound', `gallery image version "${id}" was deleted while it was being published`);
  return publicBody(done.body);
}

/** The GET view; $expand=ReplicationStatus adds the per-region status. */
function view(body: Record<string, unknown>, expand: string | null): Record<string, unknown> {
  const out = publicBody(body);
  if (expand?.toLowerCase() !== 'replicationstatus') return out;
  const p = props({ ...out });
  const state = p.provisioningState === 'Succeeded' ? 'Completed' : p.provisioningState === 'Failed' ? 'Failed' : 'Replicating';
  const regions = (asObject(p.publishingProfile)?.targetRegions ?? []) as Array<{ name: string }>;
  return {
    ...out,
    properties: {
      ...p,
      replicationStatus: { aggregatedState: state === 'Replicating' ? 'InProgress' : state, summary: regions.map((r) => ({ region: r.name, state, details: '', progress: state === 'Completed' ? 100 : 0 })) },
    },
  };
}

const getVersion: Handler = (ctx, req) => ({ status: 200, body: view(mustGet(ctx, 'galleryImageVersions', resourceRoute(req).id).body, req.query.get('$expand')) });

/** LIST …/versions: {value, nextLink} with pages of `listPageSize`; $skiptoken is the offset. */
export function listVersions(ctx: ArmContext, req: ArmRequest): HttpAnswer {
  if (req.route.kind !== 'collection') throw new ArmError(500, 'InternalServerError', 'route mismatch');
  requireParent(ctx, 'galleryImages', req.route.parentId);
  const all = ctx.store
    .list(armType('galleryImageVersions'), req.route.parentId)
    .sort((a, b) => compareVersions(String(a.body.name), String(b.body.name)));
  const skipText = req.query.get('$skiptoken') ?? '0';
  const skip = Number(skipText);
  if (!Number.isInteger(skip) || skip < 0) throw invalidParameter('$skiptoken', `"$skiptoken" must come from a nextLink, got "${skipText}"`);
  const size = ctx.options.listPageSize;
  const page = all.slice(skip, skip + size).map((r) => view(r.body, req.query.get('$expand')));
  const body: Record<string, unknown> = { value: page };
  if (skip + size < all.length) {
    body.nextLink = `${req.baseUrl}${req.route.parentId}/versions?api-version=${encodeURIComponent(req.apiVersion)}&$skiptoken=${skip + size}`;
  }
  return { status: 200, body };
}

/** Handlers of Microsoft.Compute/galleries/images/versions. */
export const galleryVersionHandlers: ResourceHandlers = {
  get: getVersion,
  put: putVersion,
  delete: deleteWithBlobs('galleryImageVersions'),
};
