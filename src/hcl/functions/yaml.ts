// yamldecode and yamlencode as Packer has them (cty-yaml, a go-yaml v2 derivative): decoding
// resolves plain scalars with go-yaml v2's YAML 1.1 words (yes/no/on/off/y/n are bools) and cty's
// number syntax; encoding writes block style with double-quoted strings and keys, literal blocks
// for multi-line strings, and the "..." document end after a plain scalar at the root.
// The `yaml` package parses (failsafe schema: every scalar a string); resolution and the emitter are ours.

import { Alias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, Scalar } from 'yaml';
import { BigFloat, compareStrings, type HclObject, type HclValue, isObject } from '../values.js';

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSES = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NUMBER = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const TAG = 'tag:yaml.org,2002:';

/** Decodes one YAML document; throws a plain Error with a go-yaml-like message. */
export function yamlDecode(text: string): HclValue {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { schema: 'failsafe', lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const list = (Array.isArray(docs) ? docs : [docs]) as Document[];
  if (list.length === 0 || list.every((d) => d.contents === null && d.errors.length === 0)) {
    throw new Error('on line 1, column 1: missing start of document');
  }
  for (const d of list) {
    const e = d.errors[0];
    if (e) {
      const at = lines.linePos(e.pos[0]);
      throw new Error(`on line ${at.line}, column ${at.col}: ${e.message.split('\n')[0]}`);
    }
  }
  if (list.length > 1) {
    const at = lines.linePos(list[1]?.range?.[0] ?? 0);
    throw new Error(`on line ${at.line}, column 1: unexpected extra content after value`);
  }
  const doc = list[0] as Document;
  return toValue(doc.contents as Node | null, doc, 0);
}

function toValue(node: Node | null, doc: Document, depth: number): HclValue {
  if (depth > 1000) throw new Error('document is nested too deeply');
  if (node === null || node === undefined) return null;
  if (node instanceof Alias) return toValue(node.resolve(doc) as Node, doc, depth + 1);
  if (isMap(node)) {
    const out: HclObject = {};
    for (const pair of node.items) {
      const key = toValue(pair.key as Node, doc, depth + 1);
      const name = key === null ? 'null' : typeof key === 'string' ? key : key instanceof BigFloat ? key.toString() : typeof key === 'boolean' ? String(key) : undefined;
      if (name === undefined) throw new Error('only string keys are supported');
      Object.defineProperty(out, name, { value: toValue(pair.value as Node, doc, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((i) => toValue(i as Node, doc, depth + 1));
  if (isScalar(node)) return scalar(node);
  throw new Error('unsupported YAML node');
}

function scalar(node: Scalar): HclValue {
  const text = String(node.value ?? '');
  const tag = node.tag?.startsWith(TAG) ? node.tag.slice(TAG.length) : node.tag?.replace(/^!!/, '');
  if (tag === 'str') return text;
  if (tag === 'binary') return Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (tag === 'null') return null;
  if (tag === 'bool') {
    if (TRUES.has(text)) return true;
    if (FALSES.has(text)) return false;
    throw new Error(`cannot decode ${JSON.stringify(text)} as a bool`);
  }
  if (tag === 'int' || tag === 'float') {
    const n = number(text);
    if (n === undefined) throw new Error(`cannot decode ${JSON.stringify(text)} as a number`);
    return n;
  }
  if (node.type !== Scalar.PLAIN) return text;
  if (NULLS.has(text)) return null;
  if (TRUES.has(text)) return true;
  if (FALSES.has(text)) return false;
  return number(text) ?? text;
}

function number(text: string): BigFloat | undefined {
  if (/^[-+]?\.(inf|Inf|INF)$/.test(text)) return BigFloat.infinity(text.startsWith('-'), 512);
  const plain = text.replace(/_/g, '');
  return NUMBER.test(plain) ? BigFloat.parse(plain.replace(/^\+/, '')) : undefined;
}

/** Encodes a value as go-yaml v2 writes cty-yaml's events. */
export function yamlEncode(v: HclValue): string {
  if (v === null || typeof v === 'boolean' || v instanceof BigFloat) return `${plainScalar(v)}\n...\n`;
  const lines: string[] = [];
  emit(v, 0, lines, 'root');
  return lines.join('\n') + '\n';
}

function plainScalar(v: null | boolean | BigFloat): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (v.inf) return v.neg ? '-.inf' : '+.inf';
  return v.toString();
}

type Place = 'root' | 'value' | 'item';

/** Appends the lines of `v` at indentation `indent`; in 'value' and 'item' places the first line continues the current one. */
function emit(v: HclValue, indent: number, lines: string[], place: Place): void {
  const pad = ' '.repeat(indent);
  const append = (text: string): void => {
    if (place === 'root') lines.push(text);
    else lines[lines.length - 1] += text;
  };
  if (typeof v === 'string') {
    const block = literalBlock(v, place === 'root' ? 2 : place === 'item' ? indent : indent + 2);
    if (block) {
      append(block[0] as string);
      lines.push(...block.slice(1));
    } else {
      const column = place === 'root' ? 0 : Array.from(lines[lines.length - 1] as string).length;
      append(doubleQuoted(v, { column, indent: place === 'root' ? 2 : place === 'item' ? indent : indent + 2 }));
    }
    return;
  }
  if (v === null || typeof v === 'boolean' || v instanceof BigFloat) return append(plainScalar(v));
  if (Array.isArray(v)) {
    if (v.length === 0) return append('[]');
    v.forEach((item, i) => {
      const prefix = `${i === 0 && place === 'item' ? '' : pad}- `;
      if (i === 0 && place === 'item') append(prefix);
      else lines.push(prefix);
      emit(item, indent + 2, lines, 'item');
    });
    return;
  }
  if (isObject(v)) {
    const keys = Object.keys(v).sort(compareStrings);
    if (keys.length === 0) return append('{}');
    keys.forEach((k, i) => {
      const first = i === 0 && place === 'item';
      const line = `${first ? '' : pad}${doubleQuoted(k)}:`;
      if (first) append(line);
      else lines.push(line);
      const e = v[k] as HclValue;
      if (Array.isArray(e) && e.length > 0) {
        // go-yaml v2 does not indent a sequence under its mapping key.
        emit(e, indent, lines, 'root');
      } else if (isObject(e) && Object.keys(e).length > 0) {
        emit(e, indent + 2, lines, 'root');
      } else {
        lines[lines.length - 1] += ' ';
        emit(e, indent, lines, 'value');
      }
    });
    return;
  }
  throw new Error('cannot encode a value that is not known yet');
}

/** A literal block (`|`, `|-`, `|+`) for a multi-line string when go-yaml allows one; undefined otherwise. */
function literalBlock(s: string, indent: number): string[] | undefined {
  if (!s.includes('\n')) return undefined;
  // go-yaml refuses block styles for special characters, a space before a line break and trailing spaces.
  if (/[^\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd\ud800-\udfff]|\ufeff/.test(s) || / \n/.test(s) || / $/.test(s)) return undefined;
  const trailing = /\n*$/.exec(s)?.[0].length ?? 0;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const hint = s.startsWith(' ') || s.startsWith('\n') ? '2' : '';
  const body = trailing > 0 ? s.slice(0, s.length - 1) : s;
  const pad = ' '.repeat(indent);
  return [`|${hint}${chomp}`, ...body.split('\n').map((l) => (l === '' ? '' : pad + l))];
}

const ESCAPES: Record<string, string> = {
  '\0': '\\0', '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r',
  '\x1b': '\\e', '"': '\\"', '\\': '\\\\', '\u0085': '\\N', '\u00a0': '\\_', '\u2028': '\\L', '\u2029': '\\P',
};

/** The width go-yaml folds long double-quoted scalars at. */
const BEST_WIDTH = 80;

/**
 * go-yaml's double-quoted scalar: printable characters as they are, the rest escaped. With `fold`
 * (not for keys), a space after column 80 becomes a line break and the indentation, and a space
 * after the break is kept by a "\\" escape.
 */
function doubleQuoted(s: string, fold?: { column: number; indent: number }): string {
  let out = '"';
  let column = (fold?.column ?? 0) + 1;
  let spaces = false;
  const chars = Array.from(s);
  chars.forEach((c, i) => {
    if (fold && c === ' ') {
      if (!spaces && column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
        out += '\n' + ' '.repeat(fold.indent);
        column = fold.indent;
        if (chars[i + 1] === ' ') {
          out += '\\';
          column++;
        }
      } else {
        out += ' ';
        column++;
      }
      spaces = true;
      return;
    }
    spaces = false;
    const before = out.length;
    const esc = ESCAPES[c];
    if (esc) out += esc;
    else {
      const cp = c.codePointAt(0) as number;
      const printable = cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) || (cp >= 0x10000 && cp <= 0x10ffff);
      if (printable) out += c;
      else if (cp <= 0xff) out += '\\x' + cp.toString(16).toUpperCase().padStart(2, '0');
      else if (cp <= 0xffff) out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
      else out += '\\U' + cp.toString(16).toUpperCase().padStart(8, '0');
    }
    column += Array.from(out.slice(before)).length;
  });
  return out + '"';
}
