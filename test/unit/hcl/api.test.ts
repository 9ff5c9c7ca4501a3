// evaluateJson, references, evaluateLiteralExpression, toTemplateString, envOnlyFunctions and offsets.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  envOnlyFunctions, evaluateJson, evaluateLiteralExpression, evaluateTemplate, fromPlain, HclError, isUnknown, references, toPlain, toTemplateString,
} from '../../../src/hcl/index.js';
import { makeContext } from './cases.js';

describe('evaluateJson', () => {
  it('maps hcl2json output: constructors stay structural, strings are templates, keys "${...}" evaluated', () => {
    const ctx = makeContext();
    const input = { list: [1, '${var.x}', 's-${var.y}'], obj: { k: '${var.x}', q: 2, '${(var.z)}': 3 }, n: 1500, b: true, z: null, esc: '$${HOME}' };
    assert.deepStrictEqual(toPlain(evaluateJson(input, ctx)), {
      list: [1, 'X', 's-Y'], obj: { k: 'X', q: 2, zk: 3 }, n: 1500, b: true, z: null, esc: '${HOME}',
    });
  });
  it('keeps unknown leaves in place', () => {
    const out = evaluateJson({ a: '${source.name}', b: 'x' }, makeContext()) as Record<string, unknown>;
    assert.ok(isUnknown(out['a']));
    assert.equal(out['b'], 'x');
  });
  it('keeps a key named __proto__ as data', () => {
    const out = evaluateJson({ ['__proto__']: 1 }, makeContext()) as Record<string, unknown>;
    assert.deepStrictEqual(Object.keys(out), ['__proto__']);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
  });
});

describe('references', () => {
  it('lists traversals in order, without duplicates', () => {
    assert.deepStrictEqual(references('${var.count * 2 + local.x} ${var.count}'), [['var', 'count'], ['local', 'x']]);
  });
  it('stops a path at the first index and looks inside index keys', () => {
    assert.deepStrictEqual(references('${local.a[var.i].b.c}'), [['local', 'a'], ['var', 'i']]);
  });
  it('finds build, source and path roots', () => {
    assert.deepStrictEqual(references('${build.ID} ${source.name} ${path.root}'), [['build', 'ID'], ['source', 'name'], ['path', 'root']]);
  });
  it('ignores names bound by for expressions and directives', () => {
    assert.deepStrictEqual(references('${[for p in var.pkgs : upper(p.name)]}%{for x in local.l}${x}%{endfor}'), [['var', 'pkgs'], ['local', 'l']]);
  });
  it('looks into function arguments, conditionals, objects and nested templates', () => {
    assert.deepStrictEqual(references('${try(local.a, var.b ? {k = "${local.c}"} : null)}'), [['local', 'a'], ['var', 'b'], ['local', 'c']]);
  });
  it('returns nothing for plain text, Go templates and syntax errors', () => {
    assert.deepStrictEqual(references('{{ vm `name` }} $HOME'), []);
    assert.deepStrictEqual(references('${var.x'), []);
  });
});

describe('evaluateLiteralExpression', () => {
  it('parses literal values for -var and PKR_VAR_', () => {
    assert.deepStrictEqual(toPlain(evaluateLiteralExpression('["x","y"]')), ['x', 'y']);
    assert.deepStrictEqual(toPlain(evaluateLiteralExpression('{ a = 1, "b" = [true, null] }')), { a: 1, b: [true, null] });
    assert.equal(toPlain(evaluateLiteralExpression('-1.5')), -1.5);
    assert.equal(evaluateLiteralExpression('"a${"b"}"'), 'ab');
  });
  it('rejects variables and function calls', () => {
    assert.throws(() => evaluateLiteralExpression('x'), (e: unknown) => e instanceof HclError && e.summary === 'Variables not allowed');
    assert.throws(() => evaluateLiteralExpression('[var.a]'), (e: unknown) => e instanceof HclError && e.summary === 'Variables not allowed');
    assert.throws(() => evaluateLiteralExpression('upper("a")'), (e: unknown) => e instanceof HclError && e.summary === 'Function calls not allowed');
  });
  it('rejects trailing text', () => {
    assert.throws(() => evaluateLiteralExpression('1 2'), (e: unknown) => e instanceof HclError && e.summary === 'Extra characters after expression');
  });
});

describe('envOnlyFunctions', () => {
  it('allows env() and nothing else (variable defaults)', () => {
    const ctx = { variables: {}, functions: envOnlyFunctions({ HOME: '/root' }) };
    assert.equal(evaluateTemplate('${env("HOME")}', ctx), '/root');
    assert.throws(() => evaluateTemplate('${upper("a")}', ctx), (e: unknown) => e instanceof HclError && e.summary === 'Call to unknown function' && /no function named "upper"/.test(e.detail ?? ''));
  });
});

describe('toTemplateString', () => {
  it('renders primitives like a template interpolation', () => {
    assert.equal(toTemplateString(fromPlain(1.5)), '1.5');
    assert.equal(toTemplateString(fromPlain(-0)), '0');
    assert.equal(toTemplateString(fromPlain(1e21)), '1000000000000000000000');
    assert.equal(toTemplateString(false), 'false');
    assert.equal(toTemplateString('s'), 's');
  });
  it('throws for lists, objects and null', () => {
    for (const v of [[1], { a: 1 }, null]) assert.throws(() => toTemplateString(fromPlain(v)), HclError);
  });
});

describe('error offsets', () => {
  it('point at the start of a failing traversal', () => {
    const text = 'x ${var.nope}';
    assert.throws(() => evaluateTemplate(text, makeContext()), (e: unknown) => e instanceof HclError && e.offset === text.indexOf('var'));
  });
  it('point at the failing expression inside the text', () => {
    const text = 'abc ${upper(nope.x)}';
    assert.throws(() => evaluateTemplate(text, makeContext()), (e: unknown) => e instanceof HclError && e.offset === text.indexOf('nope'));
  });
});
