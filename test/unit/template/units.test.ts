// Unit tests of the loader's small pieces: hcl2json error mapping, file discovery, globs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filterBuilds, globToRegExp } from '../../../src/template/build-filter.js';
import { discoverInputs, readSource } from '../../../src/template/files.js';
import { syntaxDiagnostics } from '../../../src/template/hcl-syntax.js';
import type { RawBuild } from '../../../src/template/model.js';
import { closest } from '../../../src/suggest.js';

test('hcl2json error strings become one diagnostic each, with positions and details', () => {
  const message = 'parse config: [dir/b.pkr.hcl:2,1-2: Attribute redefined; The argument "a" was already set at dir/b.pkr.hcl:1,1-2. Each argument may be set only once. dir/b.pkr.hcl:3,18-4,1: Unterminated template string; No closing marker was found for the string.]';
  const ds = syntaxDiagnostics('dir/b.pkr.hcl', message);
  assert.deepEqual(ds.map((d) => [d.summary, d.pos?.line, d.pos?.column, d.detail]), [
    ['Attribute redefined', 2, 1, 'The argument "a" was already set at dir/b.pkr.hcl:1,1-2. Each argument may be set only once.'],
    ['Unterminated template string', 3, 18, 'No closing marker was found for the string.'],
  ]);
});

test('after an unterminated string only that line is reported, with a note about the rest', () => {
  const message = 'parse config: [t.pkr.hcl:2,37-3,1: Invalid multi-line string; Quoted strings may not be split over multiple lines. t.pkr.hcl:3,2-4,1: Invalid multi-line string; Quoted strings may not be split. t.pkr.hcl:2,37-4,1: Unterminated template string; No closing marker was found for the string.]';
  const ds = syntaxDiagnostics('t.pkr.hcl', message);
  assert.deepEqual(ds.map((d) => [d.summary, d.pos?.line, d.pos?.column]), [
    ['Invalid multi-line string', 2, 37],
    ['Unterminated template string', 2, 37],
  ]);
  assert.match(ds[1]!.detail ?? '', /1 more syntax error\(s\) on later lines may follow from this one/);
});

test('an unrecognised hcl2json message is still one error at the file start', () => {
  const ds = syntaxDiagnostics('x.pkr.hcl', 'boom');
  assert.deepEqual(ds.map((d) => [d.code, d.pos]), [['AZC_TPL_SYNTAX', { file: 'x.pkr.hcl', line: 1, column: 1 }]]);
});

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

test('globs: * matches any characters, everything else is literal', () => {
  assert.ok(globToRegExp('bld.*').test('bld.azure-chroot.x'));
  assert.ok(!globToRegExp('bld.null').test('bldxnull'));
  assert.ok(globToRegExp('*').test(''));
  const mk = (name: string): RawBuild => ({ name, sourceType: 't', sourceName: name, sourceLabel: name, builder: {}, builderOrigin: { file: 'f', path: 'p', locate: () => undefined }, provisioners: [], postProcessors: [] });
  assert.deepEqual(filterBuilds([mk('a.x'), mk('b.x'), mk('a.y')], ['a.*'], ['*.y']).map((b) => b.name), ['a.x']);
});

test('did you mean: close words only', () => {
  assert.equal(closest('provisoner', ['provisioner', 'source']), 'provisioner');
  assert.equal(closest('zzz', ['provisioner', 'source']), undefined);
});
