// Type conversion with HCL's (cty's) rules: "2" -> 2 for number, numbers and bools to strings,
// object/map attributes converted one by one (extra attributes dropped for object types).

import { type HclType, formatType } from './types.js';
import { compareStrings, deepEqual, formatNumber, type HclObject, type HclValue, HclError, isObject, isUnknown, typeName } from './values.js';

/** Converts to the type with HCL's rules; throws HclError whose summary is cty's message (e.g. "a number is required"). */
export function convertToType(value: HclValue, type: HclType): HclValue {
  return convertAt(value, type, '');
}

function fail(path: string, message: string, value: HclValue, type: HclType): never {
  const where = path ? ` at ${path}` : '';
  throw new HclError(message, `The value ${describeValue(value)}${where} cannot be converted to ${formatType(type)}.`);
}

function describeValue(v: HclValue): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `of type ${typeName(v)}`;
}

function convertAt(v: HclValue, t: HclType, path: string): HclValue {
  if (v === null || isUnknown(v) || t.kind === 'any') return v;
  switch (t.kind) {
    case 'string':
      if (typeof v === 'string') return v;
      if (typeof v === 'number') return formatNumber(v);
      if (typeof v === 'boolean') return v ? 'true' : 'false';
      return fail(path, 'string required', v, t);
    case 'number':
      if (typeof v === 'number') return v;
      if (typeof v === 'string') {
        const n = parseNumber(v);
        if (n !== undefined) return n;
        return fail(path, 'a number is required', v, t);
      }
      return fail(path, 'number required', v, t);
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      if (typeof v === 'string') return fail(path, 'a bool is required', v, t);
      return fail(path, 'bool required', v, t);
    case 'list':
    case 'set': {
      if (!Array.isArray(v)) return fail(path, `${t.kind} of ${formatType(t.element)} required`, v, t);
      const items = v.map((e, i) => convertAt(e, t.element, `${path}[${i}]`));
      return t.kind === 'set' ? toSet(items) : items;
    }
    case 'map': {
      if (!isObject(v)) return fail(path, `map of ${formatType(t.element)} required`, v, t);
      const out: HclObject = {};
      for (const k of Object.keys(v)) out[k] = convertAt(v[k] as HclValue, t.element, `${path}.${k}`);
      return out;
    }
    case 'tuple': {
      if (!Array.isArray(v)) return fail(path, 'tuple required', v, t);
      if (v.length !== t.elements.length) return fail(path, `tuple required with exactly ${t.elements.length} elements`, v, t);
      return v.map((e, i) => convertAt(e, t.elements[i] as HclType, `${path}[${i}]`));
    }
    case 'object': {
      if (!isObject(v)) return fail(path, 'object required', v, t);
      const out: HclObject = {};
      for (const k of Object.keys(t.attributes).sort(compareStrings)) {
        if (!Object.hasOwn(v, k)) return fail(path, `attribute "${k}" is required`, v, t);
        out[k] = convertAt(v[k] as HclValue, t.attributes[k] as HclType, `${path}.${k}`);
      }
      return out;
    }
  }
}

/** Parses a string as cty parses numbers (decimal, optional sign and exponent); undefined when not a number. */
export function parseNumber(s: string): number | undefined {
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s.trim()) || s.trim() !== s) return undefined;
  return Number(s);
}

/** Set semantics: duplicates removed; strings and numbers come out sorted, as cty iterates them. */
export function toSet(items: HclValue[]): HclValue[] {
  const out: HclValue[] = [];
  for (const i of items) if (!out.some((o) => deepEqual(o, i))) out.push(i);
  if (out.every((o) => typeof o === 'string')) return (out as string[]).sort(compareStrings);
  if (out.every((o) => typeof o === 'number')) return (out as number[]).sort((a, b) => a - b);
  return out;
}
