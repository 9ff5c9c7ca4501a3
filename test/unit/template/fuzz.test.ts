// validate on broken input: every stored regression input and a small seeded batch of mutated
// templates (the full 10,000 run in .ci/fuzz) end as diagnostics, with no internal error, no stack
// trace and no run over 5 s; a few go through the CLI, which must exit 0, 1 or 2 with a message.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fuzzCases, REPO } from '../../fuzz/mutations.js';
import { isFailure } from '../../fuzz/fuzz-outcome.js';
import { runPool } from '../../fuzz/fuzz-pool.js';
import { regressionCases } from '../../fuzz/regressions.js';

const LIMIT_MS = 5000;
const COUNT = Number(process.env.AZCHROOT_FUZZ_COUNT ?? 120);
const SEED = Number(process.env.AZCHROOT_FUZZ_SEED ?? 20261202);

test('every stored fuzz regression input ends as a clean diagnostic', { timeout: 300_000 }, async () => {
  const cases = regressionCases();
  assert.ok(cases.length >= 10, 'the regression set is in test/fixtures/fuzz-regressions');
  const results = await runPool(cases, { workers: 1, hangMs: LIMIT_MS * 12 });
  const failed = results.filter((r) => isFailure(r, LIMIT_MS)).map((r) => `${cases.find((c) => c.id === r.id)?.label}: ${r.outcome} ${Math.round(r.ms)} ms ${r.message ?? ''}`);
  assert.deepEqual(failed, []);
  // They are all broken on purpose: none may pass validation.
  assert.deepEqual(results.filter((r) => r.outcome === 'valid').map((r) => cases.find((c) => c.id === r.id)?.label), []);
});

test(`${COUNT} seeded mutations of the examples and fixtures: no internal error, no stack trace, none over 5 s`, { timeout: 600_000 }, async () => {
  const cases = [...fuzzCases(SEED, COUNT)];
  const results = await runPool(cases, { workers: 1, hangMs: LIMIT_MS * 12 });
  const failed = results.filter((r) => isFailure(r, LIMIT_MS)).map((r) => `#${r.id} ${cases[r.id]!.label}: ${r.outcome} ${Math.round(r.ms)} ms ${r.message ?? ''}`);
  assert.deepEqual(failed, [], `reproduce with: node dist/test/fuzz/run-fuzz.js --seed ${SEED} --count ${COUNT} --save`);
  assert.ok(results.some((r) => r.outcome === 'invalid'), 'the mutations do break templates');
});

test('through the CLI, mutated templates exit 0, 1 or 2 with a message and no stack trace', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'azchroot-fuzz-cli-'));
  try {
    const cases = [...fuzzCases(SEED + 1, 6), ...regressionCases().slice(0, 2)];
    for (const c of cases) {
      const file = join(dir, c.fileName);
      writeFileSync(file, c.data);
      const r = spawnSync(process.execPath, [join(REPO, 'bin/azchroot'), 'validate', file], {
        encoding: 'utf8',
        timeout: LIMIT_MS * 3,
        env: { ...process.env, AZCHROOT_CACHE_DIR: 'off', AZCHROOT_DEBUG: '' },
      });
      const out = `${r.stdout}\n${r.stderr}`;
      assert.ok(r.status !== null && [0, 1, 2].includes(r.status), `${c.label}: exit ${r.status} ${r.signal ?? ''}\n${out.slice(0, 2000)}`);
      assert.ok(out.trim().length > 0, `${c.label}: prints a message`);
      assert.doesNotMatch(out, /This is unexpected|Maximum call stack|\n\s+at \S+:\d+:\d+/, c.label);
      rmSync(file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
