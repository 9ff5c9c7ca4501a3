// Our parser for the body structure of HCL native syntax: attributes, blocks, labels, quoted
// strings, heredocs, templates and comments, with exact positions. It produces what the loader
// reads directly: the body in the shape @cdktn/hcl2json gives (blocks as `type -> labels -> [bodies]`,
// literals as JSON values, templates as template strings, any other expression as "${source}"),
// and the tree of positions (hcl-scanner.ts's ScannedBody). Expressions are checked with our HCL
// expression parser (src/hcl). Syntax errors are worded as HCL words them.
// test/unit/template/hcl-body-parser.test.ts holds it to @cdktn/hcl2json on the examples, the
// fixtures and a generated corpus.

import type { SourcePos } from '../diagnostics.js';
import { parseExpressionSource } from '../hcl/parser.js';
import type { ScannedBody } from './hcl-scanner.js';

export interface BodySyntaxError {
  summary: string;
  detail: string;
  pos: SourcePos;
}

export type ParsedBody =
  | { ok: true; body: Record<string, unknown>; tree: ScannedBody }
  /** Errors in source order: parsing goes on after an error that leaves the structure clear (a redefined argument). */
  | { ok: false; errors: BodySyntaxError[] };

class Fail extends Error {
  constructor(
    readonly summary: string,
    readonly detail: string,
    readonly offset: number,
  ) {
    super(summary);
  }
}

