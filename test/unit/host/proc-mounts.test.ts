import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isWithin, mountsUnder, readMounts } from '../../../src/host/proc-mounts.js';

test('readMounts decodes octal escapes; mountsUnder keeps mount order and exact prefixes', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-mounts-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'mounts');
  writeFileSync(file, [
    '/dev/sda1 / ext4 rw 0 0',
    '/dev/loop0p1 /mnt/my\\040disk ext4 rw 0 0',
    'proc /mnt/my\\040disk/proc proc rw 0 0',
    '/dev/loop1p1 /mnt/my\\040disk2 ext4 rw 0 0',
    '',
  ].join('\n'));
  assert.equal(readMounts(file)[1]?.target, '/mnt/my disk');
  assert.deepEqual(mountsUnder('/mnt/my disk', file), ['/mnt/my disk', '/mnt/my disk/proc']);
  assert.equal(isWithin('/mnt/a/b', '/mnt/a'), true);
  assert.equal(isWithin('/mnt/ab', '/mnt/a'), false);
});
