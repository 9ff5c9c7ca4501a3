// The ledger's durable record: one JSON line per event under <stateDir>/journal/<buildId>.jsonl,
// written synchronously and fsync'd. Intent is written BEFORE the Azure call or host action starts,
// so a crash at any moment leaves a record that `azchroot cleanup` (and describeLeftovers) can act on.
// A finished build's journal with nothing pending moves to journal/done/ (the last few are kept).

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { openAppendPrivate } from '../host/private-files.js';
import { join } from 'node:path';

/** Every kind of thing a build makes; outputs (image, gallery-version) are recorded but never released. */
export type ResourceKind =
  | 'disk' | 'snapshot' | 'attachment' | 'lvm' | 'mount' | 'mount-dir' | 'copied-file' | 'policy-rc' | 'temp-dirs'
  | 'image' | 'gallery-version';

export interface JournalEntry {
  time: string;
  event: 'start' | 'intent' | 'created' | 'removed' | 'end';
  kind?: ResourceKind;
  id?: string;
  /** Temporary resources are removed by cleanup; outputs (image, gallery version) are not. */
  temporary?: boolean;
  detail?: Record<string, unknown>;
}

export interface Journal {
  readonly path: string;
  readonly buildId: string;
  append(entry: Omit<JournalEntry, 'time'>): void;
  /** About to create `id`: written before the call starts. */
  intent(kind: ResourceKind, id: string, options?: { temporary?: boolean; detail?: Record<string, unknown> }): void;
  /** Done: `detail` (e.g. the identity of a mount) is merged into the intent's. */
  created(kind: ResourceKind, id: string, detail?: Record<string, unknown>): void;
  removed(kind: ResourceKind, id: string): void;
  entries(): JournalEntry[];
  close(): void;
}

/** Directory holding the journals of `stateDir`. */
export function journalDir(stateDir: string): string {
  return join(stateDir, 'journal');
}

/** Path of the journal of `buildId` (characters unsafe in a file name become "_"). */
export function journalPath(stateDir: string, buildId: string): string {
  return join(journalDir(stateDir), `${safeName(buildId)}.jsonl`);
}

/** `name` reduced to letters, digits, ".", "_" and "-", never a path. */
export function safeName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return s === '' || /^\.+$/.test(s) ? `_${s}` : s;
}

/** Opens (creates or appends to) the journal of `buildId`. */
export function openJournal(stateDir: string, buildId: string): Journal {
  const dir = journalDir(stateDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = journalPath(stateDir, buildId);
  let fd: number | undefined = openAppendPrivate(path);
  syncDir(dir);
  const kept: JournalEntry[] = [];
  const append = (entry: Omit<JournalEntry, 'time'>): void => {
    const full: JournalEntry = { time: new Date().toISOString(), ...entry };
    kept.push(full);
    // A closed journal (after the build) still accepts records from late cleanups by reopening.
    const target = fd ?? openAppendPrivate(path);
    writeSync(target, JSON.stringify(full) + '\n');
    fsyncSync(target);
    if (fd === undefined) closeSync(target);
  };
  return {
    path,
    buildId,
    append,
    intent: (kind, id, o = {}) => append({ event: 'intent', kind, id, temporary: o.temporary ?? true, detail: o.detail }),
    created: (kind, id, detail) => append({ event: 'created', kind, id, ...(detail ? { detail } : {}) }),
    removed: (kind, id) => append({ event: 'removed', kind, id }),
    entries: () => [...kept],
    close: () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/** Reads a journal file; a torn last line (crash mid-write) is ignored. */
export function readJournal(path: string): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as JournalEntry);
    } catch {
      // Only the last line can be torn; anything else unparsable is skipped the same way.
    }
  }
  return out;
}

