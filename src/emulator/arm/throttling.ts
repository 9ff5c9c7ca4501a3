// Compute's throttling: per-operation-group budgets over 3- and 30-minute windows, reported on every
// answer in x-ms-ratelimit-remaining-resource ("Microsoft.Compute/PutVM3Min;237,Microsoft.Compute/
// PutVM30Min;1188", seen on a VM PUT in Azure/azure-cli#15765; HighCostSnapshotCreateHydrate3Min;239,
// …30Min;1918 on a snapshot create in Azure/azure-powershell#11464). An exhausted budget answers 429
// with Retry-After until the window frees a slot, in the shape learn.microsoft.com ("Troubleshooting
// throttling errors in Azure", virtual machines) shows: OperationNotAllowed with a TooManyRequests
// detail naming the group. The limits are inferred from those remaining counts (240/1200 and
// 240/1920); Azure does not publish them.
//
// In the seeded `real` mode a request may also meet a transient 429 or 503 with Retry-After, as any
// ARM front door gives now and then; clients are expected to retry those.

import { ArmError } from '../http-kit.js';
import type { Variety } from '../variety.js';

interface Window {
  name: string;
  limit: number;
  ms: number;
  times: number[];
}

const GROUPS: Record<string, Array<[string, number, number]>> = {
  PutVM: [
    ['PutVM3Min', 240, 180_000],
    ['PutVM30Min', 1200, 1_800_000],
  ],
  HighCostSnapshotCreateHydrate: [
    ['HighCostSnapshotCreateHydrate3Min', 240, 180_000],
    ['HighCostSnapshotCreateHydrate30Min', 1920, 1_800_000],
  ],
};

/** The operation group an operation counts against, if any. */
function groupOf(operation: string): string | undefined {
  if (/^virtualMachines\.(createOrUpdate|update|attachDetachDataDisks)$/.test(operation)) return 'PutVM';
  if (operation === 'snapshots.createOrUpdate') return 'HighCostSnapshotCreateHydrate';
  return undefined;
}

export interface Throttling {
  /** Counts the request; throws Azure's 429 when a budget is spent or (real mode) a transient fault hits. Returns the headers for the answer. */
  admit(operation: string, method: string): Record<string, string>;
}

/** Budgets for one emulator; `now` is injectable for tests. */
export function createThrottling(variety: Variety, retryAfterScale: number, now: () => number = Date.now): Throttling {
  const windows = new Map<string, Window[]>();
  const windowsOf = (group: string) => {
    let w = windows.get(group);
    if (!w) {
      w = GROUPS[group]!.map(([name, limit, ms]) => ({ name, limit, ms, times: [] }));
      windows.set(group, w);
    }
    return w;
  };
  const seconds = (s: number) => String(Math.max(0, Math.round(s * retryAfterScale)));
  return {
    admit(operation, method): Record<string, string> {
      // Often enough that every build meets some (a build sends a few dozen requests).
      if (variety.chance(method === 'GET' ? 0.03 : 0.1)) {
        const status = variety.pick([429, 503] as const);
        const retry = seconds(variety.int(1, 10));
        throw status === 429
          ? new ArmError(429, 'TooManyRequests', 'The request is being throttled; retry after the interval in the Retry-After header.', { headers: { 'Retry-After': retry } })
          : new ArmError(503, 'ServiceUnavailable', 'The service is temporarily unavailable; retry after the interval in the Retry-After header.', { headers: { 'Retry-After': retry } });
      }
      const group = groupOf(operation);
      if (!group) return {};
      const t = now();
      const ws = windowsOf(group);
      for (const w of ws) w.times = w.times.filter((x) => x > t - w.ms);
      const full = ws.find((w) => w.times.length >= w.limit);
      if (full) {
        const wait = Math.ceil((full.times[0]! + full.ms - t) / 1000);
        const detail = JSON.stringify({ operationGroup: full.name, startTime: new Date(t - full.ms).toISOString(), endTime: new Date(t).toISOString(), allowedRequestCount: full.limit, measuredRequestCount: full.times.length + 1 });
        throw new ArmError(429, 'OperationNotAllowed', 'The server rejected the request because too many requests have been received for this subscription.', {
          // The windows are real time: the wait is not scaled.
          headers: { 'Retry-After': String(wait), 'x-ms-ratelimit-remaining-resource': ws.map((w) => `Microsoft.Compute/${w.name};0`).join(',') },
          details: [{ code: 'TooManyRequests', target: full.name, message: detail }],
        });
      }
      for (const w of ws) w.times.push(t);
      return { 'x-ms-ratelimit-remaining-resource': ws.map((w) => `Microsoft.Compute/${w.name};${w.limit - w.times.length}`).join(',') };
    },
  };
}
