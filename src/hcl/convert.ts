// Type conversion with HCL's (cty's) rules: "2" -> 2 for number, numbers and bools to strings,
// object/map attributes converted one by one (extra attributes dropped for object types).

import { type HclType, formatType } from './types.js';
import { asList, asMap, BigFloat, collectionKind, compareStrings, deepEqual, formatNumber, type HclObject, type HclValue, HclError, isObject, isUnknown, numbersEqual, typeName } from './values.js';
import { cmp } from './bigfloat.js';

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
  if (v instanceof BigFloat) return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  return `of type ${typeName(v)}`;
}

function convertAt(v: HclValue, t: HclType, path: string): HclValue {
  if (v === null || isUnknown(v) || t.kind === 'any') return v;
  switch (t.kind) {
    case 'string':
      if (typeof v === 'string') return v;
      if (v instanceof BigFloat) return formatNumber(v);
      if (typeof v === 'boolean') return v ? 'true' : 'false';
      return fail(path, 'string required', v, t);
    case 'number':
      if (v instanceof BigFloat) return v;
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
      return t.kind === 'set' ? toSet(items) : asList(items);
    }
    case 'map': {
      if (!isObject(v)) return fail(path, `map of ${formatType(t.element)} required`, v, t);
      const out: HclObject = {};
      for (const k of Object.keys(v)) out[k] = convertAt(v[k] as HclValue, t.element, `${path}.${k}`);
      return asMap(out);
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

/** Parses a string as cty.ParseNumberVal does (decimal, optional sign and exponent, 512-bit); undefined when not a number. */
export function parseNumber(s: string): BigFloat | undefined {
  if (/^[+-]?[iI]nf$/.test(s)) return undefined;
  return BigFloat.parse(s);
}

/** Set semantics: duplicates removed; strings and numbers come out sorted, as cty iterates them. */
export function toSet(items: HclValue[]): HclValue[] {
  const out: HclValue[] = [];
  for (const i of items) if (!out.some((o) => deepEqual(o, i))) out.push(i);
  if (out.every((o) => typeof o === 'string')) return asList((out as string[]).sort(compareStrings), 'set');
  if (out.every((o) => o instanceof BigFloat)) return asList((out as BigFloat[]).sort((a, b) => (numbersEqual(a, b) ? 0 : cmp(a, b))), 'set');
  return asList(out, 'set');
}

/** `v` converted to the type cty unifies v's and other's types to (conditional results): primitives
 * mixed with strings become strings, sequences unify element by element, a list partner makes a list. */
export function unifyWith(v: HclValue, other: HclValue): HclValue {
  if (other === null || isUnknown(other)) return v;
  const prim = (x: HclValue): boolean => typeof x === 'string' || typeof x === 'boolean' || x instanceof BigFloat;
  if (prim(v) && prim(other)) return typeof other === 'string' && typeof v !== 'string' ? convertToType(v, { kind: 'string' }) : v;
  if (Array.isArray(v) && Array.isArray(other)) {
    const kinds = [collectionKind(v), collectionKind(other)];
    const all = [...v, ...other];
    const toString = all.some((x) => typeof x === 'string') && all.every((x) => x === null || prim(x));
    if (kinds.includes('list') || kinds.includes('set')) {
      const items = toString ? v.map((x) => (x === null ? x : convertToType(x, { kind: 'string' }))) : [...v];
      return kinds[0] === 'set' ? toSet(items) : asList(items);
    }
    if (v.length === other.length) return v.map((x, i) => unifyWith(x, other[i] as HclValue));
    return v;
  }
  if (isObject(v) && isObject(other) && (collectionKind(v) === 'map' || collectionKind(other) === 'map')) {
    const vals = [...Object.values(v), ...Object.values(other)];
    if (vals.some((x) => typeof x === 'string') && vals.every((x) => x === null || prim(x))) {
      const out: HclObject = {};
      for (const k of Object.keys(v)) out[k] = v[k] === null ? null : convertToType(v[k] as HclValue, { kind: 'string' });
      return asMap(out);
    }
  }
  return v;
}

/** cty's unification of a tuple's elements into one list element type: primitives mixed with strings all become strings. */
export function unifyPrimitives(items: HclValue[]): HclValue[] {
  const prim = (x: HclValue): boolean => typeof x === 'string' || typeof x === 'boolean' || x instanceof BigFloat;
  if (!items.some((x) => typeof x === 'string') || !items.every((x) => x === null || prim(x))) return items;
  return items.map((x) => (x === null ? x : convertToType(x, { kind: 'string' })));
}
