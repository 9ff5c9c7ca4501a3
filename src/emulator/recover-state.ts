// What an emulator that died (SIGKILL, power loss, a build killed with the emulator in its process)
// left half-done, settled when the next one starts on the same state directory: nothing is in flight
// at start, so a resource still Creating failed (as Azure reports a create whose operation was lost),
// one still Deleting is gone, one still Updating keeps its stored model; and disk blobs that no
// resource, platform image or attachment refers to are removed.

import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readJson } from './json-files.js';
import type { ResourceStore } from './resource-store.js';
import { layout, type Attachment, type StoredResource } from './state-layout.js';

export interface Recovered {
  /** Resources whose operation was cut off, as "<id> (<state> → <new state>)". */
  settled: string[];
  /** Blob ids removed because nothing refers to them. */
  orphanBlobs: string[];
}

function names(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Settles interrupted operations and removes orphan blobs of `stateDir`. */
export function recoverState(stateDir: string, store: ResourceStore): Recovered {
  const out: Recovered = { settled: [], orphanBlobs: [] };
  const resources = names(layout.resourcesDir(stateDir))
    .filter((n) => n.endsWith('.json'))
    .map((n) => readJson<StoredResource>(join(layout.resourcesDir(stateDir), n)))
    .filter((r): r is StoredResource => r !== undefined && typeof r.id === 'string');
  const live: StoredResource[] = [];
  for (const r of resources) {
    const props = (r.body.properties ?? {}) as Record<string, unknown>;
    const state = props.provisioningState;
    if (state === 'Deleting') {
      store.remove(r.id);
      out.settled.push(`${r.id} (Deleting → deleted)`);
      continue;
    }
    if (state === 'Creating' || state === 'Updating') {
      const next = state === 'Creating' ? 'Failed' : 'Succeeded';
      store.update(r.id, (x) => {
        ((x.body.properties ?? (x.body.properties = {})) as Record<string, unknown>).provisioningState = next;
      });
      out.settled.push(`${r.id} (${state} → ${next})`);
    }
    live.push(r);
  }
  const referenced = new Set<string>();
  for (const r of live) {
    if (r.blobId) referenced.add(r.blobId);
    for (const b of Object.values(r.dataBlobs ?? {})) referenced.add(b);
  }
  for (const p of store.platformImages()) referenced.add(p.blobId);
  for (const a of readJson<Attachment[]>(layout.attachments(stateDir)) ?? []) referenced.add(a.blobId);
  for (const name of names(layout.blobsDir(stateDir))) {
    const blobId = name.replace(/\.img$/, '');
    if (referenced.has(blobId)) continue;
    rmSync(join(layout.blobsDir(stateDir), name), { force: true });
    out.orphanBlobs.push(blobId);
  }
  return out;
}
