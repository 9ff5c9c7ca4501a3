// The emulated VM: GET (with $expand=instanceView), PUT (read-modify-write that keeps the
// read-only fields clients strip), PATCH (VirtualMachineUpdate) and POST attachDetachDataDisks.

import { ArmError, asObject, asString, invalidParameter, notAllowed } from '../http-kit.js';
import { bodyObject, type ArmContext, type ArmRequest } from '../arm/context.js';
import { sameId } from '../resource-store.js';
import { mustGet, props, publicBody, tagsOf, type Handler, type ResourceHandlers } from './common.js';
import { applyDataDisks, currentDisks, wantedFromModel, type WantedDisk } from './vm-data-disks.js';

/** Read-only VM properties Azure computes; a PUT never replaces them. */
const READ_ONLY = ['vmId', 'provisioningState', 'timeCreated', 'instanceView'];

function theVm(ctx: ArmContext, req: ArmRequest): void {
  if (req.route.kind !== 'resource') throw new ArmError(500, 'InternalServerError', 'route mismatch');
  if (!sameId(req.route.id, ctx.vmId)) {
    const exists = ctx.store.get(req.route.id);
    if (req.method === 'PUT' && !exists) {
      throw notAllowed(`The emulator hosts one virtual machine, ${ctx.vmId}; creating ${req.route.id} is not supported.`);
    }
  }
  mustGet(ctx, 'virtualMachines', req.route.id);
}

