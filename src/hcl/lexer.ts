// Token reader for HCL expressions. It reads on demand from a shared cursor, so the template
// parser and the expression parser can hand the position back and forth (nested templates).

import { HclError } from './values.js';

export interface Cursor {
  src: string;
  pos: number;
}

export type TokenType = 'ident' | 'number' | 'op' | 'quote' | 'heredoc' | 'eof';

export interface Token {
  type: TokenType;
  /** Identifier name, number text, operator text; for heredoc the marker. */
  value: string;
  pos: number;
  end: number;
  /** A newline was skipped before this token. */
  newlineBefore: boolean;
  /** Heredoc only: `<<-` (indented) form. */
  indent?: boolean;
}

const OPS3 = ['...'];
const OPS2 = ['==', '!=', '<=', '>=', '&&', '||', '=>'];
const OPS1 = '+-*/%<>!?:.,=()[]{}~';
const identStart = /[\p{ID_Start}_]/u;
const identPart = /[\p{ID_Continue}_-]/u;

/** Skips spaces, newlines and comments; returns whether a newline was crossed. */
export function skipSpace(c: Cursor): boolean {
  let newline = false;
  const s = c.src;
  while (c.pos < s.length) {
    const ch = s[c.pos];
    if (ch === '\n') {
      newline = true;
      c.pos++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      c.pos++;
    } else if (ch === '#' || (ch === '/' && s[c.pos + 1] === '/')) {
      while (c.pos < s.length && s[c.pos] !== '\n') c.pos++;
    } else if (ch === '/' && s[c.pos + 1] === '*') {
      const end = s.indexOf('*/', c.pos + 2);
      if (end < 0) throw new HclError('Unterminated template string', 'A /* comment is not closed with */.', c.pos);
      if (s.slice(c.pos, end).includes('\n')) newline = true;
      c.pos = end + 2;
    } else {
      break;
    }
  }
  return newline;
}

/** Reads the next token and advances the cursor past it. */
export function nextToken(c: Cursor): Token {
  const newlineBefore = skipSpace(c);
  const s = c.src;
  const pos = c.pos;
  const tok = (type: TokenType, value: string, end: number, extra: Partial<Token> = {}): Token => {
    c.pos = end;
    return { type, value, pos, end, newlineBefore, ...extra };
  };
  if (pos >= s.length) return tok('eof', '', pos);
  const ch = s[pos] as string;
  if (ch === '"') return tok('quote', '"', pos + 1);
  if (/[0-9]/.test(ch)) {
    const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(s.slice(pos)) as RegExpExecArray;
    return tok('number', m[0], pos + m[0].length);
  }
  if (identStart.test(ch)) {
    let end = pos + 1;
    while (end < s.length && identPart.test(s[end] as string)) end++;
    return tok('ident', s.slice(pos, end), end);
  }
  if (s.startsWith('<<', pos)) {
    const m = /^<<(-?)([\p{ID_Start}_][\p{ID_Continue}_-]*)\r?\n/u.exec(s.slice(pos));
    if (m) return tok('heredoc', m[2] as string, pos + m[0].length, { indent: m[1] === '-' });
  }
  for (const op of OPS3) if (s.startsWith(op, pos)) return tok('op', op, pos + op.length);
  for (const op of OPS2) if (s.startsWith(op, pos)) return tok('op', op, pos + op.length);
  if (OPS1.includes(ch)) return tok('op', ch, pos + 1);
  throw new HclError('Invalid character', `The character "${ch}" is not used within HCL expressions.`, pos);
}

/** Looks at the next token without consuming it. */
export function peekToken(c: Cursor): Token {
  const save = c.pos;
  try {
    return nextToken(c);
  } finally {
    c.pos = save;
  }
}

/** Consumes the next token if it is the operator `op`. */
export function acceptOp(c: Cursor, op: string): boolean {
  const t = peekToken(c);
  if (t.type === 'op' && t.value === op) {
    c.pos = t.end;
    return true;
  }
  return false;
}

/** Consumes the operator `op` or throws a syntax error naming what was found. */
export function expectOp(c: Cursor, op: string, context: string): Token {
  const t = nextToken(c);
  if (t.type === 'op' && t.value === op) return t;
  throw new HclError(`Missing "${op}"`, `Expected "${op}" ${context}, found ${describe(t)}.`, t.pos);
}

/** Consumes an identifier or throws. */
export function expectIdent(c: Cursor, context: string): Token {
  const t = nextToken(c);
  if (t.type === 'ident') return t;
  throw new HclError('Invalid expression', `Expected a name ${context}, found ${describe(t)}.`, t.pos);
}

/** How a token is named in error messages. */
export function describe(t: Token): string {
  if (t.type === 'eof') return 'the end of the expression';
  if (t.type === 'quote') return 'a string';
  if (t.type === 'heredoc') return 'a heredoc';
  return `"${t.value}"`;
}
