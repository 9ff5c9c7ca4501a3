// Packer-style flags and the optional value of --emulator.
import test from 'node:test';
import assert from 'node:assert/strict';
import { normalizeArgv, parseVarFlag } from '../../../src/cli/normalize-argv.js';

const cases: [string[], string[]][] = [
  [['validate', '-var', 'a=b', '-syntax-only', 't.pkr.hcl'], ['validate', '--var', 'a=b', '--syntax-only', 't.pkr.hcl']],
  [['build', '-only=azure-chroot.*', '-on-error=abort', 't.json'], ['build', '--only=azure-chroot.*', '--on-error=abort', 't.json']],
  [['build', '-unknown-thing', 't.json'], ['build', '-unknown-thing', 't.json']],
  [['build', '--emulator', 't.pkr.hcl'], ['build', '--emulator=', 't.pkr.hcl']],
  [['build', '-emulator', 't.pkr.hcl', '--state-dir', '/s'], ['build', '--emulator=', 't.pkr.hcl', '--state-dir', '/s']],
  [['build', '--emulator', '/emu', 't.pkr.hcl'], ['build', '--emulator=/emu', 't.pkr.hcl']],
  [['build', '--emulator', '/emu', '-var', 'x=1', 't.pkr.hcl'], ['build', '--emulator=/emu', '--var', 'x=1', 't.pkr.hcl']],
  [['build', '--emulator=/emu', 't.pkr.hcl'], ['build', '--emulator=/emu', 't.pkr.hcl']],
  [['build', '--emulator', '--force', 't.pkr.hcl'], ['build', '--emulator=', '--force', 't.pkr.hcl']],
  [['cleanup', '--emulator', '/emu', '--all'], ['cleanup', '--emulator=/emu', '--all']],
  [['cleanup', '--all', '--emulator'], ['cleanup', '--all', '--emulator=']],
  [['build', '--', '-var'], ['build', '--', '-var']],
];

for (const [input, expected] of cases) {
  test(`normalizeArgv ${input.join(' ')}`, () => assert.deepEqual(normalizeArgv(input), expected));
}

test('parseVarFlag splits at the first "=" and rejects a missing name', () => {
  assert.deepEqual(parseVarFlag('a=b=c'), ['a', 'b=c']);
  assert.deepEqual(parseVarFlag('a='), ['a', '']);
  assert.throws(() => parseVarFlag('=x'), /NAME=VALUE/);
  assert.throws(() => parseVarFlag('novalue'), /NAME=VALUE/);
});
