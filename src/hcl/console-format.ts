// How `packer console` prints a value: a string as its text, numbers and bools as written, null as
// `null`, and lists and objects as indented HCL with quoted strings and keys and a trailing comma
// after each list element.

import { BigFloat, compareStrings, type HclValue, isUnknown } from './values.js';

/** The console text of `v` (top level: strings unquoted). */
export function formatConsoleValue(v: HclValue): string {
  return typeof v === 'string' ? v : nested(v, '');
}

function nested(v: HclValue, indent: string): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof BigFloat) return consoleNumber(v);
  if (isUnknown(v)) return '(known after build)';
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => `${inner}${nested(x, inner)},\n`).join('')}${indent}]`;
  }
  // cty prints an object's attributes in key order.
  const keys = Object.keys(v).sort(compareStrings);
  if (keys.length === 0) return '{}';
  const obj = v as Record<string, HclValue>;
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)} = ${nested(obj[k]!, inner)}\n`).join('')}${indent}}`;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * A number as the console prints it: a whole number that fits in 64 bits in full, anything else as
 * the nearest float64 in Go's %g (shortest digits; an exponent below 1e-4 and from 1e6 on):
 * 1000000, 2.5, 1e+20, 1e-06, 1.2345678901234567e+19.
 */
export function consoleNumber(n: BigFloat): string {
  const exact = n.toString();
  if (/^-?\d+$/.test(exact) && BigInt(exact) >= INT64_MIN && BigInt(exact) <= INT64_MAX) return exact;
  const f = Number(exact);
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return '0';
  const [mantissa, e] = f.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(f);
}
