// Data-disk changes of the emulated VM. Every VM write (PUT, PATCH, attachDetachDataDisks) ends
// here: the wanted list is checked and diffed against what is attached; new disks attach through
// DiskBackend.attach (loop device + device link), removed ones detach.
//
// Azure's concurrency model, as the emulator keeps it:
// - The VM model changes when a write is accepted; the work (attach, detach) follows. Detaching
//   disks stay listed with toBeDetached: true until they are gone, so the model lists every disk the
//   VM holds at every moment, whatever the interleaving. The work converges the backend to the model
//   (never the model to the backend), so a newer operation can never drop a disk an older one adds.
// - One write at a time per VM. A second write while one runs is either refused with 409 Conflict
//   "The request failed due to conflict with a concurrent request…" (Azure/azure-cli#15765,
//   kubernetes/kubernetes#50150), or accepted and the running one ends as Failed with
//   OperationPreempted (see operations.ts). Polite mode always refuses; real mode picks.
// - Attaching a disk that is still being detached is 409 AttachDiskWhileBeingDetached
//   (message shape from kubernetes/kubernetes#78657).
//
// Other codes: a LUN used twice is 409 "Conflict" (Azure's exact code is not documented); a disk
// already attached (to this VM or another) is 409 "OperationNotAllowed".

import { ArmError, asObject, asString, invalidParameter, notAllowed, type HttpAnswer } from '../http-kit.js';
import { startLro, type ArmContext, type ArmRequest } from '../arm/context.js';
import type { OperationRecord } from '../operations.js';
import { armType } from '../arm/paths.js';
import { canonicalId, sameId } from '../resource-store.js';
import { props, publicBody } from './common.js';
import { bumpEtag } from './vm-model.js';
import { attachRefusal } from './vm-attach-rules.js';

/** One wanted data disk. */
export interface WantedDisk {
  diskId: string;
  lun: number;
  caching?: string;
  deleteOption?: string;
  writeAcceleratorEnabled?: boolean;
}

type Entry = Record<string, unknown>;

/** Data disks listed in a stored VM body. */
export function currentDisks(vm: Record<string, unknown>): Entry[] {
  const list = asObject(props(vm).storageProfile)?.dataDisks;
  return Array.isArray(list) ? (list as Entry[]) : [];
}

const diskIdOf = (e: Entry) => String(asObject(e.managedDisk)?.id ?? '');

/** Parses a `dataDisks` array of a VM body into wanted disks (entries with toBeDetached are dropped). */
export function wantedFromModel(value: unknown, target: string): WantedDisk[] {
  if (!Array.isArray(value)) throw invalidParameter(target, `"${target}" must be an array`);
  const out: WantedDisk[] = [];
  for (const [i, raw] of value.entries()) {
    const e = asObject(raw) ?? {};
    if (e.toBeDetached === true) continue;
    const option = asString(e.createOption) ?? 'Attach';
    if (option.toLowerCase() !== 'attach') {
      throw invalidParameter(`${target}[${i}].createOption`, `data disk createOption "${option}" is not supported by the emulator; create the disk first and attach it with createOption "Attach"`);
    }
    const diskId = asString(asObject(e.managedDisk)?.id);
    if (!diskId) throw invalidParameter(`${target}[${i}].managedDisk.id`, `every data disk needs "managedDisk.id"`);
    out.push({ diskId, lun: e.lun as number, caching: asString(e.caching), deleteOption: asString(e.deleteOption), writeAcceleratorEnabled: e.writeAcceleratorEnabled === true });
  }
  return out;
}

/** Checks LUNs and duplicates of the wanted list. */
function checkWanted(wanted: WantedDisk[], vmName: string): void {
  const luns = new Map<number, string>();
  const ids = new Set<string>();
  for (const w of wanted) {
    if (typeof w.lun !== 'number' || !Number.isInteger(w.lun) || w.lun < 0 || w.lun > 63) {
      throw invalidParameter('dataDisks.lun', `data disk LUN must be a whole number 0-63, got ${JSON.stringify(w.lun)} for ${w.diskId}`);
    }
    const other = luns.get(w.lun);
    if (other !== undefined) {
      throw new ArmError(409, 'Conflict', `LUN ${w.lun} of virtual machine ${vmName} is already used by disk ${other.split('/').pop()}; choose a free LUN (0-63) for ${w.diskId.split('/').pop()}.`, { target: 'dataDisks' });
    }
    if (ids.has(canonicalId(w.diskId))) throw invalidParameter('dataDisks', `disk ${w.diskId} is listed twice`);
    luns.set(w.lun, w.diskId);
    ids.add(canonicalId(w.diskId));
  }
}

