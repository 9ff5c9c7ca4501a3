// Operators and traversal steps on values: arithmetic with number conversion, deep equality,
// logic, attribute and index access with Packer's error summaries.

import type { BinaryOp } from './ast.js';
import { parseNumber } from './convert.js';
import { add, cmp, mul, quo, sub } from './bigfloat.js';
import { BigFloat, deepEqual, intValue, formatNumber, type HclValue, HclError, isObject, isUnknown, typeName, UnknownValue } from './values.js';

/** Converts an operand to a number ("2" -> 2) or throws "Invalid operand". */
export function toNumberOperand(v: HclValue, side: string): BigFloat {
  if (v instanceof BigFloat) return v;
  if (typeof v === 'string') {
    const n = parseNumber(v);
    if (n !== undefined) return n;
    throw new HclError('Invalid operand', `Unsuitable value for ${side} operand: a number is required.`);
  }
  throw new HclError('Invalid operand', `Unsuitable value for ${side} operand: number required, got ${typeName(v)}.`);
}

/** Converts an operand to a bool ("true" -> true) or throws "Invalid operand". */
export function toBoolOperand(v: HclValue, side: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  if (typeof v === 'string') throw new HclError('Invalid operand', `Unsuitable value for ${side} operand: a bool is required.`);
  throw new HclError('Invalid operand', `Unsuitable value for ${side} operand: bool required, got ${typeName(v)}.`);
}

/** Applies a binary operator; unknown operands give an unknown result. */
export function binaryOp(op: BinaryOp, l: HclValue, r: HclValue): HclValue {
  if (isUnknown(l)) return l;
  if (isUnknown(r)) return r;
  switch (op) {
    case '==':
      return deepEqual(l, r);
    case '!=':
      return !deepEqual(l, r);
  }
  if (l === null || r === null) throw new HclError('Operation failed', 'Error during operation: argument must not be null.');
  switch (op) {
    case '&&':
      return toBoolOperand(l, 'left') && toBoolOperand(r, 'right');
    case '||':
      return toBoolOperand(l, 'left') || toBoolOperand(r, 'right');
  }
  const a = toNumberOperand(l, 'left');
  const b = toNumberOperand(r, 'right');
  switch (op) {
    case '+': return arith(() => add(a, b));
    case '-': return arith(() => sub(a, b));
    case '*': return arith(() => mul(a, b));
    case '/': return arith(() => quo(a, b));
    case '%': return modulo(a, b);
    case '<': return cmp(a, b) < 0;
    case '>': return cmp(a, b) > 0;
    case '<=': return cmp(a, b) <= 0;
    case '>=': return cmp(a, b) >= 0;
  }
}

/** big.Float's NaN cases (0/0, Inf-Inf, 0·Inf) as cty reports them. */
function arith(f: () => BigFloat): BigFloat {
  try {
    return f();
  } catch (err) {
    if (err instanceof RangeError) throw new HclError('Operation failed', "Error during operation: can't divide zero by zero or infinity by infinity.");
    throw err;
  }
}

/** cty's Modulo: a - b·trunc(a/b) with the product and difference at the integer's precision (≥ 64 bits); x % 0 is x. */
function modulo(a: BigFloat, b: BigFloat): BigFloat {
  if (a.inf || b.inf) return arith(() => mul(a, b));
  if (b.isZero()) return a;
  const q = arith(() => quo(a, b)).toBigInt();
  const w = BigFloat.fromBigInt(q);
  const prod = mul(b, w, w.prec);
  return sub(a, prod, w.prec);
}

/** Applies unary `!` or `-`. */
export function unaryOp(op: '!' | '-', v: HclValue): HclValue {
  if (isUnknown(v)) return v;
  return op === '!' ? !toBoolOperand(v, 'the') : toNumberOperand(v, 'the').negate();
}

/** `v.name`. */
export function getAttr(v: HclValue, name: string): HclValue {
  if (isUnknown(v)) return v;
  if (v === null) throw new HclError('Attempt to get attribute from null value', 'This value is null, so it does not have any attributes.');
  if (isObject(v)) {
    if (Object.hasOwn(v, name)) return v[name] as HclValue;
    throw new HclError('Unsupported attribute', `This object does not have an attribute named "${name}".`);
  }
  if (Array.isArray(v) && /^[0-9]+$/.test(name)) return getIndex(v, intValue(Number(name)));
  throw new HclError('Unsupported attribute', `This value does not have any attributes (it is a ${typeName(v)}); "${name}" cannot be read from it.`);
}

/** `v[key]`. */
export function getIndex(v: HclValue, key: HclValue): HclValue {
  if (isUnknown(v)) return v;
  if (isUnknown(key)) return new UnknownValue(key.description);
  if (v === null) throw new HclError('Attempt to index null value', 'This value is null, so it does not have any indices.');
  if (key === null) throw new HclError('Invalid index', 'Can\'t use a null value as an indexing key.');
  if (Array.isArray(v)) {
    const n = key instanceof BigFloat ? key : typeof key === 'string' ? parseNumber(key) : undefined;
    if (n === undefined) throw new HclError('Invalid index', `The given key does not identify an element in this collection value: a number is required, got ${typeName(key)}.`);
    const i = n.isInteger() ? Number(n.toBigInt()) : -1;
    if (!n.isInteger() || i < 0 || i >= v.length) {
      throw new HclError('Invalid index', `The given key does not identify an element in this collection value: index ${formatNumber(n)} of a list with ${v.length} element(s).`);
    }
    return v[i] as HclValue;
  }
  if (isObject(v)) {
    if (typeof key === 'object' && !(key instanceof BigFloat)) throw new HclError('Invalid index', `The given key does not identify an element in this collection value: string required, got ${typeName(key)}.`);
    const k = key instanceof BigFloat ? formatNumber(key) : String(key);
    if (Object.hasOwn(v, k)) return v[k] as HclValue;
    throw new HclError('Invalid index', `The given key does not identify an element in this collection value: there is no key "${k}".`);
  }
  throw new HclError('Invalid index', `This value does not have any indices (it is a ${typeName(v)}).`);
}

/** Sets a key on a plain object, safe for the name "__proto__". */
export function setKey(o: Record<string, HclValue>, k: string, v: HclValue): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}
