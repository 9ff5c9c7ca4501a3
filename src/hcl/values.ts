// The value model of the HCL evaluator: cty's values. Numbers are BigFloat (Go big.Float
// semantics); arrays are tuples unless marked as lists or sets, objects are objects unless marked
// as maps (cty keeps the two apart: a list is never equal to a tuple); UnknownValue is a value not
// known yet. toPlain() turns a value into plain JSON-like data for the config stage.

import { BigFloat } from './bigfloat.js';

export { BigFloat };

export type HclValue = null | boolean | BigFloat | string | HclValue[] | { [key: string]: HclValue } | UnknownValue;

const KIND: unique symbol = Symbol('azchroot.hcl.collection');

export type CollectionKind = 'tuple' | 'list' | 'set' | 'object' | 'map';

/** Marks an array as a cty list or set (unmarked arrays are tuples). */
export function asList<T extends HclValue[]>(items: T, kind: 'list' | 'set' = 'list'): T {
  Object.defineProperty(items, KIND, { value: kind, enumerable: false, configurable: true });
  return items;
}

/** Marks an object as a cty map (unmarked objects are objects). */
export function asMap<T extends HclObject>(o: T): T {
  Object.defineProperty(o, KIND, { value: 'map', enumerable: false, configurable: true });
  return o;
}

/** The cty kind of a collection value. */
export function collectionKind(v: HclValue[] | HclObject): CollectionKind {
  const k = (v as { [KIND]?: CollectionKind })[KIND];
  if (k) return k;
  return Array.isArray(v) ? 'tuple' : 'object';
}

/** True for a number value. */
export function isNumber(v: unknown): v is BigFloat {
  return v instanceof BigFloat;
}

/** A number value from a JS number (hcl2json literals: parsed from their shortest decimal form, as HCL parses the source text). */
export function numberFromJs(n: number): BigFloat {
  if (Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER) return BigFloat.fromBigInt(BigInt(n), 512);
  return BigFloat.parse(String(n)) ?? BigFloat.fromFloat64(n);
}

/** A number value from an integer result (cty.NumberIntVal). */
export function intValue(n: number | bigint): BigFloat {
  return BigFloat.fromInt(n);
}

/** Plain data for the config stage: numbers as JS numbers, collections as arrays and objects. */
export function toPlain(v: HclValue): unknown {
  if (v instanceof BigFloat) return v.toFloat64();
  if (Array.isArray(v)) return v.map(toPlain);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      if (k === '__proto__') Object.defineProperty(out, k, { value: toPlain(v[k] as HclValue), enumerable: true, writable: true, configurable: true });
      else out[k] = toPlain(v[k] as HclValue);
    }
    return out;
  }
  return v;
}

/** Typed data from plain JSON-like input (JS numbers become numbers). */
export function fromPlain(v: unknown): HclValue {
  if (typeof v === 'number') return numberFromJs(v);
  if (Array.isArray(v)) return v.map(fromPlain);
  if (v !== null && typeof v === 'object' && !(v instanceof UnknownValue) && !(v instanceof BigFloat)) {
    const out: HclObject = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === '__proto__') Object.defineProperty(out, k, { value: fromPlain(x), enumerable: true, writable: true, configurable: true });
      else out[k] = fromPlain(x);
    }
    return out;
  }
  return (v ?? null) as HclValue;
}

export type HclObject = { [key: string]: HclValue };

/** A value not known yet (e.g. build data at load time). Operations on it yield unknown; templates containing it yield unknown. */
export class UnknownValue {
  constructor(readonly description: string) {}
}

/** An evaluation failure with a Packer-like summary; `offset` points into the evaluated text. */
export class HclError extends Error {
  constructor(
    readonly summary: string,
    readonly detail?: string,
    readonly offset?: number,
  ) {
    super(detail ? `${summary}: ${detail}` : summary);
    Object.defineProperty(this, 'name', { value: 'HclError', enumerable: false });
  }
}

/** True for a value that is not known yet. */
export function isUnknown(v: unknown): v is UnknownValue {
  return v instanceof UnknownValue;
}

