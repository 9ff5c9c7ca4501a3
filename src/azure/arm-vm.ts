// Attaching and detaching data disks on the build VM with attachDetachDataDisks (a POST that only
// touches the listed disks, unlike Packer's full-model PUT). Azure answers 409 while another
// operation runs on the VM and 429 when throttled: both are retried with jittered back-off.

import type { AttachDetachDataDisksRequest, ComputeManagementClient } from '@azure/arm-compute';
import { AzureError } from '../errors.js';
import { call, callLro, retryAfterMs, statusOf, toAzchrootError, type CallSettings } from './arm-call.js';
import type { AzurePort, DataDiskAttachment, OperationOptions, VmIdentity } from './ports.js';
import { sleep } from './sleep.js';

type ClientFor = (subscriptionId: string) => ComputeManagementClient;

export interface VmRetrySettings {
  /** Attempts after the first for 409/429 answers. */
  conflictRetries: number;
  /** First back-off delay, ms (doubles each time, ±50 % jitter, at most 60 s). */
  retryBaseMs: number;
}

/** The `vm` group of an AzurePort. */
export function vmOperations(clientFor: ClientFor, settings: CallSettings & VmRetrySettings): Pick<AzurePort, 'vm'> {
  const listDataDisks = async (vm: VmIdentity, o?: OperationOptions): Promise<DataDiskAttachment[]> => {
    const t = { action: 'read virtual machine', id: vm.resourceId };
    const model = await call(t, o, (abortSignal) => clientFor(vm.subscriptionId).virtualMachines.get(vm.resourceGroup, vm.name, { abortSignal }));
    return (model.storageProfile?.dataDisks ?? [])
      .filter((d) => d.managedDisk?.id)
      .map((d) => ({ lun: d.lun, diskId: d.managedDisk?.id ?? '' }));
  };

  const change = async (vm: VmIdentity, action: string, request: AttachDetachDataDisksRequest, o?: OperationOptions): Promise<void> => {
    const t = { action, id: vm.resourceId };
    const client = clientFor(vm.subscriptionId);
    for (let attempt = 0; ; attempt++) {
      try {
        await callLro(t, o, settings, (opts) => client.virtualMachines.attachDetachDataDisks(vm.resourceGroup, vm.name, request, opts));
        return;
      } catch (err) {
        const status = statusOf((err as { cause?: unknown }).cause);
        if ((status !== 409 && status !== 429) || attempt >= settings.conflictRetries) throw err;
        const backoff = settings.retryBaseMs * 2 ** attempt * (0.5 + Math.random());
        const wait = Math.min(60_000, retryAfterMs((err as { cause?: unknown }).cause) ?? backoff);
        try {
          await sleep(wait, o?.signal);
        } catch (abort) {
          throw toAzchrootError(abort, t, o?.signal);
        }
      }
    }
  };

  return {
    vm: {
      listDataDisks,
      async attachDisk(vm, diskId, lun, o) {
        const existing = (await listDataDisks(vm, o)).find((d) => sameId(d.diskId, diskId));
        if (existing) {
          if (existing.lun === lun) return;
          throw new AzureError(`disk ${diskId} is already attached to VM ${vm.name} at LUN ${existing.lun}, not at LUN ${lun}`, {
            azureCode: 'Conflict',
            hint: 'Detach it first (azchroot cleanup), or let the build reuse the LUN it has.',
          });
        }
        await change(vm, `attach disk ${diskId} at LUN ${lun} to VM`, { dataDisksToAttach: [{ diskId, lun }] }, o);
      },
      async detachDisk(vm, diskId, o) {
        const attached = (await listDataDisks(vm, o)).find((d) => sameId(d.diskId, diskId));
        if (!attached) return;
        // Use the id as Azure spells it in the VM model: the comparison on its side may not ignore case.
        await change(vm, `detach disk ${diskId} from VM`, { dataDisksToDetach: [{ diskId: attached.diskId }] }, o);
      },
    },
  };
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
