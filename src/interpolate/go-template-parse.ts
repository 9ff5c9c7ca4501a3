// Lexer and parser for the subset of Go text/template that Packer templates use: text, actions
// with trim markers, comments, `.Field`, function calls, literals, pipelines and parentheses.

import { AzchrootError } from '../errors.js';

/** A Go-template syntax or execution error; the message follows Go's `template: root:L:C: ...` shape. */
export class GoTemplateError extends AzchrootError {
  constructor(message: string) {
    super('AZC_GO_TEMPLATE', message, 'user', { exitCode: 2 });
  }
}

export type Operand =
  | { kind: 'ident'; name: string; at: number }
  | { kind: 'field'; name: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; text: string; at: number }
  | { kind: 'bool'; value: boolean; at: number }
  | { kind: 'pipe'; pipe: Command[]; at: number };

/** One command of a pipeline: a function call (first operand an identifier) or a single value. */
export type Command = Operand[];

export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Command[]; at: number; source: string };

const UNSUPPORTED = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil']);
const SPACE = /[ \t\r\n]/;

/** `template: root:L:C: msg` for the character offset `at` of `text`. */
export function positionedError(text: string, at: number, msg: string): GoTemplateError {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  return new GoTemplateError(`template: root:${line}:${column}: ${msg}`);
}

/** Parses a whole template into text and action nodes. Throws GoTemplateError on syntax errors. */
export function parseGoTemplate(text: string): TemplateNode[] {
  const nodes: TemplateNode[] = [];
  let i = 0;
  let trimNext = false;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    let chunk = open < 0 ? text.slice(i) : text.slice(i, open);
    if (trimNext) chunk = chunk.replace(/^[ \t\r\n]+/, '');
    trimNext = false;
    if (open < 0) {
      if (chunk) nodes.push({ kind: 'text', text: chunk });
      break;
    }
    let start = open + 2;
    // `{{- ` trims the preceding text; the dash must be followed by a space (`{{-3}}` is a number).
    if (text[start] === '-' && SPACE.test(text[start + 1] ?? '')) {
      chunk = chunk.replace(/[ \t\r\n]+$/, '');
      start += 2;
    }
    if (chunk) nodes.push({ kind: 'text', text: chunk });
    const parsed = parseAction(text, start);
    if (parsed.node) nodes.push(parsed.node);
    i = parsed.end;
    trimNext = parsed.trimRight;
  }
  return nodes;
}

interface Token { type: 'ident' | 'field' | 'string' | 'raw' | 'number' | 'pipe' | 'lparen' | 'rparen' | 'var'; value: string; at: number }

function parseAction(text: string, start: number): { node?: TemplateNode; end: number; trimRight: boolean } {
  let i = start;
  while (SPACE.test(text[i] ?? '')) i++;
  if (text.startsWith('/*', i)) {
    const close = text.indexOf('*/', i + 2);
    if (close < 0) throw positionedError(text, i, 'unclosed comment');
    const after = close + 2;
    if (text.startsWith('}}', after)) return { end: after + 2, trimRight: false };
    if (SPACE.test(text[after] ?? '') && text.startsWith('-}}', after + 1)) return { end: after + 4, trimRight: true };
    throw positionedError(text, after, 'comment ends before closing delimiter');
  }
  const tokens: Token[] = [];
  for (;;) {
    while (SPACE.test(text[i] ?? '')) {
      if (text.startsWith('-}}', i + 1)) break;
      i++;
    }
    if (i >= text.length) throw positionedError(text, start, 'unclosed action');
    if (text.startsWith('}}', i)) { i += 2; return finish(false); }
    if (SPACE.test(text[i] ?? '') && text.startsWith('-}}', i + 1)) { i += 4; return finish(true); }
    const token = lexToken(text, i);
    tokens.push(token.token);
    i = token.end;
  }
  function finish(trimRight: boolean): { node?: TemplateNode; end: number; trimRight: boolean } {
    if (tokens.length === 0) throw positionedError(text, start, 'missing value for command');
    const cursor = { n: 0 };
    const pipe = parsePipeline(text, tokens, cursor, false);
    return { node: { kind: 'action', pipe, at: tokens[0]!.at, source: text.slice(start, i - (trimRight ? 4 : 2)).trim() }, end: i, trimRight };
  }
}

