// File functions resolve relative paths against the template directory (path.root).

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, after } from 'node:test';
import { createFunctions, evaluateTemplate, HclError } from '../../../src/hcl/index.js';

const dir = mkdtempSync(join(tmpdir(), 'azc-hcl-'));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'scripts/sub'), { recursive: true });
writeFileSync(join(dir, 'hello.txt'), 'héllo\n');
writeFileSync(join(dir, 'bin.dat'), Buffer.from([0xff, 0xfe, 0x00]));
writeFileSync(join(dir, 'scripts/a.sh'), '');
writeFileSync(join(dir, 'scripts/b.txt'), '');
writeFileSync(join(dir, 'scripts/sub/c.sh'), '');
writeFileSync(join(dir, 'tpl.tftpl'), 'Hi ${name}!\n%{ for p in pkgs ~}\n- ${upper(p)}\n%{ endfor ~}\n');
writeFileSync(join(dir, 'bad.tftpl'), '${templatefile("tpl.tftpl", {})}');

const ctx = { variables: {}, functions: createFunctions({ baseDir: dir, cwd: '/somewhere', env: {} }) };
const ev = (text: string) => evaluateTemplate(text, ctx);
const failsWith = (text: string, summary: string, detail: RegExp) =>
  assert.throws(() => ev(text), (e: unknown) => e instanceof HclError && e.summary === summary && detail.test(e.detail ?? ''));

describe('file functions', () => {
  it('file() reads UTF-8 text relative to the base directory', () => {
    assert.equal(ev('${file("hello.txt")}'), 'héllo\n');
    assert.equal(ev(`\${file("${join(dir, 'hello.txt')}")}`), 'héllo\n');
  });
  it('file() reports a missing file and non-UTF-8 content', () => {
    failsWith('${file("missing.txt")}', 'Invalid function argument', /no file exists at missing\.txt/);
    failsWith('${file("bin.dat")}', 'Invalid function argument', /not valid UTF-8/);
  });
  it('fileexists() is true for files, false for missing, an error for directories', () => {
    assert.equal(ev('${fileexists("hello.txt")}'), true);
    assert.equal(ev('${fileexists("nope")}'), false);
    failsWith('${fileexists("scripts")}', 'Invalid function argument', /directory/);
  });
  it('fileset() globs files with *, ** and {a,b}, sorted', () => {
    assert.deepStrictEqual(ev('${fileset("scripts", "*.sh")}'), ['a.sh']);
    assert.deepStrictEqual(ev('${fileset("scripts", "**/*.sh")}'), ['a.sh', 'sub/c.sh']);
    assert.deepStrictEqual(ev('${fileset(".", "scripts/*.{sh,txt}")}'), ['scripts/a.sh', 'scripts/b.txt']);
    assert.deepStrictEqual(ev('${fileset("nodir", "*")}'), []);
  });
  it('abspath() resolves against the working directory', () => {
    assert.equal(ev('${abspath("x/../y")}'), '/somewhere/y');
  });
  it('templatefile() renders a template file with the given variables', () => {
    assert.equal(ev('${templatefile("tpl.tftpl", {name = "Ann", pkgs = ["git", "vim"]})}'), 'Hi Ann!\n- GIT\n- VIM\n');
  });
  it('templatefile() reports a missing template variable and may not call itself', () => {
    failsWith('${templatefile("tpl.tftpl", {pkgs = []})}', 'Unknown variable', /template file tpl\.tftpl.*no variable named "name"/s);
    failsWith('${templatefile("bad.tftpl", {})}', 'Call to unknown function', /templatefile/);
  });
});
