// The `vm` template function's data source: this VM's identity from IMDS (build), or known-shape
// placeholders (validate, which never calls IMDS).

import type { VmIdentity } from '../azure/ports.js';

/** Returns the value of a `vm` key: name, subscription_id, resource_group, location, zone, resource_id. */
export type VmLookup = (key: string) => string;

/** Known-shape VM metadata for `validate`, so validation never needs IMDS. */
export const VALIDATE_VM_METADATA: Readonly<Record<string, string>> = {
  name: 'validate-vm',
  subscription_id: '00000000-0000-0000-0000-000000000000',
  resource_group: 'validate-resource-group',
  location: 'validatelocation',
  zone: '',
  resource_id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/validate-resource-group/providers/Microsoft.Compute/virtualMachines/validate-vm',
};

/** A VmLookup answering with VALIDATE_VM_METADATA. */
export function validateVmLookup(key: string): string {
  return VALIDATE_VM_METADATA[key] ?? '';
}

/** The `vm` template function answered from this VM's identity (IMDS). */
export function vmLookupFor(vm: VmIdentity): VmLookup {
  const values: Record<string, string> = {
    name: vm.name,
    subscription_id: vm.subscriptionId,
    resource_group: vm.resourceGroup,
    location: vm.location,
    zone: vm.zone ?? '',
    resource_id: vm.resourceId,
  };
  return (key) => {
    const v = values[key];
    if (v === undefined) throw new Error(`unknown metadata key: ${key} (supported: ${Object.keys(values).join(', ')})`);
    return v;
  };
}
