// The full validate fuzz run (.ci/fuzz): `node dist/test/fuzz/run-fuzz.js [--seed N] [--count N]
// [--workers N] [--save]`. Runs the regression set, then `count` seeded mutations; prints every
// failure (internal error, stack trace, over 5 s) and exits 1 if there was any. --save stores each
// failing input in test/fixtures/fuzz-regressions/ so it stays a regression case.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fuzzCases, type FuzzCase } from './mutations.js';
import { isFailure, type CaseResult } from './fuzz-outcome.js';
import { runPool } from './fuzz-pool.js';
import { REGRESSIONS, regressionCases } from './regressions.js';

export const LIMIT_MS = 5000;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const seed = arg('seed', 8);
const count = arg('count', 10_000);
const workers = arg('workers', 2);
const save = process.argv.includes('--save');

const started = Date.now();
const failures: { c: FuzzCase; r: CaseResult }[] = [];
const tally: Record<string, number> = {};
let done = 0;
const onResult = (c: FuzzCase, r: CaseResult): void => {
  done += 1;
  tally[r.outcome] = (tally[r.outcome] ?? 0) + 1;
  if (isFailure(r, LIMIT_MS)) {
    failures.push({ c, r });
    console.log(`FAIL #${c.id} ${r.outcome} ${Math.round(r.ms)} ms: ${c.label}\n  ${(r.message ?? '').split('\n').slice(0, 6).join('\n  ')}`);
  }
  if (done % 500 === 0) console.log(`${done} cases, ${Math.round((Date.now() - started) / 1000)} s`);
};

const all = function* (): Generator<FuzzCase> {
  yield* regressionCases();
  yield* fuzzCases(seed, count);
};
const results = await runPool(all(), { workers, hangMs: LIMIT_MS * 12, onResult });
const slowest = results.reduce((a, b) => (b.ms > a.ms ? b : a), results[0]!);
console.log(`fuzz: seed ${seed}, ${results.length} cases (${count} mutations + regressions) in ${Math.round((Date.now() - started) / 1000)} s: ${JSON.stringify(tally)}; slowest ${Math.round(slowest.ms)} ms (#${slowest.id})`);
if (save && failures.length > 0) {
  mkdirSync(REGRESSIONS, { recursive: true });
  for (const { c } of failures) {
    const ext = c.fileName.replace(/^case/, '');
    const name = `seed${seed}-${c.id}${ext}${c.data.length > 20_000 ? '.gz' : ''}`;
    writeFileSync(join(REGRESSIONS, name), c.data.length > 20_000 ? gzipSync(c.data) : c.data);
    console.log(`saved ${name}`);
  }
}
console.log(failures.length === 0 ? 'fuzz: 0 internal errors, 0 stack traces, 0 runs over 5 s' : `fuzz: ${failures.length} failure(s)`);
process.exit(failures.length === 0 ? 0 : 1);