function lexToken(text: string, i: number): { token: Token; end: number } {
  const c = text[i]!;
  if (c === '|') return { token: { type: 'pipe', value: '|', at: i }, end: i + 1 };
  if (c === '(') return { token: { type: 'lparen', value: '(', at: i }, end: i + 1 };
  if (c === ')') return { token: { type: 'rparen', value: ')', at: i }, end: i + 1 };
  if (c === '`') {
    const close = text.indexOf('`', i + 1);
    if (close < 0) throw positionedError(text, i, 'unterminated raw quoted string');
    return { token: { type: 'raw', value: text.slice(i + 1, close), at: i }, end: close + 1 };
  }
  if (c === '"') return lexQuoted(text, i);
  const word = /^(?:\.[A-Za-z_][A-Za-z0-9_]*|\$[A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*|[-+]?(?:0[xX][0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+))/.exec(text.slice(i));
  if (!word) throw positionedError(text, i, `unexpected ${JSON.stringify(c)} in command`);
  const value = word[0];
  const type: Token['type'] = value.startsWith('.') && !/^\.[0-9]/.test(value) ? 'field' : value.startsWith('$') ? 'var' : /^[A-Za-z_]/.test(value) ? 'ident' : 'number';
  return { token: { type, value, at: i }, end: i + value.length };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };

// Go interpreted string literal: single line, backslash escapes (\n, \xHH, \uHHHH, \UHHHHHHHH, \ooo).
function lexQuoted(text: string, start: number): { token: Token; end: number } {
  let out = '';
  let i = start + 1;
  for (;;) {
    const c = text[i];
    if (c === undefined || c === '\n') throw positionedError(text, start, 'unterminated quoted string');
    if (c === '"') return { token: { type: 'string', value: out, at: start }, end: i + 1 };
    if (c !== '\\') { out += c; i++; continue; }
    const e = text[i + 1] ?? '';
    if (e in ESCAPES) { out += ESCAPES[e]; i += 2; continue; }
    const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const digits = hexLen ? text.slice(i + 2, i + 2 + hexLen) : text.slice(i + 1, i + 4);
    if (hexLen && /^[0-9a-fA-F]+$/.test(digits) && digits.length === hexLen) {
      out += e === 'x' ? String.fromCharCode(parseInt(digits, 16)) : String.fromCodePoint(parseInt(digits, 16));
      i += 2 + hexLen;
    } else if (!hexLen && /^[0-7]{3}$/.test(digits)) {
      out += String.fromCharCode(parseInt(digits, 8));
      i += 4;
    } else {
      throw positionedError(text, i, `invalid syntax: unknown escape sequence \\${e}`);
    }
  }
}

function parsePipeline(text: string, tokens: Token[], cursor: { n: number }, nested: boolean): Command[] {
  const pipe: Command[] = [];
  let cmd: Command = [];
  for (;;) {
    const t = tokens[cursor.n];
    if (!t || t.type === 'rparen') {
      if (nested && !t) throw positionedError(text, tokens[tokens.length - 1]!.at, 'unclosed left paren');
      if (!nested && t) throw positionedError(text, t.at, 'unexpected right paren');
      if (cmd.length === 0) throw positionedError(text, t?.at ?? tokens[0]!.at, 'missing value for command');
      pipe.push(cmd);
      return pipe;
    }
    cursor.n++;
    switch (t.type) {
      case 'pipe':
        if (cmd.length === 0) throw positionedError(text, t.at, 'missing value for command');
        pipe.push(cmd);
        cmd = [];
        break;
      case 'lparen': {
        const inner = parsePipeline(text, tokens, cursor, true);
        cursor.n++; // the closing paren
        cmd.push({ kind: 'pipe', pipe: inner, at: t.at });
        break;
      }
      case 'var':
        throw positionedError(text, t.at, `template variables (${t.value}) are not supported; use functions and .Fields only`);
      case 'ident':
        if (UNSUPPORTED.has(t.value)) throw positionedError(text, t.at, `"${t.value}" is not supported: azchroot templates support text, .Fields, functions and pipelines only`);
        cmd.push(t.value === 'true' || t.value === 'false' ? { kind: 'bool', value: t.value === 'true', at: t.at } : { kind: 'ident', name: t.value, at: t.at });
        break;
      case 'field':
        cmd.push({ kind: 'field', name: t.value.slice(1), at: t.at });
        break;
      case 'string':
      case 'raw':
        cmd.push({ kind: 'string', value: t.value, at: t.at });
        break;
      case 'number':
        cmd.push({ kind: 'number', text: t.value, at: t.at });
        break;
    }
  }
}
