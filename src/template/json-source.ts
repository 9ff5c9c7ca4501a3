// A JSON reader that remembers where every key and element is, reports duplicate keys, and
// gives file:line:col for syntax errors. Used for legacy JSON templates, .pkr.json and var files.

import { error, type Diagnostic, type SourcePos } from '../diagnostics.js';
import type { KeyPath } from './model.js';
import { Codes } from './codes.js';
import { MAX_NESTING } from './limits.js';

export interface JsonDocument {
  /** The parsed value; undefined after a syntax error. */
  value?: unknown;
  /** Position of a key path (the key, or the array element); falls back to the nearest ancestor. */
  locate(path: KeyPath): SourcePos | undefined;
  diagnostics: Diagnostic[];
}

/** Parses `text` as JSON; duplicate keys are diagnostics (the later value wins), a syntax error stops parsing. */
export function parseJsonSource(file: string, text: string, pathPrefix = ''): JsonDocument {
  const positions = new Map<string, SourcePos>();
  const diagnostics: Diagnostic[] = [];
  let i = 0;
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text[k] === '\n') lineStarts.push(k + 1);

  const posAt = (offset: number): SourcePos => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  class Stop extends Error {}
  const fail = (message: string, at = i): never => {
    diagnostics.push(error(Codes.syntax, `invalid JSON: ${message}`, { pos: posAt(at), detail: 'fix the JSON syntax at that position' }));
    throw new Stop();
  };
  const ws = (): void => {
    while (i < text.length && ' \t\r\n\uFEFF'.includes(text[i]!)) i++;
  };
  const keyOf = (path: KeyPath): string => JSON.stringify(path);

  const parseString = (): string => {
    const start = i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text[i++]!;
      if (c === '"') return out;
      if (c === '\\') {
        const e = text[i++];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) out += simple[e];
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4))) {
          out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16));
          i += 4;
        } else fail(`invalid escape "\\${e ?? ''}" in string`, i - 2);
      } else if (c < ' ') fail('control character in string', i - 1);
      else out += c;
    }
  };

  const parseValue = (path: (string | number)[]): unknown => {
    ws();
    if (path.length >= MAX_NESTING) fail(`nested deeper than ${MAX_NESTING} levels`);
    positions.set(keyOf(path), posAt(i));
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') return i++, obj;
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a quoted key, found ${show(text[i])}`);
        const keyStart = i;
        const key = parseString();
        if (Object.prototype.hasOwnProperty.call(obj, key)) {
          diagnostics.push(error(Codes.duplicateKey, `template has duplicate field: ${key}`, { pos: posAt(keyStart), path: displayPath(pathPrefix, [...path, key]), detail: 'remove one of the two; JSON keys must be unique' }));
        }
        ws();
        if (text[i] !== ':') fail(`expected ":" after key "${key}", found ${show(text[i])}`);
        i++;
        // defineProperty: a "__proto__" key must stay a plain key.
        Object.defineProperty(obj, key, { value: parseValue([...path, key]), enumerable: true, writable: true, configurable: true });
        positions.set(keyOf([...path, key]), posAt(keyStart));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return i++, obj;
        else fail(`expected "," or "}" after the value of "${key}", found ${show(text[i])}`);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') return i++, arr;
      for (;;) {
        arr.push(parseValue([...path, arr.length]));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return i++, arr;
        else fail(`expected "," or "]" in array, found ${show(text[i])}`);
      }
    }
    if (c === '"') return parseString();
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!m) fail(`unexpected ${show(c)}`);
    i += m![0].length;
    return m![0] === 'true' ? true : m![0] === 'false' ? false : m![0] === 'null' ? null : Number(m![0]);
  };

  let value: unknown;
  try {
    value = parseValue([]);
    ws();
    if (i < text.length) fail(`unexpected ${show(text[i])} after the end of the document`);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    value = undefined;
  }
  const locate = (path: KeyPath): SourcePos | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const p = positions.get(keyOf(path.slice(0, n)));
      if (p) return p;
    }
    return undefined;
  };
  return { value, locate, diagnostics };
}

/** `builders[0].type` style path. */
function displayPath(prefix: string, path: readonly (string | number)[]): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

function show(c: string | undefined): string {
  return c === undefined ? 'end of file' : JSON.stringify(c);
}
