// Unit tests of the loader's small pieces: file discovery, globs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filterBuilds, globToRegExp } from '../../../src/template/build-filter.js';
import { discoverInputs, readSource } from '../../../src/template/files.js';
import type { RawBuild } from '../../../src/template/model.js';
import { closest } from '../../../src/suggest.js';

test('discoverInputs: mode by extension, directory listing is lexical and not recursive', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'azc-files-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (const f of ['b.pkr.hcl', 'a.pkr.json', 'c.auto.pkrvars.hcl', 'a.auto.pkrvars.json', 'x.pkrvars.hcl', 'legacy.json']) await writeFile(join(dir, f), '{}');
  const d = await discoverInputs('.', dir);
  assert.deepEqual(d.inputs, { kind: 'hcl2', configFiles: ['a.pkr.json', 'b.pkr.hcl'], autoVarFiles: ['a.auto.pkrvars.json', 'c.auto.pkrvars.hcl'], root: '.', templateDir: dir });
  assert.equal((await discoverInputs('legacy.json', dir)).inputs?.kind, 'json');
  assert.equal((await discoverInputs('b.pkr.hcl', dir)).inputs?.autoVarFiles.length, 0);
  assert.equal((await discoverInputs('nope', dir)).diagnostics[0]?.code, 'AZC_TPL_READ');
});

test('readSource: a BOM-free UTF-8 file reads; invalid bytes give line and column', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'azc-files-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'ok.pkr.hcl'), 'a = "héllo"\n');
  await writeFile(join(dir, 'bad.pkr.hcl'), Buffer.from([0x61, 0x0a, 0x62, 0x63, 0xc3, 0x28]));
  assert.equal((await readSource('ok.pkr.hcl', dir)).file?.text, 'a = "héllo"\n');
  const bad = await readSource('bad.pkr.hcl', dir);
  assert.equal(bad.file, undefined);
  assert.deepEqual(bad.diagnostic?.pos, { file: 'bad.pkr.hcl', line: 2, column: 3 });
});

test("globs: Packer's syntax (* ? [ab] [!ab] [a-c] {a,b} \\ escapes); other characters, a leading ! included, are literal", () => {
  const cases: [glob: string, name: string, matches: boolean][] = [
    ['bld.*', 'bld.azure-chroot.x', true],
    ['bld.null', 'bldxnull', false],
    ['*', 'azure-chroot.a', true],
    ['azure-chroot.?', 'azure-chroot.a', true],
    ['azure-chroot.?', 'azure-chroot.ab', false],
    ['*.{web,db}', 'azure-chroot.db', true],
    ['*.{web,db}', 'azure-chroot.cache', false],
    ['*.[ab]', 'x.a', true],
    ['*.[ab]', 'x.c', false],
    ['*.[!ab]', 'x.c', true],
    ['*.[!ab]', 'x.a', false],
    ['*.[a-c]', 'x.b', true],
    ['x\\*', 'x*', true],
    ['x\\*', 'xy', false],
    ['!x', '!x', true],
    ['!x', 'y', false],
    ['.*', '.hidden', true],
  ];
  for (const [glob, name, matches] of cases) assert.equal(globToRegExp(glob).test(name), matches, `${glob} on ${name}`);
  const mk = (name: string): RawBuild => ({ name, sourceType: 't', sourceName: name, sourceLabel: name, builder: {}, builderOrigin: { file: 'f', path: 'p', locate: () => undefined }, provisioners: [], postProcessors: [] });
  assert.deepEqual(filterBuilds([mk('a.x'), mk('b.x'), mk('a.y')], ['a.*'], ['*.y']).map((b) => b.name), ['a.x']);
});

test('did you mean: close words only', () => {
  assert.equal(closest('provisoner', ['provisioner', 'source']), 'provisioner');
  assert.equal(closest('zzz', ['provisioner', 'source']), undefined);
});
