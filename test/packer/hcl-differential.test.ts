// The differential table against the real thing: when Debian's packer (1.6.6) is installed and we
// are root (network namespaces), scripts/hcl-differential.mjs --check re-evaluates every row with
// `packer console` inside a namespace with only lo and must find the table's "packer" verdicts.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const hasPacker = spawnSync('packer', ['version'], { encoding: 'utf8' }).stdout?.startsWith('Packer v1.6.6') ?? false;
const skip = !hasPacker ? 'packer 1.6.6 is not installed' : process.getuid?.() !== 0 ? 'needs root for ip netns' : false;

test('every packer verdict of the table is what packer console prints today', { skip, timeout: 600_000 }, () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'hcl-differential.mjs'), '--check'], { encoding: 'utf8', timeout: 600_000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /rows checked against Packer v1\.6\.6, 0 differences/);
});
