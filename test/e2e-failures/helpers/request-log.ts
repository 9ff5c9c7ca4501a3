// The emulator's request log (<state>/requests.jsonl), read from a mark so each test sees only its
// own requests although the emulator serves the whole file.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RequestLogEntry } from '../../../src/emulator/state-layout.js';

async function readAll(state: string): Promise<RequestLogEntry[]> {
  const text = await readFile(join(state, 'requests.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as RequestLogEntry);
}

/** Returns a function that lists the requests logged after this call. */
export async function markRequests(state: string): Promise<() => Promise<RequestLogEntry[]>> {
  const start = (await readAll(state)).length;
  return async () => (await readAll(state)).slice(start);
}

/** Status codes of the requests for `operation`, in order. */
export function statusesOf(entries: readonly RequestLogEntry[], operation: string): number[] {
  return entries.filter((e) => e.operation?.toLowerCase() === operation.toLowerCase()).map((e) => e.status);
}
