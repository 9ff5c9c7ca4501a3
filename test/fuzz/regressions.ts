// The fuzz regression set: every input that ever failed, kept in test/fixtures/fuzz-regressions/
// (gzipped when large). Each runs like a fuzz case.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { REPO, type FuzzCase } from './mutations.js';

export const REGRESSIONS = join(REPO, 'test/fixtures/fuzz-regressions');

/** The file name a stored input is validated as (its extension picks the loader). */
export function caseFileName(stored: string): string {
  const name = stored.replace(/\.gz$/, '');
  if (name.endsWith('.pkr.json')) return 'case.pkr.json';
  if (name.endsWith('.json')) return 'case.json';
  return 'case.pkr.hcl';
}

/** The stored regression inputs, ids from `firstId`. */
export function regressionCases(firstId = 1_000_000): FuzzCase[] {
  let names: string[];
  try {
    names = readdirSync(REGRESSIONS).filter((n) => n !== 'README.md').sort();
  } catch {
    return [];
  }
  return names.map((n, k) => {
    const raw = readFileSync(join(REGRESSIONS, n));
    return { id: firstId + k, label: `regression ${n}`, fileName: caseFileName(n), data: n.endsWith('.gz') ? gunzipSync(raw) : raw };
  });
}