/** Azure's answer to a VM write that collides with a running one (Azure/azure-cli#15765). */
export function concurrentConflict(): ArmError {
  return new ArmError(409, 'Conflict', 'The request failed due to conflict with a concurrent request. To resolve it, please refer to https://aka.ms/activitylog to get more details on the conflicting requests.');
}

/** The VM write in flight, if any. */
function runningVmOperation(ctx: ArmContext) {
  const op = ctx.vmOps.latest;
  return op && op.status === 'InProgress' ? op : undefined;
}

/** Applies a wanted data-disk list to the VM; `mutate` applies the request's other changes to the stored body. */
export function applyDataDisks(
  ctx: ArmContext,
  req: ArmRequest,
  wanted: WantedDisk[] | undefined,
  mutate: (body: Record<string, unknown>) => void,
  answer: { status: number; result: (vm: Record<string, unknown>) => unknown },
): HttpAnswer | Promise<HttpAnswer> {
  const vm = ctx.store.get(ctx.vmId);
  if (!vm) throw new ArmError(404, 'ResourceNotFound', `virtual machine ${ctx.vmId} was not found`);
  const running = runningVmOperation(ctx);
  if (running && (ctx.options.vmConcurrency ?? ctx.variety.pick(['refuse', 'preempt'] as const)) === 'refuse') throw concurrentConflict();
  const vmName = String(vm.body.name);
  const all = currentDisks(vm.body);
  const current = all.filter((e) => e.toBeDetached !== true);
  const detaching = all.filter((e) => e.toBeDetached === true);
  const goal: WantedDisk[] = wanted ?? current.map((e) => ({ diskId: diskIdOf(e), lun: e.lun as number, caching: asString(e.caching) }));
  checkWanted(goal, vmName);
  for (const w of goal) {
    const leaving = detaching.find((e) => sameId(w.diskId, diskIdOf(e)));
    if (leaving) {
      const disk = ctx.store.get(w.diskId);
      throw new ArmError(
        409,
        'AttachDiskWhileBeingDetached',
        `Cannot attach data disk '${String(disk ? props(disk.body).uniqueId ?? disk.body.name : w.diskId)}' to VM '${vmName}' because the disk is currently being detached or the last detach operation failed. Please wait until the disk is completely detached and then try again or delete/detach the disk explicitly again.`,
      );
    }
    const lunHolder = detaching.find((e) => e.lun === w.lun);
    if (lunHolder) {
      throw new ArmError(409, 'Conflict', `LUN ${w.lun} of virtual machine ${vmName} is still held by disk ${String(lunHolder.name)}, which is being detached; choose another LUN or retry when the detach has finished.`, { target: 'dataDisks' });
    }
  }
  const detach = current.filter((e) => !goal.some((w) => sameId(w.diskId, diskIdOf(e))));
  const attach = goal.filter((w) => !current.some((e) => sameId(w.diskId, diskIdOf(e))));
  for (const w of goal) {
    const cur = current.find((e) => sameId(w.diskId, diskIdOf(e)));
    if (cur && cur.lun !== w.lun) throw new ArmError(409, 'Conflict', `disk ${w.diskId.split('/').pop()} is attached at LUN ${String(cur.lun)}; detach it before attaching it at LUN ${w.lun}.`);
  }
  const entries = new Map<string, Entry>();
  for (const w of attach) {
    const disk = ctx.store.get(w.diskId);
    if (!disk || disk.type.toLowerCase() !== armType('disks').toLowerCase()) {
      throw new ArmError(404, 'NotFound', `Disk ${w.diskId} was not found; create it before attaching it.`, { target: 'dataDisks' });
    }
    const dp = props(disk.body);
    if (disk.body.managedBy) throw notAllowed(`Disk ${String(disk.body.name)} is already attached to VM ${String(disk.body.managedBy)}; detach it there first.`);
    if (disk.body._access) throw notAllowed(`Disk ${String(disk.body.name)} has an active SAS (diskState ActiveSAS); call endGetAccess before attaching it.`);
    if (dp.provisioningState !== 'Succeeded' || !disk.blobId) throw notAllowed(`Disk ${String(disk.body.name)} is not ready (provisioningState ${String(dp.provisioningState)}); wait for its creation to finish.`);
    const refusal = attachRefusal(disk.body, vm.body, w.caching ?? 'None');
    if (refusal) throw refusal;
    entries.set(canonicalId(w.diskId), {
      lun: w.lun,
      name: disk.body.name,
      createOption: 'Attach',
      caching: w.caching ?? 'None',
      writeAcceleratorEnabled: w.writeAcceleratorEnabled ?? false,
      managedDisk: { id: disk.id, storageAccountType: asObject(disk.body.sku)?.name ?? 'Standard_LRS' },
      diskSizeGB: dp.diskSizeGB,
      toBeDetached: false,
      deleteOption: w.deleteOption ?? 'Detach',
    });
  }
  const linkFault = attach.length > 0 ? ctx.faults.takeLinkFault(req.operation) : undefined;
  // The model changes at once (as in Azure); detaching disks stay listed with toBeDetached until done.
  const next = goal.map((w) => {
    const cur = current.find((e) => sameId(w.diskId, diskIdOf(e)));
    return cur ? { ...cur, ...(w.caching ? { caching: w.caching } : {}) } : entries.get(canonicalId(w.diskId))!;
  });
  const stored = ctx.store.update(ctx.vmId, (r) => {
    mutate(r.body);
    bumpEtag(r.body);
    const p = props(r.body);
    const sp = asObject(p.storageProfile) ?? {};
    sp.dataDisks = [...next, ...detaching, ...detach.map((e) => ({ ...e, toBeDetached: true }))];
    p.storageProfile = sp;
    p.provisioningState = 'Updating';
  })!;
  const key = attach.length > 0 ? 'vm.attach' : detach.length > 0 ? 'vm.detach' : 'vm.update';
  let self: OperationRecord | undefined;
  const isLatest = () => ctx.vmOps.latest === self;
  const result = startLro(ctx, req, {
    key,
    status: answer.status,
    body: answer.status === 202 ? undefined : publicBody(stored.body),
    onStart: (op) => {
      self = op;
      if (running) ctx.operations.preempt(running.id);
      ctx.vmOps.latest = op;
    },
    work: () =>
      ctx.vmQueue(async () => {
        await converge(ctx, linkFault);
        const done = finish(ctx, isLatest());
        return answer.result(done);
      }),
    onFailure: () => {
      // A newer operation owns the model now; it converges on its own.
      if (isLatest()) dropUnattached(ctx);
    },
  });
  return result;
}

