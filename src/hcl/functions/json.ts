// JSON encoding and decoding as cty does it: object keys sorted, <, > and & escaped like Go's
// encoding/json, numbers written and read as exact decimals (512-bit numbers, no float64).

import { BigFloat, compareStrings, type HclObject, type HclValue, isObject, isUnknown } from '../values.js';

/** Encodes a value as compact JSON with sorted keys and Go's HTML-safe escapes. */
export function jsonEncode(v: HclValue): string {
  if (isUnknown(v)) throw new Error('cannot encode a value that is not known yet');
  if (v === null || typeof v === 'boolean') return String(v);
  if (v instanceof BigFloat) {
    if (v.inf) throw new Error('cannot serialize infinity as JSON');
    return v.toString();
  }
  if (typeof v === 'string') return quote(v);
  if (Array.isArray(v)) return `[${v.map(jsonEncode).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v).sort(compareStrings).map((k) => `${quote(k)}:${jsonEncode(v[k] as HclValue)}`).join(',')}}`;
  }
  throw new Error('cannot encode this value as JSON');
}

function quote(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** Decodes JSON text into a value (numbers exact, duplicate keys: the last wins); throws a plain Error. */
export function jsonDecode(text: string): HclValue {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(pos >= text.length ? (text.trim() === '' ? 'EOF' : 'unexpected end of JSON input') : `invalid character ${JSON.stringify(text[pos])} ${what}`);
  };
  const space = (): void => {
    while (pos < text.length && ' \t\r\n'.includes(text[pos] as string)) pos++;
  };
  const value = (depth: number): HclValue => {
    if (depth > 10000) throw new Error('exceeded max depth');
    space();
    const ch = text[pos];
    if (ch === '{') {
      pos++;
      const out: HclObject = {};
      space();
      if (text[pos] === '}') {
        pos++;
        return out;
      }
      for (;;) {
        space();
        if (text[pos] !== '"') fail('looking for beginning of object key string');
        const key = str();
        space();
        if (text[pos] !== ':') fail('after object key');
        pos++;
        const v = value(depth + 1);
        Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
        space();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return out;
        }
        fail('after object key:value pair');
      }
    }
    if (ch === '[') {
      pos++;
      const out: HclValue[] = [];
      space();
      if (text[pos] === ']') {
        pos++;
        return out;
      }
      for (;;) {
        out.push(value(depth + 1));
        space();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return out;
        }
        fail('after array element');
      }
    }
    if (ch === '"') return str();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m) {
      pos += m[0].length;
      return BigFloat.parse(m[0]) as BigFloat;
    }
    return fail('looking for beginning of value');
  };
  const str = (): string => {
    STRING.lastIndex = pos;
    const m = STRING.exec(text);
    if (!m) return fail('in string literal');
    pos += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const v = value(0);
  space();
  if (pos < text.length) fail('after top-level value');
  return v;
}
