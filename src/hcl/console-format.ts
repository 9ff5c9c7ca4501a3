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
  if (v instanceof BigFloat) return v.toString();
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
