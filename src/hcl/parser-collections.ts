// Parser for collection constructors: tuples `[a, b]`, objects `{k = v}` (newline- or
// comma-separated items) and `for` expressions in both forms.

import type { Expr } from './ast.js';
import { acceptOp, type Cursor, describe, expectIdent, expectOp, nextToken, peekToken } from './lexer.js';
import { parseExpression } from './parser.js';
import { HclError } from './values.js';

/** True when the tokens at the cursor are `for <ident>`, the start of a for expression. */
function atFor(c: Cursor): boolean {
  const save = c.pos;
  try {
    const a = nextToken(c);
    if (a.type !== 'ident' || a.value !== 'for') return false;
    return nextToken(c).type === 'ident';
  } finally {
    c.pos = save;
  }
}

/** Parses `[...]` or `[for ...]` after the opening bracket. */
export function parseTupleOrFor(c: Cursor, pos: number): Expr {
  if (atFor(c)) return parseFor(c, pos, ']');
  const items: Expr[] = [];
  while (!acceptOp(c, ']')) {
    items.push(parseExpression(c));
    if (!acceptOp(c, ',')) {
      expectOp(c, ']', 'to close the list');
      break;
    }
  }
  return { kind: 'tuple', items, pos };
}

/** Parses `{...}` or `{for ...}` after the opening brace. */
export function parseObjectOrFor(c: Cursor, pos: number): Expr {
  if (atFor(c)) return parseFor(c, pos, '}');
  const items: { key: Expr; keyIsIdent: boolean; value: Expr }[] = [];
  while (!acceptOp(c, '}')) {
    const k = peekToken(c);
    let key: Expr;
    let keyIsIdent = false;
    const save = c.pos;
    c.pos = k.end;
    const after = peekToken(c);
    if (k.type === 'ident' && after.type === 'op' && (after.value === '=' || after.value === ':')) {
      key = { kind: 'literal', value: k.value, pos: k.pos };
      keyIsIdent = true;
    } else {
      c.pos = save;
      key = parseExpression(c);
    }
    const sep = nextToken(c);
    if (sep.type !== 'op' || (sep.value !== '=' && sep.value !== ':')) {
      throw new HclError('Missing key/value separator', `Expected an equals sign ("=") to mark the beginning of the attribute value, found ${describe(sep)}.`, sep.pos);
    }
    items.push({ key, keyIsIdent, value: parseExpression(c) });
    acceptOp(c, ','); // items may also be separated by newlines only
  }
  return { kind: 'object', items, pos };
}

function parseFor(c: Cursor, pos: number, close: ']' | '}'): Expr {
  nextToken(c); // "for"
  let valVar = expectIdent(c, 'after "for"').value;
  let keyVar: string | undefined;
  if (acceptOp(c, ',')) {
    keyVar = valVar;
    valVar = expectIdent(c, 'after "," in a for expression').value;
  }
  const inTok = nextToken(c);
  if (inTok.type !== 'ident' || inTok.value !== 'in') {
    throw new HclError('Invalid "for" expression', `Expected "in" after the iterator names, found ${describe(inTok)}.`, inTok.pos);
  }
  const collection = parseExpression(c);
  expectOp(c, ':', 'after the collection of a for expression');
  let keyExpr: Expr | undefined;
  let valExpr = parseExpression(c);
  let group = false;
  if (close === '}') {
    expectOp(c, '=>', 'between the key and value of an object for expression');
    keyExpr = valExpr;
    valExpr = parseExpression(c);
    group = acceptOp(c, '...');
  }
  let cond: Expr | undefined;
  const t = peekToken(c);
  if (t.type === 'ident' && t.value === 'if') {
    c.pos = t.end;
    cond = parseExpression(c);
  }
  expectOp(c, close, 'to close the for expression');
  return { kind: 'for', keyVar, valVar, collection, keyExpr, valExpr, cond, group, pos };
}
