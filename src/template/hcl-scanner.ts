// A small lexer over HCL native syntax that records block headers (type, labels, position,
// nesting) and attribute names with positions. hcl2json drops both positions and the order of
// blocks across types, so diagnostics and provisioner order come from here.

import type { SourcePos } from '../diagnostics.js';
import type { KeyPath } from './model.js';

export interface ScannedAttribute {
  name: string;
  pos: SourcePos;
}

export interface ScannedBlock {
  type: string;
  labels: string[];
  pos: SourcePos;
  body: ScannedBody;
}

export interface ScannedBody {
  attributes: ScannedAttribute[];
  blocks: ScannedBlock[];
}

const IDENT = /[A-Za-z0-9_\-]/;

/** Scans `text` into a tree of bodies; tolerant: unexpected characters are skipped, never thrown. */
export function scanHcl(file: string, text: string): ScannedBody {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (offset = i): SourcePos => ({ file, line, column: offset - lineStart + 1 });
  const advance = (n = 1): void => {
    for (let k = 0; k < n && i < text.length; k++) {
      if (text[i] === '\n') {
        line++;
        lineStart = i + 1;
      }
      i++;
    }
  };
  const at = (s: string): boolean => text.startsWith(s, i);

  // Skips one comment if there is one here; returns whether it did. Line comments stop before the newline.
  const skipComment = (): boolean => {
    if (at('#') || at('//')) {
      while (i < text.length && text[i] !== '\n') advance();
      return true;
    }
    if (at('/*')) {
      advance(2);
      while (i < text.length && !at('*/')) advance();
      advance(2);
      return true;
    }
    return false;
  };
  const skipInlineSpace = (): void => {
    for (;;) {
      if (text[i] === ' ' || text[i] === '\t' || text[i] === '\r') advance();
      else if (!skipComment()) return;
    }
  };
  const skipAllSpace = (): void => {
    for (;;) {
      if (i < text.length && /\s/.test(text[i]!)) advance();
      else if (!skipComment()) return;
    }
  };

  // A quoted template: escapes, `$${`/`%%{` literals, and `${ ... }` / `%{ ... }` with nested expressions.
  const skipString = (): void => {
    advance();
    while (i < text.length) {
      if (text[i] === '\\') advance(2);
      else if (text[i] === '"' || text[i] === '\n') return advance();
      else if (at('$${') || at('%%{')) advance(3);
      else if (at('${') || at('%{')) {
        advance(2);
        skipExpression('}');
        advance();
      } else advance();
    }
  };
  // Heredoc: `<<EOT` or `<<-EOT`, ends at a line whose trimmed text is the marker.
  const skipHeredoc = (): boolean => {
    const m = /^<<-?([A-Za-z_][A-Za-z0-9_\-]*)[ \t]*\r?\n/.exec(text.slice(i, i + 200));
    if (!m) return false;
    const marker = m[1]!;
    advance(m[0].length);
    while (i < text.length) {
      const end = text.indexOf('\n', i);
      const lineText = text.slice(i, end === -1 ? text.length : end);
      // The newline after the closing marker ends the attribute: leave it for the caller.
      if (lineText.trim() === marker) return advance(lineText.length), true;
      advance(lineText.length + 1);
    }
    return true;
  };
  // Skips an expression until a newline at depth 0 or an unmatched closer; with `until`, until that closer at depth 0.
  const skipExpression = (until?: string): void => {
    const stack: string[] = [];
    while (i < text.length) {
      const c = text[i]!;
      if (stack.length === 0 && !until && c === '\n') return;
      if (skipComment()) continue;
      if (c === '"') skipString();
      else if (at('<<') && skipHeredoc()) continue;
      else if (c === '(' || c === '[' || c === '{') {
        stack.push(c === '(' ? ')' : c === '[' ? ']' : '}');
        advance();
      } else if (c === ')' || c === ']' || c === '}') {
        if (stack.length === 0) return;
        stack.pop();
        advance();
      } else advance();
    }
  };

  const scanBody = (closing: boolean): ScannedBody => {
    const body: ScannedBody = { attributes: [], blocks: [] };
    for (;;) {
      skipAllSpace();
      if (i >= text.length) return body;
      if (text[i] === '}') {
        // A stray closer at the top level is a syntax error hcl2json reports; skip it here.
        advance();
        if (closing) return body;
        continue;
      }
      const start = pos();
      const m = /^[A-Za-z_][A-Za-z0-9_\-]*/.exec(text.slice(i, i + 200));
      if (!m) {
        skipExpression();
        if (i < text.length && text[i] !== '\n' && text[i] !== '}') advance();
        continue;
      }
      advance(m[0].length);
      skipInlineSpace();
      if (text[i] === '=' && text[i + 1] !== '=') {
        advance();
        body.attributes.push({ name: m[0], pos: start });
        skipExpression();
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        skipInlineSpace();
        if (text[i] === '"') {
          const from = i;
          skipString();
          labels.push(unquote(text.slice(from, i)));
        } else if (i < text.length && IDENT.test(text[i]!)) {
          const l = /^[A-Za-z0-9_\-]+/.exec(text.slice(i))![0];
          advance(l.length);
          labels.push(l);
        } else break;
      }
      if (text[i] === '{') {
        advance();
        body.blocks.push({ type: m[0], labels, pos: start, body: scanBody(true) });
      } else {
        skipExpression();
      }
    }
  };
  return scanBody(false);
}

function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

/**
 * Position of an hcl2json key path inside a scanned body: attributes by name, blocks as
 * `type, ...labels, index` (index among blocks with the same type and labels). Falls back to the
 * nearest block found on the way; undefined when the first step is unknown.
 */
export function locateInBody(body: ScannedBody, path: KeyPath): SourcePos | undefined {
  const [head, ...rest] = path;
  if (typeof head !== 'string') return undefined;
  const attr = body.attributes.find((a) => a.name === head);
  if (attr) return attr.pos;
  let candidates = body.blocks.filter((b) => b.type === head);
  if (candidates.length === 0) return undefined;
  let k = 0;
  const labelCount = candidates[0]!.labels.length;
  for (let n = 0; n < labelCount && k < rest.length && typeof rest[k] === 'string'; n++, k++) {
    const label = rest[k];
    candidates = candidates.filter((b) => b.labels[n] === label);
  }
  let index = 0;
  if (typeof rest[k] === 'number') index = rest[k++] as number;
  const block = candidates[index] ?? candidates[0];
  if (!block) return undefined;
  return locateInBody(block.body, rest.slice(k)) ?? block.pos;
}
