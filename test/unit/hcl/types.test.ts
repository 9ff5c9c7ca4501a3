// Type constraints and conversion (variable types, §2.3 of the research notes).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertToType, formatType, fromPlain, HclError, type HclType, isUnknown, parseType, toPlain, UnknownValue } from '../../../src/hcl/index.js';

const summaryOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof HclError, `expected HclError, got ${String(err)}`);
    return err.summary;
  }
  assert.fail('expected an error');
};

describe('parseType / formatType', () => {
  const round: [string, string][] = [
    ['${string}', 'string'],
    ['${list(string)}', 'list(string)'],
    ['map(number)', 'map(number)'],
    ['set(bool)', 'set(bool)'],
    ['any', 'any'],
    ['${object({b = number, a = string})}', 'object({a=string, b=number})'],
    ['tuple([string, number])', 'tuple([string, number])'],
    ['list(object({name=string, tags=list(string)}))', 'list(object({name=string, tags=list(string)}))'],
  ];
  for (const [text, formatted] of round) {
    it(text, () => assert.equal(formatType(parseType(text)), formatted));
  }
  it('gives the structure of nested types', () => {
    assert.deepStrictEqual(parseType('map(list(number))'), { kind: 'map', element: { kind: 'list', element: { kind: 'number' } } });
  });
  for (const bad of ['strin', 'list', 'list(string, number)', '"x"', 'list(']) {
    it(`rejects ${bad}`, () => assert.equal(summaryOf(() => parseType(bad)), 'Invalid type specification'));
  }
});

/** convertToType on plain data, giving plain data. */
function conv(v: unknown, t: HclType): unknown {
  const out = convertToType(fromPlain(v), t);
  return isUnknown(out) ? out : toPlain(out);
}

describe('convertToType', () => {
  it('converts an object default and drops extra attributes (observed {a="x", b="2", extra=1})', () => {
    const t = parseType('${object({a=string, b=number})}');
    assert.deepStrictEqual(conv({ a: 'x', b: '2', extra: 1 }, t), { a: 'x', b: 2 });
  });
  it('converts primitives both ways', () => {
    assert.equal(conv('2', parseType('number')), 2);
    assert.equal(conv('-1.5e3', parseType('number')), -1500);
    assert.equal(conv(1.5, parseType('string')), '1.5');
    assert.equal(conv(true, parseType('string')), 'true');
    assert.equal(conv('false', parseType('bool')), false);
  });
  it('converts collections element by element', () => {
    assert.deepStrictEqual(conv([1, '2'], parseType('list(string)')), ['1', '2']);
    assert.deepStrictEqual(conv({ a: '1' }, parseType('map(number)')), { a: 1 });
    assert.deepStrictEqual(conv(['b', 'a', 'b'], parseType('set(string)')), ['a', 'b']);
    assert.deepStrictEqual(conv(['1', true], parseType('tuple([number, string])')), [1, 'true']);
  });
  it('keeps null, unknown and any values', () => {
    assert.equal(conv(null, parseType('number')), null);
    const u = new UnknownValue('x');
    assert.equal(conv(u, parseType('list(string)')), u);
    assert.deepStrictEqual(conv([1, 'a'], parseType('any')), [1, 'a']);
  });
  it('fails with cty messages', () => {
    assert.equal(summaryOf(() => conv('abc', parseType('number'))), 'a number is required');
    assert.equal(summaryOf(() => conv('1', parseType('bool'))), 'a bool is required');
    assert.equal(summaryOf(() => conv(1, parseType('bool'))), 'bool required');
    assert.equal(summaryOf(() => conv([1], parseType('string'))), 'string required');
    assert.equal(summaryOf(() => conv({ a: 'x' }, parseType('object({a=string, b=number})'))), 'attribute "b" is required');
    assert.equal(summaryOf(() => conv({ b: 'q', a: 'x' }, parseType('object({a=string, b=number})'))), 'a number is required');
    assert.equal(summaryOf(() => conv('x', parseType('list(string)'))), 'list of string required');
    assert.equal(summaryOf(() => conv([1], parseType('tuple([number, number])'))), 'tuple required with exactly 2 elements');
  });
  it('says where a nested conversion failed', () => {
    assert.throws(() => conv([1, 'z'], parseType('list(number)')), (e: unknown) => e instanceof HclError && /\[1\]/.test(e.detail ?? ''));
  });
});
