// Attaching and detaching data disks on the build VM with attachDetachDataDisks (a POST that only
// touches the listed disks, unlike Packer's full-model PUT). Each attempt first reads the VM model,
// so an attach or detach retried after a lost answer or a preempted operation is not sent twice:
// the retry policy (retry-policy.ts) re-runs the whole read-then-change.

import type { AttachDetachDataDisksRequest, ComputeManagementClient } from '@azure/arm-compute';
import { AzureError } from '../errors.js';
import { call, callLro, type CallSettings } from './arm-call.js';
import type { AzurePort, DataDiskAttachment, OperationOptions, VmIdentity } from './ports.js';

type ClientFor = (subscriptionId: string) => ComputeManagementClient;

/** The `vm` group of an AzurePort. */
export function vmOperations(clientFor: ClientFor, settings: CallSettings): Pick<AzurePort, 'vm'> {
  const { retry } = settings;
  const readDataDisks = async (vm: VmIdentity, o?: OperationOptions): Promise<DataDiskAttachment[]> => {
    const t = { action: 'read virtual machine', id: vm.resourceId };
    const model = await call(t, o, (abortSignal) => clientFor(vm.subscriptionId).virtualMachines.get(vm.resourceGroup, vm.name, { abortSignal }));
    return (model.storageProfile?.dataDisks ?? [])
      .filter((d) => d.managedDisk?.id)
      .map((d) => ({ lun: d.lun, diskId: d.managedDisk?.id ?? '' }));
  };

  const change = (vm: VmIdentity, action: string, request: AttachDetachDataDisksRequest, o?: OperationOptions): Promise<void> =>
    callLro({ action, id: vm.resourceId }, o, settings, (opts) => clientFor(vm.subscriptionId).virtualMachines.attachDetachDataDisks(vm.resourceGroup, vm.name, request, opts))
      .then(() => undefined);

  return {
    vm: {
      listDataDisks: (vm, o) => retry({ action: 'read virtual machine', id: vm.resourceId }, o?.signal, () => readDataDisks(vm, o)),
      attachDisk(vm, diskId, lun, o) {
        const action = `attach disk ${diskId} at LUN ${lun} to VM`;
        return retry({ action, id: vm.resourceId }, o?.signal, async () => {
          const existing = (await readDataDisks(vm, o)).find((d) => sameId(d.diskId, diskId));
          if (existing) {
            if (existing.lun === lun) return;
            throw new AzureError(`disk ${diskId} is already attached to VM ${vm.name} at LUN ${existing.lun}, not at LUN ${lun}`, {
              azureCode: 'Conflict',
              hint: 'Detach it first (azchroot cleanup), or let the build reuse the LUN it has.',
            });
          }
          await change(vm, action, { dataDisksToAttach: [{ diskId, lun }] }, o);
        });
      },
      detachDisk(vm, diskId, o) {
        const action = `detach disk ${diskId} from VM`;
        return retry({ action, id: vm.resourceId }, o?.signal, async () => {
          const attached = (await readDataDisks(vm, o)).find((d) => sameId(d.diskId, diskId));
          if (!attached) return;
          // Use the id as Azure spells it in the VM model: the comparison on its side may not ignore case.
          await change(vm, action, { dataDisksToDetach: [{ diskId: attached.diskId }] }, o);
        });
      },
    },
  };
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
