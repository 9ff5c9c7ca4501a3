// Files azchroot writes for itself never follow a symlink planted at their path, and keep their
// contents from other users: the log file, the journal, the manifest, emulator state.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogFileReporter } from '../../../src/report/log-file.js';
import { openJournal } from '../../../src/ledger/journal.js';
import { writeFileReplacing } from '../../../src/host/private-files.js';
import { writeJsonAtomic } from '../../../src/emulator/json-files.js';
import { HostError } from '../../../src/errors.js';

async function inDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'azchroot-test-private-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a symlink planted at the log file path is refused, its target untouched', () => inDir(async (dir) => {
  const victim = join(dir, 'victim');
  await writeFile(victim, 'precious\n', { mode: 0o644 });
  await symlink(victim, join(dir, 'azchroot.log'));
  assert.throws(() => createLogFileReporter(join(dir, 'azchroot.log')), (err: unknown) => err instanceof HostError && /symbolic link, which azchroot does not follow/.test(err.message));
  assert.equal(await readFile(victim, 'utf8'), 'precious\n');
  assert.equal((await stat(victim)).mode & 0o777, 0o644, 'no chmod through the link');
}));

test('the log file is 0600, and an existing wider one of ours is narrowed', () => inDir(async (dir) => {
  const fresh = join(dir, 'fresh.log');
  createLogFileReporter(fresh).say('hello');
  assert.equal((await stat(fresh)).mode & 0o777, 0o600);
  const wide = join(dir, 'wide.log');
  await writeFile(wide, 'old\n');
  await chmod(wide, 0o644);
  createLogFileReporter(wide).say('hello');
  assert.equal((await stat(wide)).mode & 0o777, 0o600);
  assert.match(await readFile(wide, 'utf8'), /^old\n.*hello/s);
}));

test('the journal refuses a planted symlink', () => inDir(async (dir) => {
  const victim = join(dir, 'victim');
  await writeFile(victim, 'precious\n');
  const first = openJournal(dir, 'b1');
  const path = first.path;
  await rm(path);
  await symlink(victim, path);
  assert.throws(() => openJournal(dir, 'b1'), /ELOOP|symbolic/);
  assert.equal(await readFile(victim, 'utf8'), 'precious\n');
}));

test('replaced files (manifest, emulator state) replace a planted symlink instead of writing through it', () => inDir(async (dir) => {
  const victim = join(dir, 'victim');
  await writeFile(victim, 'precious\n');
  await symlink(victim, join(dir, 'manifest.json'));
  writeFileReplacing(join(dir, 'manifest.json'), '{}', 0o664);
  assert.equal(await readFile(victim, 'utf8'), 'precious\n');
  assert.equal(await readFile(join(dir, 'manifest.json'), 'utf8'), '{}');
  assert.equal((await stat(join(dir, 'manifest.json'))).mode & 0o777, 0o664);

  await symlink(victim, join(dir, 'state.json'));
  writeJsonAtomic(join(dir, 'sub', 'state.json'), { token: 'x' });
  writeJsonAtomic(join(dir, 'state.json'), { token: 'x' });
  assert.equal(await readFile(victim, 'utf8'), 'precious\n');
  assert.equal((await stat(join(dir, 'state.json'))).mode & 0o777, 0o600, 'emulator state is private');
  assert.equal((await stat(join(dir, 'sub'))).mode & 0o777, 0o700);
  assert.deepEqual((await readdir(dir)).filter((n) => n.includes('.tmp')), [], 'no temp file left');
}));
