// Every kind of leftover a build can leave, counted from the outside after a scenario: in the
// emulator (temporary disks and snapshots, VM data disks, attachments, device links, orphan blobs),
// on the host (loop devices, mounts, mount directories, temp directories, processes inside the
// chroot, holders of the attach lock) and in the ledger (journal entries still pending).

import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findJournalPath, listJournals, readJournal, startDetail } from '../../../src/ledger/journal.js';
import { layout, type Attachment, type StoredResource } from '../../../src/emulator/state-layout.js';
import { loopsUnder, mountsMatching } from '../../helpers/block-usage.js';
import { pendingTemporary, temporaryDisksAndSnapshots, vmDataDisks } from '../../e2e-failures/helpers/leftovers.js';

export type Leftovers = Record<string, string[]>;

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readJsonFile<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Blob files that no resource, platform image or attachment of the emulator in `state` refers to. */
export function orphanBlobs(state: string): string[] {
  const referenced = new Set<string>();
  for (const n of entries(layout.resourcesDir(state))) {
    const r = readJsonFile<StoredResource>(join(layout.resourcesDir(state), n));
    if (r?.blobId) referenced.add(r.blobId);
    for (const b of Object.values(r?.dataBlobs ?? {})) referenced.add(b);
  }
  for (const n of entries(layout.platformImagesDir(state))) {
    const p = readJsonFile<{ blobId: string }>(join(layout.platformImagesDir(state), n));
    if (p?.blobId) referenced.add(p.blobId);
  }
  for (const a of readJsonFile<Attachment[]>(layout.attachments(state)) ?? []) referenced.add(a.blobId);
  return entries(layout.blobsDir(state)).filter((n) => !referenced.has(n.replace(/\.img$/, '')));
}

/** Pids of the builds journaled under `journalState`. */
function buildPids(journalState: string): number[] {
  return listJournals(journalState, true)
    .map((id) => startDetail(readJournal(findJournalPath(journalState, id)))?.pid)
    .filter((p): p is number => typeof p === 'number');
}

/** Processes whose root directory or working directory is under `dir`, or whose command line names `text`. */
function processes(match: (pid: string) => boolean): string[] {
  return entries('/proc').filter((p) => /^\d+$/.test(p) && p !== String(process.pid)).filter((p) => {
    try {
      return match(p);
    } catch {
      return false;
    }
  }).map((p) => {
    try {
      return `${p} ${readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`;
    } catch {
      return p;
    }
  });
}

/** Everything left by the builds of one workspace, by kind; every list must be empty. */
export async function countLeftovers(emulatorState: string, ws: { dir: string; journalState: string; mountRoot: string }): Promise<Leftovers> {
  const blobs = layout.blobsDir(emulatorState);
  const loops = existsSync(blobs) ? loopsUnder(blobs) : [];
  const pids = buildPids(ws.journalState);
  const links = join(emulatorState, 'dev', 'disk', 'azure', 'scsi1');
  const lock = join(ws.journalState, 'lock');
  return {
    'temporary disks and snapshots': await temporaryDisksAndSnapshots(emulatorState),
    'VM data disks': (await vmDataDisks(emulatorState)).map((d) => JSON.stringify(d)),
    'emulator attachments': (readJsonFile<Attachment[]>(layout.attachments(emulatorState)) ?? []).map((a) => `${a.diskId} on ${a.loopDevice}`),
    'emulator device links': entries(links),
    'loop devices': loops,
    mounts: [...mountsMatching(ws.dir), ...mountsMatching('/nonexistent', loops)],
    'mount directories': entries(ws.mountRoot),
    'temp directories': entries(tmpdir()).filter((n) => pids.some((pid) => n.startsWith('azchroot-') && n.includes(`-${pid}-`))),
    'processes inside the chroot': processes((p) => readlinkSync(`/proc/${p}/root`).startsWith(ws.mountRoot) || readlinkSync(`/proc/${p}/cwd`).startsWith(ws.mountRoot)),
    'lock holders': processes((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(lock)),
    'pending journal entries': pendingTemporary(ws.journalState).map((p) => `${p.kind} ${p.id} (${p.status})`),
    'orphan blobs': orphanBlobs(emulatorState),
  };
}

/** The non-empty kinds, for an assertion message. */
export function describeLeftovers(left: Leftovers): string {
  return Object.entries(left).filter(([, v]) => v.length > 0).map(([k, v]) => `${k}: ${v.join(', ')}`).join('\n');
}

/** Total count over all kinds. */
export function totalLeftovers(left: Leftovers): number {
  return Object.values(left).reduce((n, v) => n + v.length, 0);
}
