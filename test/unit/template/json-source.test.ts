import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJsonSource } from '../../../src/template/json-source.js';

test('records positions of keys and array elements', () => {
  const doc = parseJsonSource('t.json', '{\n  "a": 1,\n  "list": [\n    "x",\n    {"k": true}\n  ]\n}');
  assert.deepEqual(doc.value, { a: 1, list: ['x', { k: true }] });
  assert.deepEqual(doc.locate(['a']), { file: 't.json', line: 2, column: 3 });
  assert.deepEqual(doc.locate(['list', 1]), { file: 't.json', line: 5, column: 5 });
  assert.deepEqual(doc.locate(['list', 1, 'k']), { file: 't.json', line: 5, column: 6 });
  // Unknown sub-paths fall back to the nearest known ancestor.
  assert.deepEqual(doc.locate(['list', 1, 'missing', 3]), { file: 't.json', line: 5, column: 5 });
  assert.deepEqual(doc.diagnostics, []);
});

test('duplicate keys are reported (later value wins) with the key position', () => {
  const doc = parseJsonSource('t.json', '{"a": {"b": 1,\n "b": 2}}');
  assert.deepEqual(doc.value, { a: { b: 2 } });
  assert.equal(doc.diagnostics.length, 1);
  assert.equal(doc.diagnostics[0]!.summary, 'template has duplicate field: b');
  assert.equal(doc.diagnostics[0]!.path, 'a.b');
  assert.deepEqual(doc.diagnostics[0]!.pos, { file: 't.json', line: 2, column: 2 });
});

test('syntax errors stop parsing and point at the offending character', () => {
  const doc = parseJsonSource('t.json', '{\n  "a": 1,\n  "b" 2\n}');
  assert.equal(doc.value, undefined);
  assert.equal(doc.diagnostics.length, 1);
  assert.equal(doc.diagnostics[0]!.code, 'AZC_TPL_SYNTAX');
  assert.match(doc.diagnostics[0]!.summary, /expected ":" after key "b"/);
  assert.deepEqual(doc.diagnostics[0]!.pos, { file: 't.json', line: 3, column: 7 });
});

test('strings: escapes and unicode; trailing garbage is an error', () => {
  assert.deepEqual(parseJsonSource('t.json', '"a\\n\\u00e9\\"b"').value, 'a\né"b');
  const doc = parseJsonSource('t.json', '{} x');
  assert.equal(doc.value, undefined);
  assert.deepEqual(doc.diagnostics[0]!.pos, { file: 't.json', line: 1, column: 4 });
});

test('a "__proto__" key stays a plain key', () => {
  const doc = parseJsonSource('t.json', '{"__proto__": {"x": 1}}');
  assert.deepEqual(Object.keys(doc.value as object), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).x, undefined);
});
