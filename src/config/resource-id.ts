// Azure resource-id parsing, as the azure plugin does it (research/packer-azure-chroot.md §6.4).

export interface ResourceId {
  subscription: string;
  resourceGroup: string;
  provider: string;
  /** Types joined with "/", e.g. `galleries/images/versions`. */
  resourceType: string;
  /** Names joined with "/", e.g. `gal/img/1.0.0`. */
  resourceName: string;
  /** Re-serialised `/subscriptions/S/resourceGroups/RG/providers/P/t1/n1/...`. */
  id: string;
}

/** Parses a resource id; returns an error message instead when it is malformed. */
export function parseResourceId(text: string): ResourceId | { error: string } {
  const segments = text.replace(/^\/+|\/+$/g, '').split('/');
  if (segments.length % 2 !== 0) return { error: `expected an even number of segments, got ${segments.length}` };
  const empty = segments.indexOf('');
  if (empty >= 0) return { error: `found an empty segment (${empty})` };
  if (segments.length < 8) return { error: 'expected /subscriptions/<id>/resourceGroups/<name>/providers/<namespace>/<type>/<name>' };
  const expect = ['subscriptions', 'resourceGroups', 'providers'];
  for (let i = 0; i < 3; i++) {
    if (segments[i * 2]!.toLowerCase() !== expect[i]!.toLowerCase()) {
      return { error: `segment ${i * 2 + 1} should be "${expect[i]}", got "${segments[i * 2]}"` };
    }
  }
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 6; i < segments.length; i += 2) {
    types.push(segments[i]!);
    names.push(segments[i + 1]!);
  }
  const [subscription, resourceGroup, provider] = [segments[1]!, segments[3]!, segments[5]!];
  const tail = types.map((t, i) => `${t}/${names[i]}`).join('/');
  return {
    subscription, resourceGroup, provider,
    resourceType: types.join('/'),
    resourceName: names.join('/'),
    id: `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/${provider}/${tail}`,
  };
}

/** True when `text` parses as a resource id of `provider/type` (case-insensitive), e.g. `Microsoft.Compute`, `disks`. */
export function isResourceOfType(text: string, provider: string, resourceType: string): boolean {
  const id = parseResourceId(text);
  return !('error' in id) && id.provider.toLowerCase() === provider.toLowerCase() && id.resourceType.toLowerCase() === resourceType.toLowerCase();
}