/** Characters that can continue an expression after an operand: operators, traversals, a conditional. */
const CONTINUES = /[-+*\/%<>=!&|?.\[:]/;
const IDENT_START = /[\p{ID_Start}_]/u;
const IDENT_PART = /[\p{ID_Continue}_-]/u;

/** Parses a whole `.pkr.hcl`/`.pkrvars.hcl` file. */
export function parseHclBody(file: string, text: string): ParsedBody {
  const p = new Parser(file, text);
  const toError = (e: Fail): BodySyntaxError => ({ summary: e.summary, detail: e.detail, pos: p.posAt(e.offset) });
  try {
    const { body, tree } = p.body(false);
    if (p.errors.length === 0) return { ok: true, body, tree };
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    p.errors.push(e);
  }
  return { ok: false, errors: p.errors.map(toError) };
}

type Part = { kind: 'text'; text: string } | { kind: 'rendered'; text: string };
/** A template part as hcl2json renders it: literal text (escaped again) or a ${...}/%{...} chunk. */
interface Template {
  parts: Part[];
  /** The template is exactly one interpolation: its value converted as an expression. */
  single?: unknown;
}

class Parser {
  i = 0;
  /** Errors after which parsing went on. */
  readonly errors: Fail[] = [];
  private lineStarts: number[] = [0];
  constructor(
    readonly file: string,
    readonly s: string,
  ) {
    for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) === 10) this.lineStarts.push(k + 1);
  }

  posAt(offset: number): SourcePos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }

  private range(from: number, to: number): string {
    const a = this.posAt(from);
    const b = this.posAt(to);
    return `${this.file}:${a.line},${a.column}-${b.line === a.line ? '' : `${b.line},`}${b.column}`;
  }

  // ---- spaces and comments ----

  /** Skips spaces and comments on this line (a block comment may span lines); stops at a newline. */
  private inlineSpace(): void {
    const s = this.s;
    for (;;) {
      const c = s[this.i];
      if (c === ' ' || c === '\t' || c === '\r') this.i++;
      else if (c === '#' || (c === '/' && s[this.i + 1] === '/')) {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else if (c === '/' && s[this.i + 1] === '*') {
        const end = s.indexOf('*/', this.i + 2);
        if (end < 0) throw new Fail('Unterminated comment', 'There is no closing marker for this comment.', this.i);
        this.i = end + 2;
      } else return;
    }
  }

  private allSpace(): void {
    for (;;) {
      this.inlineSpace();
      if (this.s[this.i] === '\n') this.i++;
      else return;
    }
  }

  private ident(): string | undefined {
    const s = this.s;
    if (this.i >= s.length || !IDENT_START.test(s[this.i]!)) return undefined;
    const start = this.i;
    this.i++;
    while (this.i < s.length && IDENT_PART.test(s[this.i]!)) this.i++;
    return s.slice(start, this.i);
  }

  // ---- bodies ----

  body(closing: boolean, openAt = 0): { body: Record<string, unknown>; tree: ScannedBody } {
    const body: Record<string, unknown> = {};
    const tree: ScannedBody = { attributes: [], blocks: [] };
    const attrAt = new Map<string, [number, number]>();
    const s = this.s;
    for (;;) {
      this.allSpace();
      if (this.i >= s.length) {
        if (closing) {
          throw new Fail(
            'Unclosed configuration block',
            'There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.',
            openAt,
          );
        }
        return { body, tree };
      }
      if (s[this.i] === '}') {
        if (closing) {
          this.i++;
          return { body, tree };
        }
        throw new Fail('Argument or block definition required', 'An argument or block definition is required here.', this.i);
      }
      const start = this.i;
      const name = this.ident();
      if (name === undefined) throw new Fail('Argument or block definition required', 'An argument or block definition is required here.', this.i);
      const nameEnd = this.i;
      this.inlineSpace();
      if (s[this.i] === '=' && s[this.i + 1] !== '=') {
        this.i++;
        const prev = attrAt.get(name);
        const value = this.expression('attr');
        if (!prev && tree.blocks.some((b) => b.type === name)) {
          this.errors.push(new Fail('Unsupported argument', `"${name}" is a block of this body already; it cannot be an argument too.`, start));
        } else if (prev) {
          this.errors.push(new Fail('Attribute redefined', `The argument "${name}" was already set at ${this.range(prev[0], prev[1])}. Each argument may be set only once.`, start));
        } else {
          attrAt.set(name, [start, nameEnd]);
          body[name] = value;
          tree.attributes.push({ name, pos: this.posAt(start) });
        }
        this.endOfLine('Missing newline after argument', 'An argument definition must end with a newline.');
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        this.inlineSpace();
        const c = s[this.i];
        if (c === '"') {
          const at = this.i;
          this.i++;
          const t = this.quoted();
          if (t.single !== undefined || t.parts.some((p) => p.kind === 'rendered')) {
            throw new Fail('Invalid block label', 'Template sequences are not allowed in block labels.', at);
          }
          labels.push(unescapeLiteral(t.parts.map((p) => p.text).join('')));
        } else if (c !== undefined && IDENT_START.test(c)) {
          labels.push(this.ident()!);
        } else break;
      }
      if (s[this.i] !== '{') {
        const what = labels.length === 0 && s[this.i] !== '\n' && this.i < s.length ? 'An equals sign ("=") must follow an argument name, or a block' : 'A block definition';
        throw new Fail(
          labels.length === 0 ? 'Argument or block definition required' : 'Invalid block definition',
          labels.length === 0 ? `${what} requires an opening brace ("{") after its labels.` : 'Either a quoted string block label or an opening brace ("{") is expected here.',
          this.i,
        );
      }
      const open = this.i;
      this.i++;
      // A block that opens and closes on one line holds at most one argument.
      this.inlineSpace();
      let inner: { body: Record<string, unknown>; tree: ScannedBody };
      if (s[this.i] === '\n' || s[this.i] === '}') inner = this.body(true, open);
      else inner = this.singleLineBody(open);
      tree.blocks.push({ type: name, labels, pos: this.posAt(start), body: inner.tree });
      if (attrAt.has(name) || !addBlock(body, name, labels, inner.body)) {
        // HCL itself allows these; no schema that Packer templates use does, and the shape has no room for them.
        const first = tree.blocks.find((b) => b.type === name)!;
        this.errors.push(
          new Fail(
            attrAt.has(name) ? 'Unsupported block type' : 'Inconsistent block labels',
            attrAt.has(name)
              ? `"${name}" is an argument of this body already; it cannot be a block too.`
              : `Every "${name}" block in a body must have the same number of labels: the one at ${first.pos.line}:${first.pos.column} has ${first.labels.length}, this one ${labels.length}.`,
            start,
          ),
        );
      }
      this.endOfLine('Missing newline after block definition', 'A block definition must end with a newline.');
    }
  }

  private singleLineBody(open: number): { body: Record<string, unknown>; tree: ScannedBody } {
    const s = this.s;
    const start = this.i;
    const name = this.ident();
    if (name === undefined) throw new Fail('Argument or block definition required', 'An argument or block definition is required here.', this.i);
    this.inlineSpace();
    if (s[this.i] !== '=' || s[this.i + 1] === '=') {
      throw new Fail('Invalid single-argument block definition', 'A single-line block definition can contain only a single argument.', start);
    }
    this.i++;
    const value = this.expression('attr');
    this.inlineSpace();
    if (s[this.i] !== '}') {
      throw new Fail('Invalid single-argument block definition', 'A single-line block definition must end with a closing brace immediately after its single argument definition.', this.i < s.length ? this.i : open);
    }
    this.i++;
    return { body: { [name]: value }, tree: { attributes: [{ name, pos: this.posAt(start) }], blocks: [] } };
  }

  private endOfLine(summary: string, detail: string): void {
    this.inlineSpace();
    if (this.i >= this.s.length) return;
    if (this.s[this.i] === '\n') {
      this.i++;
      return;
    }
    throw new Fail(summary, detail, this.i);
  }

  // ---- expressions ----

  /**
   * Reads one expression and converts it as hcl2json does. `attr`: ends before a newline at depth
   * 0 (or a `}` closing a single-line block); `item`: inside a tuple, ends before `,` or `]`;
   * `value`: inside an object, ends before `,`, a newline or `}`; `key`: before `=` or `:`.
   */
  expression(ctx: 'attr' | 'item' | 'value' | 'key'): unknown {
    this.inlineSpace();
    if (ctx === 'item' || ctx === 'key') this.allSpace();
    const s = this.s;
    const start = this.i;
    if (start >= s.length || s[start] === '\n' || (ctx !== 'attr' && (s[start] === ',' || s[start] === '}' || s[start] === ']'))) {
      throw new Fail('Invalid expression', 'Expected the start of an expression, but found ' + (start >= s.length ? 'the end of the file.' : 'an invalid token.'), start);
    }
    // A lone literal, template, tuple or object is converted; anything else is kept as source.
    const primary = this.tryStructured(ctx);
    if (primary !== NOT_STRUCTURED) {
      const after = this.i;
      this.inlineSpace();
      if (ctx === 'item' || ctx === 'key') this.allSpace();
      // Nothing that continues an expression follows: it ends here (what follows is the caller's).
      if (this.atEnd(ctx) || !CONTINUES.test(this.s[this.i] ?? '')) {
        this.i = after;
        return primary.value;
      }
    }
    this.i = start;
    const end = this.skipExpression(ctx);
    const source = s.slice(start, end);
    this.check(source, start);
    return `\${${source}}`;
  }

  private atEnd(ctx: 'attr' | 'item' | 'value' | 'key'): boolean {
    const c = this.s[this.i];
    if (this.i >= this.s.length) return true;
    switch (ctx) {
      case 'attr':
        return c === '\n' || c === '}';
      case 'item':
        return c === ',' || c === ']';
      case 'value':
        return c === ',' || c === '\n' || c === '}';
      case 'key':
        return c === '=' || (c === ':' && this.s[this.i + 1] !== ':');
    }
  }

  /** Checks an expression's syntax with our expression parser; errors point into the file. */
  private check(source: string, offset: number): void {
    try {
      parseExpressionSource(source);
    } catch (e) {
      const err = e as { summary?: string; detail?: string; offset?: number };
      if (typeof err.summary !== 'string') throw e;
      throw new Fail(err.summary, err.detail ?? '', offset + (err.offset ?? 0));
    }
  }

  private tryStructured(ctx: 'attr' | 'item' | 'value' | 'key'): { value: unknown } | typeof NOT_STRUCTURED {
    const s = this.s;
    const c = s[this.i]!;
    if (c === '"') {
      this.i++;
      const t = this.quoted();
      return { value: templateValue(t) };
    }
    if (s.startsWith('<<', this.i)) {
      const t = this.heredoc();
      if (t) return { value: templateValue(t) };
      return NOT_STRUCTURED;
    }
    if (/[0-9]/.test(c)) return this.number() ?? NOT_STRUCTURED;
    if (c === '-' || c === '!') {
      // A unary operator applied to a literal is folded: -1, !true.
      const save = this.i;
      this.i++;
      this.inlineSpace();
      let v: { value: unknown } | undefined;
      if (c === '-' && /[0-9]/.test(s[this.i] ?? '')) {
        const n = this.number();
        if (n && typeof n.value === 'number') v = { value: -n.value };
      } else if (c === '!') {
        const word = this.ident();
        if (word === 'true' || word === 'false') v = { value: word !== 'true' };
      } else if (c === '-') {
        const word = this.ident();
        if (word === 'true' || word === 'false' || word === 'null') {
          this.i = save;
          return NOT_STRUCTURED;
        }
      }
      if (v && !this.continuesTraversal()) return v;
      this.i = save;
      return NOT_STRUCTURED;
    }
    if (IDENT_START.test(c)) {
      const word = this.ident()!;
      // (An identifier object key is taken as its text by objectKey before this is reached.)
      if (ctx === 'key') return NOT_STRUCTURED;
      if ((word === 'true' || word === 'false' || word === 'null') && !this.continuesTraversal()) {
        return { value: word === 'null' ? null : word === 'true' };
      }
      return NOT_STRUCTURED;
    }
    if (c === '[') return this.tuple() ?? NOT_STRUCTURED;
    if (c === '{') return this.object() ?? NOT_STRUCTURED;
    return NOT_STRUCTURED;
  }

  private continuesTraversal(): boolean {
    const c = this.s[this.i];
    return c === '.' || c === '[' || c === '(';
  }

  private number(): { value: number } | undefined {
    const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) return undefined;
    this.i += m[0].length;
    if (this.continuesTraversal() || IDENT_PART.test(this.s[this.i] ?? '')) return undefined;
    return { value: Number(m[0]) };
  }

  /** A `for` expression starts here; it is kept as source. */
  private atForKeyword(): boolean {
    return this.s.startsWith('for', this.i) && !IDENT_PART.test(this.s[this.i + 3] ?? '');
  }

  private tuple(): { value: unknown[] } | undefined {
    const save = this.i;
    this.i++;
    this.allSpace();
    if (this.atForKeyword()) {
      this.i = save;
      return undefined;
    }
    const items: unknown[] = [];
    for (;;) {
      this.allSpace();
      if (this.s[this.i] === ']') {
        this.i++;
        return { value: items };
      }
      items.push(this.expression('item'));
      this.allSpace();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === ']') continue;
      throw new Fail('Missing item separator', 'Expected a comma to mark the beginning of the next item.', this.i < this.s.length ? this.i : save);
    }
  }

  private object(): { value: Record<string, unknown> } | undefined {
    const save = this.i;
    this.i++;
    this.allSpace();
    if (this.atForKeyword()) {
      this.i = save;
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (;;) {
      this.allSpace();
      if (this.s[this.i] === '}') {
        this.i++;
        return { value: out };
      }
      const keyStart = this.i;
      const key = this.objectKey();
      this.inlineSpace();
      const sep = this.s[this.i];
      if (sep !== '=' && sep !== ':') {
        throw new Fail('Missing key/value separator', 'Expected an equals sign ("=") to mark the beginning of the attribute value.', this.i < this.s.length ? this.i : keyStart);
      }
      this.i++;
      out[key] = this.expression('value');
      this.inlineSpace();
      const c = this.s[this.i];
      if (c === ',' || c === '\n') {
        this.i++;
        continue;
      }
      if (c === '}') continue;
      throw new Fail('Missing attribute separator', 'Expected a newline or comma to mark the beginning of the next attribute.', this.i < this.s.length ? this.i : keyStart);
    }
  }

  /** An object key as hcl2json writes it: an identifier or traversal as its text, a string as its value, anything else as "${...}". */
  private objectKey(): string {
    const s = this.s;
    const start = this.i;
    const word = this.ident();
    if (word !== undefined) {
      // `a.b.c` keys are traversals; their text is the key.
      while (s[this.i] === '.' && IDENT_START.test(s[this.i + 1] ?? '')) {
        this.i++;
        this.ident();
      }
      const save = this.i;
      this.inlineSpace();
      if (this.atEnd('key')) {
        this.i = save;
        return s.slice(start, save);
      }
      this.i = start;
    }
    const v = this.expression('key');
    if (typeof v === 'string') return v;
    return v === null ? 'null' : String(v);
  }

  /**
   * Skips an expression in context `ctx`, honouring brackets, strings, heredocs and templates;
   * returns where its last token ends (before trailing spaces and comments).
   */
  private skipExpression(ctx: 'attr' | 'item' | 'value' | 'key'): number {
    const s = this.s;
    const stack: string[] = [];
    const start = this.i;
    let end = start;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (stack.length === 0 && this.atEnd(ctx)) return end;
      if (c === '#' || (c === '/' && (s[this.i + 1] === '/' || s[this.i + 1] === '*'))) {
        this.inlineSpace();
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
        this.i++;
        continue;
      }
      if (c === '"') {
        this.i++;
        this.quoted();
      } else if (s.startsWith('<<', this.i) && this.heredoc()) {
        end = this.i;
        continue;
      } else if (c === '(' || c === '[' || c === '{') {
        stack.push(c === '(' ? ')' : c === '[' ? ']' : '}');
        this.i++;
      } else if (c === ')' || c === ']' || c === '}') {
        if (stack.length === 0 || stack[stack.length - 1] !== c) {
          this.check(s.slice(start, this.i + 1), start);
          throw new Fail('Invalid expression', `Unexpected "${c}".`, this.i);
        }
        stack.pop();
        this.i++;
      } else this.i++;
      end = this.i;
    }
    if (stack.length > 0) {
      throw new Fail('Unclosed bracket', `There is no closing "${stack[stack.length - 1]}" for this expression before the end of the file.`, start);
    }
    return end;
  }

  // ---- templates ----

  /** A quoted template; the opening quote is consumed. Leaves the cursor after the closing quote. */
  quoted(): Template {
    const open = this.i - 1;
    return this.template((c) => {
      if (c === '"') return 'end';
      if (c === '\n') {
        throw new Fail(
          'Invalid multi-line string',
          'Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \\n escape to represent a newline character or use the "heredoc" multi-line template syntax.',
          this.i,
        );
      }
      if (c === undefined) throw new Fail('Unterminated template string', 'No closing marker was found for the string.', open);
      return undefined;
    }, true);
  }

  /** A heredoc at the cursor (`<<EOT` / `<<-EOT`); undefined when the cursor is not at one. */
  private heredoc(): Template | undefined {
    const s = this.s;
    const m = /^<<(-?)([\p{ID_Start}_][\p{ID_Continue}_-]*)\r?\n/u.exec(s.slice(this.i, this.i + 300));
    if (!m) return undefined;
    const open = this.i;
    const marker = m[2]!;
    const flush = m[1] === '-';
    const bodyStart = this.i + m[0].length;
    // The body ends before the first line that holds only the marker (and spaces).
    let lineStart = bodyStart;
    let bodyEnd = -1;
    let after = -1;
    while (lineStart <= s.length) {
      const nl = s.indexOf('\n', lineStart);
      const lineEnd = nl < 0 ? s.length : nl;
      if (s.slice(lineStart, lineEnd).replace(/\r$/, '').trim() === marker) {
        bodyEnd = lineStart;
        after = lineEnd;
        break;
      }
      if (nl < 0) break;
      lineStart = nl + 1;
    }
    if (bodyEnd < 0) {
      throw new Fail('Unterminated template string', `No closing marker was found for the string.`, open);
    }
    let text = s.slice(bodyStart, bodyEnd);
    if (flush) {
      const lines = text.split('\n');
      const last = lines.pop(); // '' after the final newline
      const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
      const cut = indents.length ? Math.min(...indents) : 0;
      // Lines of spaces only neither count nor lose their indentation.
      text = `${lines.map((l) => (l.trim() === '' ? l : l.slice(cut))).join('\n')}\n${last ?? ''}`;
    }
    const sub = new Parser(this.file, text);
    const t = sub.template((c) => (c === undefined ? 'end' : undefined), false, (offset) => bodyStart + offset);
    this.i = after;
    return t;
  }

  /**
   * Reads template parts until `stop` says 'end' (the end char is consumed). Quoted templates
   * decode backslash escapes; heredocs do not. Strip markers (`~`) trim the neighbouring literal text.
   */
  template(stop: (c: string | undefined) => 'end' | undefined, quoted: boolean, outer?: (offset: number) => number): Template {
    const s = this.s;
    const at = (o: number) => (outer ? outer(o) : o);
    type Flat = { kind: 'text'; text: string } | { kind: 'seq'; text: string; stripL: boolean; stripR: boolean; value?: unknown; directive?: Directive };
    const flat: Flat[] = [];
    let text = '';
    const flush = () => {
      if (text) flat.push({ kind: 'text', text });
      text = '';
    };
    for (;;) {
      const c = s[this.i];
      if (stop(c) === 'end') {
        if (c !== undefined) this.i++;
        break;
      }
      if (quoted && c === '\\') {
        text += this.escape(at);
        continue;
      }
      if ((c === '$' || c === '%') && s[this.i + 1] === c && s[this.i + 2] === '{') {
        text += `${c}${c}{`;
        this.i += 3;
        continue;
      }
      if ((c === '$' || c === '%') && s[this.i + 1] === '{') {
        flush();
        const seqStart = this.i;
        this.i += 2;
        let stripL = false;
        if (s[this.i] === '~') {
          stripL = true;
          this.i++;
        }
        const exprStart = this.i;
        const exprEnd = this.skipSequence(at(seqStart));
        let inner = s.slice(exprStart, exprEnd);
        let stripR = false;
        if (inner.endsWith('~')) {
          stripR = true;
          inner = inner.slice(0, -1);
        }
        const trimmed = inner.trim();
        const innerAt = at(exprStart + (inner.length - inner.trimStart().length));
        if (c === '$') {
          if (trimmed === '') throw new Fail('Invalid expression', 'Expected the start of an expression, but found an invalid token.', at(exprEnd));
          this.check(trimmed, innerAt);
          flat.push({ kind: 'seq', text: `\${${trimmed}}`, stripL, stripR, value: wholeValue(trimmed, this.file) });
        } else {
          flat.push({ kind: 'seq', text: '', stripL, stripR, directive: { ...this.directive(trimmed, innerAt), at: at(seqStart) } });
        }
        continue;
      }
      text += c;
      this.i++;
    }
    flush();
    // Strip markers.
    for (let k = 0; k < flat.length; k++) {
      const f = flat[k]!;
      if (f.kind !== 'seq') continue;
      const prev = flat[k - 1];
      const next = flat[k + 1];
      if (f.stripL && prev?.kind === 'text') prev.text = prev.text.replace(/\s+$/, '');
      if (f.stripR && next?.kind === 'text') next.text = next.text.replace(/^\s+/, '');
    }
    return nestDirectives(flat.filter((f) => f.kind !== 'text' || f.text !== ''), this.file);
  }

  private directive(src: string, offset: number): Directive {
    const m = /^(if|else|endif|for|endfor)\b\s*(.*)$/s.exec(src);
    if (!m) throw new Fail('Invalid template directive', 'A template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence.', offset);
    const word = m[1] as Directive['word'];
    const rest = m[2]!.trim();
    if (word === 'if') {
      if (!rest) throw new Fail('Invalid expression', 'Expected the start of an expression, but found an invalid token.', offset);
      this.check(rest, offset + src.indexOf(rest, 2));
      return { word, cond: rest };
    }
    if (word === 'for') {
      const f = /^([\p{ID_Start}_][\p{ID_Continue}_-]*)(?:\s*,\s*([\p{ID_Start}_][\p{ID_Continue}_-]*))?\s+in\s+(.+)$/su.exec(rest);
      if (!f) throw new Fail('Invalid template directive', 'A "for" directive needs a variable name, "in", and a collection expression.', offset);
      this.check(f[3]!.trim(), offset + src.indexOf(f[3]!));
      return f[2] ? { word, keyVar: f[1]!, valVar: f[2], coll: f[3]!.trim() } : { word, valVar: f[1]!, coll: f[3]!.trim() };
    }
    if (rest) throw new Fail('Extra characters after directive', `"${word}" takes nothing after it.`, offset);
    return { word };
  }

  /** From just after `${`/`%{`, the offset of the matching `}`; the cursor goes past it. */
  private skipSequence(openAt: number): number {
    const s = this.s;
    let depth = 0;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === '"') {
        this.i++;
        this.quoted();
        continue;
      }
      if (s.startsWith('<<', this.i) && this.heredoc()) continue;
      // A comment inside a sequence runs to the end of its line, closing brace and quote included.
      if (c === '#' || (c === '/' && (s[this.i + 1] === '/' || s[this.i + 1] === '*'))) {
        this.inlineSpace();
        continue;
      }
      if (c === '{' || c === '(' || c === '[') depth++;
      else if (c === ')' || c === ']') depth--;
      else if (c === '}') {
        if (depth === 0) {
          this.i++;
          return this.i - 1;
        }
        depth--;
      }
      this.i++;
    }
    throw new Fail('Unterminated template string', 'No closing marker was found for the string.', openAt);
  }

  private escape(at: (o: number) => number): string {
    const s = this.s;
    const c = s[this.i + 1];
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
    if (c !== undefined && simple[c] !== undefined) {
      this.i += 2;
      return simple[c]!;
    }
    if (c === 'u' || c === 'U') {
      const n = c === 'u' ? 4 : 8;
      const hex = s.slice(this.i + 2, this.i + 2 + n);
      if (/^[0-9A-Fa-f]+$/.test(hex) && hex.length === n) {
        this.i += 2 + n;
        return String.fromCodePoint(parseInt(hex, 16));
      }
    }
    throw new Fail('Invalid escape sequence', `The symbol "${c ?? ''}" is not a valid escape sequence selector.`, at(this.i));
  }
}

