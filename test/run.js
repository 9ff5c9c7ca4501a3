#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with node's test runner.
// Listing files explicitly keeps helpers under test/ from being run as tests.
// Usage: node test/run.js [substring...]   (only files whose path contains one of the substrings)
// test/kill-matrix/ and test/fault-matrix/ run only when a filter names them (node test/run.js kill-matrix).

import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const testRoot = join(root, 'dist', 'test');

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
// Slow layers have their own script (.ci/kill-matrix, .ci/fault-matrix) and run only when asked for by name.
const SLOW = ['kill-matrix', 'fault-matrix'];
const files = find(testRoot).filter((f) => {
  const rel = relative(root, f);
  if (filters.length === 0) return !SLOW.some((s) => rel.includes(`/${s}/`));
  return filters.some((s) => rel.includes(s)) && (!SLOW.some((s) => rel.includes(`/${s}/`)) || filters.some((s) => SLOW.some((x) => s.includes(x))));
});
if (files.length === 0) {
  console.error(`no test files found under ${relative(root, testRoot)} (run "npm run build" first)`);
  process.exit(1);
}
// One file at a time: end-to-end tests use loop devices, mounts and the emulator.
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(result.status ?? 1);
