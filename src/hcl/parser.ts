// Recursive-descent parser for HCL expressions (operators, traversals, splats, constructors,
// for-expressions, calls). Quoted strings and heredocs are handed to template-parser.ts.

import type { BinaryOp, Expr, Step } from './ast.js';
import { acceptOp, type Cursor, describe, expectOp, nextToken, peekToken } from './lexer.js';
import { parseHeredocBody, parseQuotedTemplate } from './template-parser.js';
import { parseObjectOrFor, parseTupleOrFor } from './parser-collections.js';
import { HclError } from './values.js';
import { checkTreeDepth, nested } from './limits.js';
import { BigFloat } from './bigfloat.js';

/** A number literal as cty.ParseNumberVal reads it (512-bit binary). */
function parseNumberLiteral(text: string): BigFloat {
  return BigFloat.parse(text) as BigFloat;
}

const PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '>': 4, '<=': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6,
};

/** Parses a whole source text as one expression (nothing may follow it). */
export function parseExpressionSource(src: string): Expr {
  const c: Cursor = { src, pos: 0 };
  const e = parseExpression(c);
  const t = nextToken(c);
  if (t.type !== 'eof') throw new HclError('Extra characters after expression', `Found ${describe(t)} after the end of the expression.`, t.pos);
  checkTreeDepth(e);
  return e;
}

/** Parses one expression (including a conditional) at the cursor; nesting is bounded (limits.ts). */
export function parseExpression(c: Cursor): Expr {
  return nested(c, () => parseConditional(c));
}

function parseConditional(c: Cursor): Expr {
  const cond = parseBinary(c, 1);
  const q = peekToken(c);
  if (q.type === 'op' && q.value === '?') {
    c.pos = q.end;
    const then = parseExpression(c);
    expectOp(c, ':', 'between the two results of a conditional');
    const otherwise = parseExpression(c);
    return { kind: 'conditional', cond, then, else: otherwise, pos: cond.pos };
  }
  return cond;
}

function parseBinary(c: Cursor, minPrec: number): Expr {
  let left = parseUnary(c);
  for (;;) {
    const t = peekToken(c);
    const prec = t.type === 'op' ? PRECEDENCE[t.value] : undefined;
    if (prec === undefined || prec < minPrec) return left;
    c.pos = t.end;
    const right = parseBinary(c, prec + 1);
    left = { kind: 'binary', op: t.value as BinaryOp, left, right, pos: t.pos };
  }
}

function parseUnary(c: Cursor): Expr {
  const t = peekToken(c);
  if (t.type === 'op' && (t.value === '!' || t.value === '-')) {
    c.pos = t.end;
    return { kind: 'unary', op: t.value, operand: nested(c, () => parseUnary(c)), pos: t.pos };
  }
  return parsePostfix(c, parsePrimary(c));
}

function parsePostfix(c: Cursor, start: Expr): Expr {
  let e = start;
  for (;;) {
    const t = peekToken(c);
    if (t.type !== 'op' || (t.value !== '.' && t.value !== '[')) return e;
    if (t.value === '.') {
      c.pos = t.end;
      if (acceptOp(c, '*')) {
        // Attribute-only splat: later .names apply to each element, an index applies to the result.
        e = { kind: 'splat', target: e, each: parseSteps(c, { kind: 'splatItem', pos: t.pos }, false), pos: t.pos };
        continue;
      }
      e = { kind: 'traverse', target: e, step: parseDotStep(c), pos: start.pos };
      continue;
    }
    c.pos = t.end;
    if (acceptOp(c, '*')) {
      expectOp(c, ']', 'to close the splat "[*"');
      return { kind: 'splat', target: e, each: parseSteps(c, { kind: 'splatItem', pos: t.pos }, true), pos: t.pos };
    }
    const key = parseExpression(c);
    expectOp(c, ']', 'to close the index');
    e = { kind: 'traverse', target: e, step: { kind: 'index', key, pos: t.pos }, pos: start.pos };
  }
}

function parseDotStep(c: Cursor): Step {
  const n = nextToken(c);
  if (n.type === 'ident') return { kind: 'attr', name: n.value, pos: n.pos };
  if (n.type === 'number' && /^[0-9]+$/.test(n.value)) {
    return { kind: 'index', key: { kind: 'literal', value: parseNumberLiteral(n.value), pos: n.pos }, pos: n.pos };
  }
  throw new HclError('Invalid attribute name', `An attribute name is required after a dot, found ${describe(n)}.`, n.pos);
}

/** Steps applied to each element of a splat; `withIndex` for full splats `[*]`. */
function parseSteps(c: Cursor, item: Expr, withIndex: boolean): Expr {
  let e = item;
  for (;;) {
    const t = peekToken(c);
    if (t.type === 'op' && t.value === '.') {
      const save = c.pos;
      c.pos = t.end;
      if (peekToken(c).value === '*') {
        c.pos = save;
        return e;
      }
      e = { kind: 'traverse', target: e, step: parseDotStep(c), pos: t.pos };
    } else if (withIndex && t.type === 'op' && t.value === '[') {
      c.pos = t.end;
      const key = parseExpression(c);
      expectOp(c, ']', 'to close the index');
      e = { kind: 'traverse', target: e, step: { kind: 'index', key, pos: t.pos }, pos: t.pos };
    } else {
      return e;
    }
  }
}

function parsePrimary(c: Cursor): Expr {
  const t = nextToken(c);
  switch (t.type) {
    case 'number':
      return { kind: 'literal', value: parseNumberLiteral(t.value), pos: t.pos };
    case 'quote':
      return { kind: 'template', parts: parseQuotedTemplate(c), pos: t.pos };
    case 'heredoc':
      return { kind: 'template', parts: parseHeredocBody(c, t.value, t.indent === true), pos: t.pos };
    case 'ident':
      return parseIdent(c, t.value, t.pos);
    case 'op':
      if (t.value === '(') {
        const inner = parseExpression(c);
        expectOp(c, ')', 'to close the parenthesis');
        return { kind: 'paren', inner, pos: t.pos };
      }
      if (t.value === '[') return parseTupleOrFor(c, t.pos);
      if (t.value === '{') return parseObjectOrFor(c, t.pos);
  }
  throw new HclError('Invalid expression', `Expected the start of an expression, found ${describe(t)}.`, t.pos);
}

function parseIdent(c: Cursor, name: string, pos: number): Expr {
  if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true', pos };
  if (name === 'null') return { kind: 'literal', value: null, pos };
  const t = peekToken(c);
  if (t.type === 'op' && t.value === '(' && !t.newlineBefore) {
    c.pos = t.end;
    const args: Expr[] = [];
    let expandLast = false;
    while (!acceptOp(c, ')')) {
      args.push(parseExpression(c));
      if (acceptOp(c, '...')) {
        expandLast = true;
        expectOp(c, ')', 'after the "..." expansion of the last argument');
        break;
      }
      if (!acceptOp(c, ',')) {
        expectOp(c, ')', `to close the arguments of ${name}()`);
        break;
      }
    }
    return { kind: 'call', name, args, expandLast, pos };
  }
  return { kind: 'variable', name, pos };
}
