// The value model of the HCL evaluator: plain JS values plus a marker for values not known yet.

export type HclValue = null | boolean | number | string | HclValue[] | { [key: string]: HclValue } | UnknownValue;

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
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof UnknownValue);
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

/** The HCL name of a value's type, for messages: string, number, bool, tuple, object, null. */
export function typeName(v: HclValue): string {
  if (v === null) return 'null';
  if (v instanceof UnknownValue) return 'unknown';
  if (Array.isArray(v)) return 'tuple';
  if (typeof v === 'object') return 'object';
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

/** Formats a number the way cty renders it in strings: no exponent, shortest round-trip digits. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  const s = String(n);
  if (!s.includes('e')) return s === '-0' ? '0' : s;
  // Expand JS exponent notation: cty prints plain decimals for every magnitude.
  const [mantissa = '', exponent = '0'] = s.split('e');
  const neg = mantissa.startsWith('-');
  const m = neg ? mantissa.slice(1) : mantissa;
  const dot = m.indexOf('.');
  const digits = m.replace('.', '');
  const pointAt = (dot < 0 ? m.length : dot) + Number(exponent);
  let out: string;
  if (pointAt <= 0) out = '0.' + '0'.repeat(-pointAt) + digits;
  else if (pointAt >= digits.length) out = digits + '0'.repeat(pointAt - digits.length);
  else out = digits.slice(0, pointAt) + '.' + digits.slice(pointAt);
  return neg ? '-' + out : out;
}

/** Converts a value to the string a template interpolation would produce (numbers like "1.5", bools "true"); throws for lists/objects. */
export function toTemplateString(v: HclValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
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
