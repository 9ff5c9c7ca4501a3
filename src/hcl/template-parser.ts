// Parser for HCL templates: literal text, ${...} interpolations, %{if}/%{for} directives with
// ~ strip markers, $${ and %%{ escapes. Three flavours: a whole hcl2json string, a quoted string
// inside an expression (backslash escapes, ends at "), and a heredoc body.

import type { Expr, TemplatePart } from './ast.js';
import { acceptOp, type Cursor, describe, expectIdent, nextToken } from './lexer.js';
import { parseExpression } from './parser.js';
import { HclError } from './values.js';

type Mode = 'top' | 'quoted';

type Flat =
  | { kind: 'text'; text: string }
  | { kind: 'interp'; expr: Expr; stripL: boolean; stripR: boolean }
  | { kind: 'dir'; word: 'if' | 'else' | 'endif' | 'for' | 'endfor'; stripL: boolean; stripR: boolean; pos: number; cond?: Expr; keyVar?: string; valVar?: string; collection?: Expr };

/** Parses a complete hcl2json string as a template. */
export function parseTemplateSource(src: string): TemplatePart[] {
  const c: Cursor = { src, pos: 0 };
  return nest(strip(scan(c, 'top')), src);
}

/** Parses a quoted string whose opening quote was consumed; leaves the cursor after the closing quote. */
export function parseQuotedTemplate(c: Cursor): TemplatePart[] {
  return nest(strip(scan(c, 'quoted')), c.src);
}

/** Parses a heredoc body (cursor just after the `<<EOT` line); leaves the cursor after the marker line. */
export function parseHeredocBody(c: Cursor, marker: string, indented: boolean): TemplatePart[] {
  const s = c.src;
  let lineStart = c.pos;
  const lines: string[] = [];
  for (;;) {
    if (lineStart >= s.length) throw new HclError('Unterminated template string', `The heredoc is not closed by a line containing only "${marker}".`, c.pos);
    const nl = s.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? s.length : nl;
    const line = s.slice(lineStart, lineEnd);
    if (line.trim() === marker) {
      c.pos = lineEnd;
      break;
    }
    lines.push(s.slice(lineStart, nl < 0 ? s.length : nl + 1));
    lineStart = lineEnd + 1;
  }
  let body = lines.join('');
  if (indented) {
    // <<- removes the smallest indentation shared by all non-blank lines.
    const widths = lines.filter((l) => l.trim() !== '').map((l) => (/^[ \t]*/.exec(l) as RegExpExecArray)[0].length);
    const cut = widths.length ? Math.min(...widths) : 0;
    body = lines.map((l) => l.slice(Math.min(cut, (/^[ \t]*/.exec(l) as RegExpExecArray)[0].length))).join('');
  }
  return parseTemplateSource(body);
}

function scan(c: Cursor, mode: Mode): Flat[] {
  const s = c.src;
  const out: Flat[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ kind: 'text', text });
    text = '';
  };
  for (;;) {
    if (c.pos >= s.length) {
      if (mode === 'quoted') throw new HclError('Unterminated template string', 'A quoted string is not closed with a double quote (").', c.pos);
      break;
    }
    const ch = s[c.pos] as string;
    if (mode === 'quoted' && ch === '"') {
      c.pos++;
      break;
    }
    if (mode === 'quoted' && ch === '\\') {
      text += readEscape(c);
      continue;
    }
    if ((ch === '$' || ch === '%') && s[c.pos + 1] === ch && s[c.pos + 2] === '{') {
      text += ch + '{';
      c.pos += 3;
      continue;
    }
    if ((ch === '$' || ch === '%') && s[c.pos + 1] === '{') {
      flush();
      const start = c.pos;
      c.pos += 2;
      const stripL = s[c.pos] === '~';
      if (stripL) c.pos++;
      out.push(ch === '$' ? readInterp(c, stripL) : readDirective(c, stripL, start));
      continue;
    }
    text += ch;
    c.pos++;
  }
  flush();
  return out;
}

function readInterp(c: Cursor, stripL: boolean): Flat {
  const expr = parseExpression(c);
  const stripR = acceptOp(c, '~');
  const close = nextToken(c);
  if (close.type !== 'op' || close.value !== '}') {
    throw new HclError('Extra characters after interpolation expression', `Expected "}" to close the interpolation, found ${describe(close)}.`, close.pos);
  }
  return { kind: 'interp', expr, stripL, stripR };
}