const getVm: Handler = (ctx, req) => {
  theVm(ctx, req);
  const body = publicBody(ctx.store.get(ctx.vmId)!.body);
  if (req.query.get('$expand')?.toLowerCase() !== 'instanceview') return { status: 200, body };
  const p = props(body);
  const disks = [asObject(asObject(p.storageProfile)?.osDisk), ...currentDisks(body)].filter(Boolean) as Array<Record<string, unknown>>;
  const state = String(p.provisioningState).toLowerCase();
  return {
    status: 200,
    body: {
      ...body,
      properties: {
        ...p,
        instanceView: {
          computerName: body.name,
          osName: 'ubuntu',
          disks: disks.map((d) => ({ name: d.name, statuses: [{ code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded' }] })),
          statuses: [
            { code: `ProvisioningState/${state}`, level: 'Info', displayStatus: `Provisioning ${state}` },
            { code: 'PowerState/running', level: 'Info', displayStatus: 'VM running' },
          ],
        },
      },
    },
  };
};

/** The parts of a PUT or PATCH body the VM handlers use: properties, storage profile, the wanted data disks (undefined: unchanged) and tags. */
function modelChange(body: Record<string, unknown>) {
  const p = asObject(body.properties) ?? {};
  const sp = asObject(p.storageProfile);
  const wanted = sp?.dataDisks === undefined ? undefined : wantedFromModel(sp.dataDisks, 'properties.storageProfile.dataDisks');
  const tags = body.tags === undefined ? undefined : tagsOf(body) ?? {};
  return { p, sp, wanted, tags };
}

/** PUT: the full model. Read-only fields and the OS disk stay as the emulator has them. */
const putVm: Handler = (ctx, req) => {
  theVm(ctx, req);
  const body = bodyObject(req);
  const location = asString(body.location);
  const vm = ctx.store.get(ctx.vmId)!;
  if (!location) throw invalidParameter('location', `The request body has no "location"; the VM is in "${String(vm.body.location)}".`);
  if (location.replace(/\s/g, '').toLowerCase() !== String(vm.body.location).toLowerCase()) {
    throw invalidParameter('location', `The VM is in "${String(vm.body.location)}" and cannot move to "${location}".`);
  }
  const { p, sp, wanted, tags } = modelChange(body);
  return applyDataDisks(
    ctx,
    req,
    wanted,
    (stored) => {
      const cur = props(stored);
      const next: Record<string, unknown> = { ...cur };
      for (const [k, v] of Object.entries(p)) if (!READ_ONLY.includes(k) && k !== 'storageProfile') next[k] = v;
      if (sp) {
        // The OS disk cannot be swapped here; keep the emulator's and take the other storage fields.
        const curSp = asObject(cur.storageProfile) ?? {};
        next.storageProfile = { ...curSp, ...sp, osDisk: curSp.osDisk, dataDisks: curSp.dataDisks };
      }
      stored.properties = next;
      if (tags !== undefined) stored.tags = tags;
    },
    { status: 200, result: (final) => final },
  );
};

/** PATCH (VirtualMachineUpdate): merges properties and tags; dataDisks, when given, is the wanted list. */
const patchVm: Handler = (ctx, req) => {
  theVm(ctx, req);
  const { p, wanted, tags } = modelChange(bodyObject(req));
  return applyDataDisks(
    ctx,
    req,
    wanted,
    (stored) => {
      const cur = props(stored);
      for (const [k, v] of Object.entries(p)) {
        if (READ_ONLY.includes(k) || k === 'storageProfile') continue;
        cur[k] = asObject(v) && asObject(cur[k]) ? { ...asObject(cur[k]), ...asObject(v) } : v;
      }
      if (tags !== undefined) stored.tags = tags;
    },
    { status: 200, result: (final) => final },
  );
};

/** POST attachDetachDataDisks: returns the StorageProfile once done. LUN may be omitted (first free). */
const attachDetach: Handler = (ctx, req) => {
  theVm(ctx, req);
  const body = bodyObject(req);
  const toAttach = body.dataDisksToAttach ?? [];
  const toDetach = body.dataDisksToDetach ?? [];
  if (!Array.isArray(toAttach) || !Array.isArray(toDetach)) throw invalidParameter('dataDisksToAttach', `"dataDisksToAttach" and "dataDisksToDetach" must be arrays`);
  if (toAttach.length === 0 && toDetach.length === 0) throw invalidParameter('dataDisksToAttach', `give at least one disk in "dataDisksToAttach" or "dataDisksToDetach"`);
  const vm = ctx.store.get(ctx.vmId)!;
  const current = currentDisks(vm.body).filter((e) => e.toBeDetached !== true);
  const idOf = (e: Record<string, unknown>) => String(asObject(e.managedDisk)?.id ?? '');
  let wanted: WantedDisk[] = current.map((e) => ({ diskId: idOf(e), lun: e.lun as number, caching: asString(e.caching) }));
  for (const [i, raw] of toDetach.entries()) {
    const diskId = asString(asObject(raw)?.diskId);
    if (!diskId) throw invalidParameter(`dataDisksToDetach[${i}].diskId`, `every disk to detach needs "diskId"`);
    // A disk already being detached may be named again (a client retrying a preempted detach): nothing more to change.
    const leaving = currentDisks(vm.body).some((e) => e.toBeDetached === true && sameId(idOf(e), diskId));
    if (!leaving && !wanted.some((w) => sameId(w.diskId, diskId))) throw invalidParameter(`dataDisksToDetach[${i}].diskId`, `disk ${diskId} is not attached to ${String(vm.body.name)}`);
    wanted = wanted.filter((w) => !sameId(w.diskId, diskId));
  }
  for (const [i, raw] of toAttach.entries()) {
    const a = asObject(raw) ?? {};
    const diskId = asString(a.diskId);
    if (!diskId) throw invalidParameter(`dataDisksToAttach[${i}].diskId`, `every disk to attach needs "diskId"`);
    let lun = a.lun as number | undefined;
    if (lun === undefined) {
      lun = 0;
      while (wanted.some((w) => w.lun === lun)) lun++;
    }
    if (wanted.some((w) => sameId(w.diskId, diskId))) throw notAllowed(`Disk ${diskId.split('/').pop()} is already attached to ${String(vm.body.name)}.`);
    wanted.push({ diskId, lun, caching: asString(a.caching), deleteOption: asString(a.deleteOption), writeAcceleratorEnabled: a.writeAcceleratorEnabled === true });
  }
  return applyDataDisks(ctx, req, wanted, () => undefined, { status: 202, result: (final) => props(final).storageProfile });
};

/** Handlers of Microsoft.Compute/virtualMachines. */
export const vmHandlers: ResourceHandlers = {
  get: getVm,
  put: putVm,
  patch: patchVm,
  actions: { attachdetachdatadisks: attachDetach },
};
