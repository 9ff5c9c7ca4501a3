// How long long-running operations take. `instant` completes every operation on the first poll;
// `azure` uses the durations below, multiplied by `latencyScale`.
//
// Sources (from /work/shared/research/user-issues.md §3). Azure publishes no per-operation timings
// for managed disks or managed images, so several rows are estimates, marked as such:
//
// | key                    | ms      | source                                                                  |
// |------------------------|---------|-------------------------------------------------------------------------|
// | disk.create            | 5000    | estimate (no published number)                                          |
// | disk.update            | 5000    | estimate (no published number)                                          |
// | disk.delete            | 5000    | estimate (no published number)                                          |
// | disk.access            | 2000    | estimate (no published number)                                          |
// | vm.attach              | 30000   | Azure/aks-engine#2888: 5.54% of attach/detach ops >60 s, 0.79% >120 s   |
// | vm.detach              | 30000   | Azure/aks-engine#2888 (same numbers for detach)                         |
// | vm.update              | 10000   | estimate (VM PUT without disk changes)                                  |
// | snapshot.create        | 60000   | MicrosoftDocs/azure-docs#31076: "highly variable", undocumented; estimate|
// | image.create           | 60000   | estimate: no published managed-image timings (user-issues.md §3)        |
// | gallery.create         | 5000    | estimate                                                                |
// | galleryVersion.region  | 900000  | azplug#313: "Average replication takes 15-20 minutes" (per region)      |
// | delete (other)         | 5000    | estimate                                                                |

import type { LatencyProfile } from './api.js';

export type LatencyKey =
  | 'disk.create'
  | 'disk.update'
  | 'disk.delete'
  | 'disk.access'
  | 'vm.attach'
  | 'vm.detach'
  | 'vm.update'
  | 'snapshot.create'
  | 'image.create'
  | 'gallery.create'
  | 'galleryVersion.region'
  | 'delete';

/** Milliseconds per operation under the `azure` profile, before scaling. */
export const AZURE_LATENCY_MS: Readonly<Record<LatencyKey, number>> = {
  'disk.create': 5_000,
  'disk.update': 5_000,
  'disk.delete': 5_000,
  'disk.access': 2_000,
  'vm.attach': 30_000,
  'vm.detach': 30_000,
  'vm.update': 10_000,
  'snapshot.create': 60_000,
  'image.create': 60_000,
  'gallery.create': 5_000,
  'galleryVersion.region': 900_000,
  delete: 5_000,
};

export interface LatencyModel {
  /** Delay in ms for `key`, `count` times (e.g. gallery version regions). */
  delayFor(key: LatencyKey, count?: number): number;
}

/** The latency model of a profile and scale. */
export function createLatencyModel(profile: LatencyProfile = 'instant', scale = 1): LatencyModel {
  if (!(scale >= 0) || !Number.isFinite(scale)) throw new RangeError(`latencyScale must be a finite number >= 0, got ${scale}`);
  return {
    delayFor(key, count = 1) {
      if (profile === 'instant') return 0;
      return Math.round(AZURE_LATENCY_MS[key] * Math.max(1, count) * scale);
    },
  };
}