/** Makes the backend match the VM model: detaches toBeDetached disks, attaches listed disks not yet attached. */
async function converge(ctx: ArmContext, linkFault: { linkDelayMs?: number; neverLink?: boolean } | undefined): Promise<void> {
  const vm = ctx.store.get(ctx.vmId);
  if (!vm) return;
  const entries = currentDisks(vm.body);
  const holds = (e: Entry) => sameId(String(ctx.store.get(diskIdOf(e))?.body.managedBy ?? ''), ctx.vmId);
  // Detaches first: a disk attached in the same request may take the LUN a detached one frees.
  for (const e of entries.filter((x) => x.toBeDetached === true && holds(x))) {
    await ctx.backend.detach(e.lun as number);
    ctx.store.update(diskIdOf(e), (r) => {
      delete r.body.managedBy;
      props(r.body).diskState = r.body._access ? 'ActiveSAS' : 'Unattached';
    });
  }
  for (const e of entries.filter((x) => x.toBeDetached !== true && !holds(x))) {
    const id = diskIdOf(e);
    const disk = ctx.store.get(id);
    if (!disk?.blobId) throw new ArmError(404, 'NotFound', `Disk ${id} disappeared before it could be attached.`);
    await ctx.backend.attach(disk.id, disk.blobId, e.lun as number, linkFault ?? linkDelay(ctx));
    ctx.store.update(id, (r) => {
      r.body.managedBy = ctx.vmId;
      props(r.body).diskState = 'Attached';
    });
  }
}

/** The udev-like delay of device links, when configured. */
function linkDelay(ctx: ArmContext): { linkDelayMs?: number } | undefined {
  return ctx.options.linkDelayMs > 0 ? { linkDelayMs: ctx.options.linkDelayMs } : undefined;
}

/** After converging: detached entries leave the model; the latest operation sets Succeeded. */
function finish(ctx: ArmContext, latest: boolean): Record<string, unknown> {
  const vm = ctx.store.update(ctx.vmId, (r) => {
    const p = props(r.body);
    const sp = asObject(p.storageProfile) ?? {};
    sp.dataDisks = currentDisks(r.body).filter((e) => e.toBeDetached !== true || sameId(String(ctx.store.get(diskIdOf(e))?.body.managedBy ?? ''), ctx.vmId));
    if (latest) p.provisioningState = 'Succeeded';
  });
  return publicBody(vm?.body ?? {});
}

/** After a failed operation: entries the backend does not hold leave the model (their attach failed); the VM is Failed. */
function dropUnattached(ctx: ArmContext): void {
  ctx.store.update(ctx.vmId, (r) => {
    const p = props(r.body);
    const sp = asObject(p.storageProfile) ?? {};
    // A detach that did not happen leaves the disk listed as attached, as before the request.
    sp.dataDisks = currentDisks(r.body)
      .filter((e) => sameId(String(ctx.store.get(diskIdOf(e))?.body.managedBy ?? ''), ctx.vmId))
      .map((e) => ({ ...e, toBeDetached: false }));
    p.provisioningState = 'Failed';
  });
}
