// The `vm` values `azchroot validate` uses: known-shape placeholders, so that a template using
// `{{ vm `...` }}` validates on a laptop without IMDS, and resource ids built from them still parse.

import type { VmLookup } from './vm-lookup.js';

const PLACEHOLDERS: Readonly<Record<string, string>> = {
  name: 'validate-vm',
  subscription_id: '00000000-0000-0000-0000-000000000000',
  resource_group: 'validate-resource-group',
  location: 'westeurope',
  zone: '',
  resource_id:
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/validate-resource-group/providers/Microsoft.Compute/virtualMachines/validate-vm',
};

export const VM_KEYS = Object.keys(PLACEHOLDERS);

/** Placeholder lookup for validation; unknown keys throw like the real one. */
export const placeholderVmLookup: VmLookup = (key) => {
  const value = PLACEHOLDERS[key];
  if (value === undefined) throw new Error(`unknown metadata key: ${key} (supported: ${VM_KEYS.join(', ')})`);
  return value;
};