/** The expression is not one of the shapes hcl2json converts: it is kept as "${source}". */
const NOT_STRUCTURED = Symbol('not structured');

interface Directive {
  word: 'if' | 'else' | 'endif' | 'for' | 'endfor';
  /** Offset of its `%{` in the file. */
  at?: number;
  cond?: string;
  keyVar?: string;
  valVar?: string;
  coll?: string;
}

/** Nests if/else/endif and for/endfor and renders them as hcl2json does. */
function nestDirectives(flat: ({ kind: 'text'; text: string } | { kind: 'seq'; text: string; value?: unknown; directive?: Directive })[], file: string): Template {
  let k = 0;
  const parts = (until: readonly string[]): { parts: Part[]; ended?: string } => {
    const out: Part[] = [];
    while (k < flat.length) {
      const f = flat[k++]!;
      if (f.kind === 'text') {
        out.push({ kind: 'text', text: f.text });
        continue;
      }
      const d = f.directive;
      if (!d) {
        out.push({ kind: 'rendered', text: renderPart(f.text.slice(2, -1), file) });
        continue;
      }
      if (until.includes(d.word)) return { parts: out, ended: d.word };
      if (d.word === 'if') {
        const then = parts(['else', 'endif']);
        let otherwise: Part[] = [];
        if (then.ended === 'else') {
          const e = parts(['endif']);
          if (e.ended !== 'endif') throw unclosed(d);
          otherwise = e.parts;
        } else if (then.ended !== 'endif') throw unclosed(d);
        const elseText = render(otherwise);
        out.push({ kind: 'rendered', text: `%{if ${d.cond}}${render(then.parts)}${elseText ? `%{else}${elseText}` : ''}%{endif}` });
      } else if (d.word === 'for') {
        const body = parts(['endfor']);
        if (body.ended !== 'endfor') throw unclosed(d);
        out.push({ kind: 'rendered', text: `%{for ${d.keyVar ? `${d.keyVar}, ` : ''}${d.valVar} in ${d.coll}}${render(body.parts)}%{endfor}` });
      } else {
        const opener = d.word === 'endfor' ? 'for' : 'if';
        throw new Fail(`Unexpected "${d.word}" directive`, `There is no open "${opener}" directive for this "${d.word}".`, d.at ?? 0);
      }
    }
    return { parts: out };
  };
  const top = parts([]);
  const only = flat.length === 1 && flat[0]!.kind === 'seq' && !flat[0]!.directive ? flat[0] : undefined;
  return only && only.kind === 'seq' ? { parts: top.parts, single: only.value } : { parts: top.parts };
}

