// A fresh emulator state starts with one Compute Gallery, `azchroot_gallery`, in the VM's resource
// group, holding two Linux image definitions: `quickstart` (Hyper-V V1) and `quickstart-gen2` (V2).
// Azure requires a gallery and an image definition before a version can be published; seeding them
// lets the quickstart publish without any setup. They are created once, with the VM, and are ordinary
// resources afterwards (a user may delete them).

import type { ResourceStore } from '../resource-store.js';
import type { ResolvedOptions } from '../defaults.js';
import { armType, buildId } from '../arm/paths.js';

export const STARTER_GALLERY = 'azchroot_gallery';

const DEFINITIONS = [
  { name: 'quickstart', hyperVGeneration: 'V1' },
  { name: 'quickstart-gen2', hyperVGeneration: 'V2' },
] as const;

/** Creates the starter gallery and its image definitions. Call only for a new state directory. */
export function seedStarterGallery(store: ResourceStore, o: ResolvedOptions): void {
  const galleryId = buildId(o.subscriptionId, o.resourceGroup, 'galleries', [STARTER_GALLERY]);
  store.put({
    id: galleryId,
    type: armType('galleries'),
    body: {
      id: galleryId,
      name: STARTER_GALLERY,
      type: armType('galleries'),
      location: o.location,
      properties: {
        description: 'Created by the azchroot emulator for the quickstart',
        identifier: { uniqueName: `${o.subscriptionId}-${STARTER_GALLERY.toUpperCase()}` },
        provisioningState: 'Succeeded',
      },
    },
  });
  for (const d of DEFINITIONS) {
    const id = buildId(o.subscriptionId, o.resourceGroup, 'galleryImages', [STARTER_GALLERY, d.name]);
    store.put({
      id,
      type: armType('galleryImages'),
      body: {
        id,
        name: d.name,
        type: armType('galleryImages'),
        location: o.location,
        properties: {
          osType: 'Linux',
          osState: 'Generalized',
          hyperVGeneration: d.hyperVGeneration,
          architecture: 'x64',
          identifier: { publisher: 'azchroot', offer: 'quickstart', sku: d.name },
          provisioningState: 'Succeeded',
        },
      },
    });
  }
}