/** True for a plain object value (HCL object or map). */
export function isObject(v: HclValue | undefined): v is HclObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof UnknownValue) && !(v instanceof BigFloat);
}

/** The first unknown found anywhere inside `v`, or undefined when `v` is wholly known. */
export function findUnknown(v: HclValue): UnknownValue | undefined {
  if (v instanceof UnknownValue) return v;
  if (Array.isArray(v)) {
    for (const e of v) {
      const u = findUnknown(e);
      if (u) return u;
    }
  } else if (isObject(v)) {
    for (const k of Object.keys(v)) {
      const u = findUnknown(v[k] as HclValue);
      if (u) return u;
    }
  }
  return undefined;
}

/** The HCL name of a value's type, for messages: string, number, bool, tuple, list, object, map, null. */
export function typeName(v: HclValue): string {
  if (v === null) return 'null';
  if (v instanceof UnknownValue) return 'unknown';
  if (v instanceof BigFloat) return 'number';
  if (Array.isArray(v) || typeof v === 'object') return collectionKind(v);
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** Object keys in the order HCL iterates them (lexical). */
export function sortedKeys(o: HclObject): string[] {
  return Object.keys(o).sort(compareStrings);
}

/** Byte-wise string order, as cty sorts map keys and string sets. */
export function compareStrings(a: string, b: string): number {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}

/** Formats a number the way cty renders it in strings: big.Float.Text('f', -1). */
export function formatNumber(n: BigFloat): string {
  return n.toString();
}

/** Converts a value to the string a template interpolation would produce (numbers like "1.5", bools "true"); throws for lists/objects. */
export function toTemplateString(v: HclValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof BigFloat) return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) {
    throw new HclError('Invalid template interpolation value', 'The expression result is null. Cannot include a null value in a string template.');
  }
  if (v instanceof UnknownValue) {
    throw new HclError('Invalid template interpolation value', `The value is not known yet (${v.description}); it cannot be turned into a string here.`);
  }
  throw new HclError(
    'Invalid template interpolation value',
    `Cannot include the given value in a string template: string required, got ${typeName(v)}. Use join() for lists or jsonencode() for structures.`,
  );
}

/** Deep equality as HCL's == operator sees it (types must match; no conversion). */
export function deepEqual(a: HclValue, b: HclValue): boolean {
  if (a === b) return true;
  if (a instanceof BigFloat && b instanceof BigFloat) return numbersEqual(a, b);
  if ((Array.isArray(a) || isObject(a)) && (Array.isArray(b) || isObject(b)) && collectionKind(a) !== collectionKind(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((e, i) => deepEqual(e, b[i] as HclValue));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k] as HclValue, b[k] as HclValue));
  }
  return false;
}

/** cty's number equality: equal when their JSON forms are equal (-0 equals 0). */
export function numbersEqual(a: BigFloat, b: BigFloat): boolean {
  const x = a.toString();
  const y = b.toString();
  return (x === '-0' ? '0' : x) === (y === '-0' ? '0' : y);
}

/** cty.StringVal normalizes every string to Unicode NFC; this does it for the strings inside a value (keys unchanged). */
export function normalizeStrings(v: HclValue): HclValue {
  if (typeof v === 'string') return v.normalize('NFC');
  if (Array.isArray(v)) {
    let changed = false;
    const items = v.map((x) => {
      const y = normalizeStrings(x);
      if (y !== x) changed = true;
      return y;
    });
    if (!changed) return v;
    const kind = collectionKind(v);
    return kind === 'list' || kind === 'set' ? asList(items, kind) : items;
  }
  if (isObject(v)) {
    let changed = false;
    const out: HclObject = {};
    for (const k of Object.keys(v)) {
      const x = v[k] as HclValue;
      const y = normalizeStrings(x);
      if (y !== x) changed = true;
      Object.defineProperty(out, k, { value: y, enumerable: true, writable: true, configurable: true });
    }
    if (!changed) return v;
    return collectionKind(v) === 'map' ? asMap(out) : out;
  }
  return v;
}