/** Journal files under `stateDir`, as build ids; `withDone` adds the retired ones of finished builds. */
export function listJournals(stateDir: string, withDone = false): string[] {
  const ids = (dir: string): string[] => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => f.slice(0, -'.jsonl'.length));
    } catch {
      return [];
    }
  };
  const all = [...ids(journalDir(stateDir)), ...(withDone ? ids(join(journalDir(stateDir), 'done')) : [])];
  return [...new Set(all)].sort();
}

/**
 * The build id `given` names: itself when it has a journal, else the one journal whose id starts
 * with it or whose random part (after the last "-") does, as with abbreviated git commits. Throws
 * a UsageError listing the candidates when several match; returns `given` when none does.
 */
export function resolveBuildId(stateDir: string, given: string): string {
  const ids = listJournals(stateDir, true);
  if (ids.includes(given) || given === '') return given;
  const matches = ids.filter((id) => id.startsWith(given) || id.slice(id.lastIndexOf('-') + 1).startsWith(given));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new UsageError(`build id "${given}" is ambiguous: it matches ${matches.join(', ')}`, { hint: 'give more of the id' });
  return given;
}

/** The journal of `buildId`: the live one, else the retired one in journal/done/. */
export function findJournalPath(stateDir: string, buildId: string): string {
  const live = journalPath(stateDir, buildId);
  const done = join(journalDir(stateDir), 'done', `${safeName(buildId)}.jsonl`);
  return existsSync(live) || !existsSync(done) ? live : done;
}

export interface PendingResource {
  kind: ResourceKind;
  id: string;
  /** intent: the call started but did not finish (the resource may or may not exist). */
  status: 'intent' | 'created';
  temporary: boolean;
  detail?: Record<string, unknown>;
  /** Position of the intent record: the ledger releases newest first within a kind. */
  seq: number;
}

/** Resources with an intent or created record and no later removed record, in creation order. */
export function pendingResources(entries: readonly JournalEntry[]): PendingResource[] {
  const live = new Map<string, PendingResource>();
  entries.forEach((e, seq) => {
    if (!e.kind || e.id === undefined) return;
    const key = `${e.kind}\u0000${e.id.toLowerCase()}`;
    if (e.event === 'intent') live.set(key, { kind: e.kind, id: e.id, status: 'intent', temporary: e.temporary ?? true, detail: e.detail, seq });
    else if (e.event === 'created') {
      const prev = live.get(key);
      live.set(key, { kind: e.kind, id: e.id, status: 'created', temporary: prev?.temporary ?? true, detail: { ...prev?.detail, ...e.detail }, seq: prev?.seq ?? seq });
    } else if (e.event === 'removed') live.delete(key);
  });
  return [...live.values()];
}

/** The `start` record's detail (vm identity, devroot...), if any. */
export function startDetail(entries: readonly JournalEntry[]): Record<string, unknown> | undefined {
  return entries.find((e) => e.event === 'start')?.detail;
}

/** How many finished journals journal/done/ keeps for diagnosis. */
export const KEPT_JOURNALS = 10;

/**
 * Moves the journal of a finished build with nothing pending to journal/done/, and removes the
 * oldest there beyond KEPT_JOURNALS. A journal with anything pending stays for `azchroot cleanup`.
 */
export function retireJournal(stateDir: string, buildId: string): boolean {
  const path = journalPath(stateDir, buildId);
  let entries: JournalEntry[];
  try {
    entries = readJournal(path);
  } catch {
    return false;
  }
  if (!entries.some((e) => e.event === 'end') || pendingResources(entries).some((p) => p.temporary)) return false;
  const done = join(journalDir(stateDir), 'done');
  mkdirSync(done, { recursive: true, mode: 0o700 });
  renameSync(path, join(done, `${safeName(buildId)}.jsonl`));
  const old = readdirSync(done)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => ({ f, t: statSync(join(done, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of old.slice(KEPT_JOURNALS)) unlinkSync(join(done, f));
  syncDir(journalDir(stateDir));
  return true;
}

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not every file system allows fsync on a directory; the file itself is still synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