function readDirective(c: Cursor, stripL: boolean, pos: number): Flat {
  const w = expectIdent(c, 'after "%{"');
  const word = w.value;
  let d: Flat;
  if (word === 'if') {
    d = { kind: 'dir', word, cond: parseExpression(c), stripL, stripR: false, pos };
  } else if (word === 'for') {
    let valVar = expectIdent(c, 'after "for"').value;
    let keyVar: string | undefined;
    if (acceptOp(c, ',')) {
      keyVar = valVar;
      valVar = expectIdent(c, 'after "," in a for directive').value;
    }
    const inTok = nextToken(c);
    if (inTok.type !== 'ident' || inTok.value !== 'in') {
      throw new HclError('Invalid "for" directive', `Expected "in" after the iterator names, found ${describe(inTok)}.`, inTok.pos);
    }
    d = { kind: 'dir', word, keyVar, valVar, collection: parseExpression(c), stripL, stripR: false, pos };
  } else if (word === 'else' || word === 'endif' || word === 'endfor') {
    d = { kind: 'dir', word, stripL, stripR: false, pos };
  } else {
    throw new HclError('Invalid template directive', `"${word}" is not a template directive; use if, else, endif, for or endfor.`, w.pos);
  }
  d.stripR = acceptOp(c, '~');
  const close = nextToken(c);
  if (close.type !== 'op' || close.value !== '}') {
    throw new HclError('Invalid template directive', `Expected "}" to close the %{${word}} directive, found ${describe(close)}.`, close.pos);
  }
  return d;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

function readEscape(c: Cursor): string {
  const s = c.src;
  const e = s[c.pos + 1] ?? '';
  if (e in ESCAPES) {
    c.pos += 2;
    return ESCAPES[e] as string;
  }
  const hexLen = e === 'u' ? 4 : e === 'U' ? 8 : 0;
  const hex = s.slice(c.pos + 2, c.pos + 2 + hexLen);
  if (hexLen && /^[0-9a-fA-F]+$/.test(hex) && hex.length === hexLen) {
    c.pos += 2 + hexLen;
    return String.fromCodePoint(parseInt(hex, 16));
  }
  throw new HclError('Invalid escape sequence', `The symbol "\\${e}" is not a valid escape sequence; use \\n, \\r, \\t, \\", \\\\, \\uNNNN or \\UNNNNNNNN.`, c.pos);
}

/** Applies ~ strip markers: trailing whitespace before `${~`/`%{~`, leading whitespace after `~}`. */
function strip(items: Flat[]): Flat[] {
  items.forEach((it, i) => {
    if (it.kind === 'text') return;
    const prev = items[i - 1];
    const next = items[i + 1];
    if (it.stripL && prev?.kind === 'text') prev.text = prev.text.replace(/\s+$/u, '');
    if (it.stripR && next?.kind === 'text') next.text = next.text.replace(/^\s+/u, '');
  });
  return items;
}

/** Turns the flat sequence into nested if/for parts, checking that directives are balanced. */
function nest(items: Flat[], src: string): TemplatePart[] {
  let i = 0;
  const block = (closers: string[]): { parts: TemplatePart[]; closer?: Flat & { kind: 'dir' } } => {
    const parts: TemplatePart[] = [];
    while (i < items.length) {
      const it = items[i++] as Flat;
      if (it.kind === 'text') {
        if (it.text) parts.push({ kind: 'text', text: it.text });
      } else if (it.kind === 'interp') {
        parts.push({ kind: 'interp', expr: it.expr });
      } else if (closers.includes(it.word)) {
        return { parts, closer: it };
      } else if (it.word === 'if') {
        const a = block(['else', 'endif']);
        let other: TemplatePart[] = [];
        if (a.closer?.word === 'else') other = block(['endif']).parts;
        parts.push({ kind: 'if', cond: it.cond as Expr, then: a.parts, else: other, pos: it.pos });
      } else if (it.word === 'for') {
        const b = block(['endfor']);
        parts.push({ kind: 'for', keyVar: it.keyVar, valVar: it.valVar as string, collection: it.collection as Expr, body: b.parts, pos: it.pos });
      } else {
        throw new HclError('Unexpected template directive', `The %{${it.word}} directive has no matching opening directive.`, it.pos);
      }
    }
    if (closers.length) {
      throw new HclError('Unterminated template directive', `Expected %{${closers[closers.length - 1]}} before the end of the template "${shorten(src)}".`, src.length);
    }
    return { parts };
  };
  return block([]).parts;
}

function shorten(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
