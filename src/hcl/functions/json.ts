// JSON encoding as cty does it: object keys sorted, <, > and & escaped like Go's encoding/json.

import { compareStrings, type HclValue, isObject, isUnknown } from '../values.js';

/** Encodes a value as compact JSON with sorted keys and Go's HTML-safe escapes. */
export function jsonEncode(v: HclValue): string {
  if (isUnknown(v)) throw new Error('cannot encode a value that is not known yet');
  if (v === null || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot encode the number ${v} as JSON`);
    return JSON.stringify(v);
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

/** Decodes JSON text into a value; throws a plain Error with the parser's message. */
export function jsonDecode(text: string): HclValue {
  try {
    return JSON.parse(text) as HclValue;
  } catch (err) {
    throw new Error(`invalid JSON: ${(err as Error).message}`);
  }
}