function unclosed(d: Directive): Fail {
  return new Fail('Unexpected end of template', `The ${d.word} directive is missing its corresponding end${d.word} directive.`, d.at ?? 0);
}

/** A part's text: literal text as it is (escapes kept as written), sequences as rendered. */
function render(parts: Part[]): string {
  return parts.map((p) => p.text).join('');
}

/** A template that is one interpolation: its expression converted as an attribute's would be. */
function wholeValue(source: string, file: string): unknown {
  const p = new Parser(file, source);
  try {
    const v = p.expression('attr');
    if (p.i === source.length) return v;
  } catch {
    // checked and reported by the caller
  }
  return undefined;
}

/** An interpolation's converted value; undefined when it stays "${source}". */
function convertInterpolation(source: string, file: string): unknown {
  // `${"..."}`, `${1}`, `${true}` wrap a literal or a template: hcl2json converts what they wrap.
  const p = new Parser(file, source);
  if (source[0] === '"') {
    p.i = 1;
    try {
      const t = p.quoted();
      if (p.i === source.length) return templateValue(t);
    } catch {
      return undefined;
    }
    return undefined;
  }
  if (/^(?:[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)$/.test(source)) return Number(source);
  if (source === 'true' || source === 'false') return source === 'true';
  if (source === 'null') return null;
  return undefined;
}

/**
 * How an interpolation reads inside a longer template, as hcl2json writes it: a literal as its
 * string, a quoted template rendered, a conditional as an %{if} directive, anything else as ${...}.
 */
function renderPart(source: string, file: string): string {
  const value = convertInterpolation(source, file);
  if (value !== undefined) return String(value);
  const split = splitConditional(source);
  if (split) {
    const [cond, then, otherwise] = split;
    const elseText = renderPart(otherwise, file);
    return `%{if ${cond}}${renderPart(then, file)}${elseText ? `%{else}${elseText}` : ''}%{endif}`;
  }
  return `\${${source}}`;
}

/** `cond ? a : b` at the top level of an expression, as its three source texts; undefined otherwise. */
function splitConditional(source: string): [string, string, string] | undefined {
  let depth = 0;
  let question = -1;
  let nested = 0;
  for (let k = 0; k < source.length; k++) {
    const c = source[k]!;
    if (c === '"') {
      // Skip a quoted string with its templates: find its end by parsing it.
      const p = new Parser('', source);
      p.i = k + 1;
      try {
        p.quoted();
      } catch {
        return undefined;
      }
      k = p.i - 1;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && c === '?') {
      if (question < 0) question = k;
      else nested++;
    } else if (depth === 0 && c === ':' && question >= 0) {
      if (nested > 0) nested--;
      else return [source.slice(0, question).trim(), source.slice(question + 1, k).trim(), source.slice(k + 1).trim()];
    }
  }
  return undefined;
}

/** A whole template's value as hcl2json gives it. */
function templateValue(t: Template): unknown {
  if (t.single !== undefined) return t.single;
  return render(t.parts);
}

/** Literal text as a plain string (for labels): `$${` and `%%{` stand for `${` and `%{`. */
function unescapeLiteral(text: string): string {
  return text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** Adds a block body under `type -> labels...` as hcl2json nests them; false when the labels do not fit the blocks there. */
function addBlock(body: Record<string, unknown>, type: string, labels: string[], inner: Record<string, unknown>): boolean {
  let node: Record<string, unknown> = body;
  let key = type;
  for (const label of labels) {
    const next = (node[key] ??= {}) as unknown;
    if (typeof next !== 'object' || next === null || Array.isArray(next)) return false;
    node = next as Record<string, unknown>;
    key = label;
  }
  const list = (node[key] ??= []) as unknown;
  if (!Array.isArray(list)) return false;
  list.push(inner);
  return true;
}
