// Bounded work on any input: RE2 regular expressions (linear time), nesting and size limits with a
// diagnostic at the spot, and no stack overflow whatever the depth.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateTemplate, HclError, toPlain } from '../../../src/hcl/index.js';
import { MAX_EXPRESSION_DEPTH, MAX_STRING_LENGTH } from '../../../src/hcl/limits.js';
import { MAX_NESTING, MAX_TEMPLATE_BYTES } from '../../../src/template/limits.js';
import { makeContext } from '../hcl/cases.js';
import { errors, loadInline } from './helpers.js';

const hclError = (text: string, summary: string, ctx = makeContext()): HclError => {
  let caught: unknown;
  try {
    evaluateTemplate(text, ctx);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof HclError, `expected an HclError for ${text.slice(0, 60)}, got ${String(caught)}`);
  assert.equal(caught.summary, summary);
  return caught;
};

test('a catastrophic pattern runs in linear time, as RE2 does in Packer', { timeout: 20_000 }, () => {
  const input = `${'a'.repeat(100_000)}!`;
  assert.equal(toPlain(evaluateTemplate(`\${length(regexall("(a|aa)+$", "${input}"))}`, makeContext())), 0);
  assert.equal(evaluateTemplate(`\${regex_replace("${input}", "(a|aa)+!", "x")}`, makeContext()), 'x');
});

test('regex functions follow RE2: named groups, Go replacement templates, empty matches, no lookahead', () => {
  const ctx = makeContext();
  assert.deepEqual(evaluateTemplate('${regex("(?P<y>\\\\d{4})-(?P<m>\\\\d\\\\d)", "on 2024-05")}', ctx), { y: '2024', m: '05' });
  assert.equal(evaluateTemplate('${regex_replace("2024-05", "(?P<y>\\\\d+)-(?P<m>\\\\d+)", "$${m}/$y $$")}', ctx), '05/2024 $');
  // Go's FindAll: an empty match right after a match is skipped.
  assert.deepEqual(evaluateTemplate('${regexall("a*", "baaac")}', ctx), ['', 'aaa', '']);
  assert.equal(evaluateTemplate('${regex("(?i)ABC", "xabc")}', ctx), 'abc');
  const err = hclError('${regex("(?=x)", "x")}', 'Invalid function argument');
  assert.match(err.detail ?? '', /invalid regular expression "\(\?=x\)"/);
});

test('deeply nested expressions are refused with a diagnostic, never a stack overflow', () => {
  const parens = `\${${'('.repeat(5000)}1${')'.repeat(5000)}}`;
  const err = hclError(parens, 'Expression too deeply nested');
  assert.match(err.detail ?? '', new RegExp(`nested deeper than ${MAX_EXPRESSION_DEPTH} levels`));
  assert.equal(typeof err.offset, 'number');
  // Left-deep chains are built by loops, not recursion: the tree depth is checked too.
  hclError(`\${${Array(20_000).fill('1').join(' + ')}}`, 'Expression too deeply nested');
  hclError(`\${var.nested${'.one'.repeat(20_000)}}`, 'Expression too deeply nested');
  hclError(`\${${'!'.repeat(20_000)}true}`, 'Expression too deeply nested');
  hclError(`\${${'upper('.repeat(3000)}"a"${')'.repeat(3000)}}`, 'Expression too deeply nested');
  // Within the limit it still works.
  assert.equal(toPlain(evaluateTemplate(`\${${'('.repeat(50)}1${')'.repeat(50)}}`, makeContext())), 1);
});

test('a template that builds an enormous string stops at the string limit', () => {
  const big = 'x'.repeat(1024 * 1024);
  const ctx = makeContext({ big });
  const err = hclError(`\${big}${'${big}'.repeat(20)}`, 'String too long', ctx);
  assert.match(err.detail ?? '', new RegExp(`limit is ${MAX_STRING_LENGTH}`));
});

test('HCL and JSON files nested too deeply get file:line:col and "nested deeper than N"', async () => {
  const deep = `locals {\n  x = ${'['.repeat(3000)}${']'.repeat(3000)}\n}\n`;
  const hcl = errors(await loadInline({ 't.pkr.hcl': deep }, 't.pkr.hcl'));
  assert.equal(hcl.length, 1);
  assert.equal(hcl[0]!.summary, `nested deeper than ${MAX_NESTING} levels`);
  assert.deepEqual([hcl[0]!.pos?.file, hcl[0]!.pos?.line, hcl[0]!.pos?.column], ['t.pkr.hcl', 2, 6 + MAX_NESTING]); // the locals block is level 1, the first [ (column 7) level 2

  const json = `{"builders": [{"type": "azure-chroot", "x": ${'['.repeat(3000)}${']'.repeat(3000)}}]}`;
  const legacy = errors(await loadInline({ 't.json': json }, 't.json'));
  assert.equal(legacy.length, 1);
  assert.match(legacy[0]!.summary, new RegExp(`nested deeper than ${MAX_NESTING} levels`));
  assert.equal(legacy[0]!.pos?.line, 1);

  // Brackets inside strings, comments and heredocs do not count.
  const harmless = `locals {\n  # ${'['.repeat(500)}\n  a = "${'['.repeat(500)}"\n  b = <<EOT\n${'{'.repeat(500)}\nEOT\n}\n`;
  const ok = errors(await loadInline({ 't.pkr.hcl': harmless }, 't.pkr.hcl'));
  assert.ok(!ok.some((d) => /nested deeper/.test(d.summary)), JSON.stringify(ok));
});

test('files above the size limit are refused by name, without being read', async () => {
  const huge = `locals { x = "${'a'.repeat(MAX_TEMPLATE_BYTES)}" }\n`;
  const result = errors(await loadInline({ 'big.pkr.hcl': huge }, 'big.pkr.hcl'));
  assert.equal(result.length, 1);
  assert.match(result[0]!.summary, new RegExp(`"big.pkr.hcl" is ${Buffer.byteLength(huge)} bytes, larger than the ${MAX_TEMPLATE_BYTES} bytes`));
  const varFile = errors(await loadInline({ 't.pkr.hcl': 'variable "x" {\n  default = "a"\n}\n', 'v.pkrvars.hcl': `x = "${'b'.repeat(MAX_TEMPLATE_BYTES)}"\n` }, 't.pkr.hcl', { varFiles: ['v.pkrvars.hcl'] }));
  assert.ok(varFile.some((d) => /"v.pkrvars.hcl" is \d+ bytes, larger than/.test(d.summary)), JSON.stringify(varFile));
});
