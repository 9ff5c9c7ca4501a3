// format() and formatlist(): Go fmt-style verbs as cty implements them (%s %q %d %f %e %g %v %t
// %b %o %x %X %%, flags + - 0 space #, width, precision, explicit argument index %[n]).

import { convertToType } from '../convert.js';
import { BigFloat, type HclValue, toTemplateString } from '../values.js';
import { jsonEncode } from './json.js';
import { argError } from './define.js';

const VERB = /%([-+# 0]*)(\[(\d+)\])?(\d+)?(?:\.(\d*))?([a-zA-Z%])?/y;

/** Formats `args` according to `spec`; throws a plain Error with cty's message on misuse. */
export function formatString(spec: string, args: HclValue[]): string {
  let out = '';
  let next = 0;
  let used = 0;
  let i = 0;
  while (i < spec.length) {
    const pct = spec.indexOf('%', i);
    if (pct < 0) {
      out += spec.slice(i);
      break;
    }
    out += spec.slice(i, pct);
    VERB.lastIndex = pct;
    const m = VERB.exec(spec);
    if (!m || !m[6]) throw new Error(`invalid format verb at offset ${pct} of "${spec}"`);
    i = VERB.lastIndex;
    const verb = m[6];
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (m[3] !== undefined) next = Number(m[3]) - 1;
    if (next >= args.length) throw new Error(`not enough arguments for "%${verb}" at ${pct}: need index ${next + 1} but have ${args.length} total`);
    const flags = m[1] ?? '';
    const width = m[4] === undefined ? 0 : Number(m[4]);
    const prec = m[5] === undefined ? undefined : Number(m[5] || '0');
    out += pad(formatOne(verb, args[next] as HclValue, flags, prec, pct), width, flags);
    next++;
    used = Math.max(used, next);
  }
  // cty counts the highest argument used, so explicit indexes may reorder ("%[2]s %[1]s").
  if (used < args.length) throw argError('args', `too many arguments; only ${used} used by format string`);
  return out;
}

function pad(s: string, width: number, flags: string): string {
  const len = Array.from(s).length;
  if (len >= width) return s;
  if (flags.includes('-')) return s + ' '.repeat(width - len);
  if (flags.includes('0') && /^[+-]?[0-9.]/.test(s)) {
    const sign = /^[+-]/.test(s) ? (s[0] as string) : '';
    return sign + '0'.repeat(width - len) + s.slice(sign.length);
  }
  return ' '.repeat(width - len) + s;
}

function asNumber(v: HclValue, verb: string, at: number): BigFloat {
  try {
    return convertToType(v, { kind: 'number' }) as BigFloat;
  } catch {
    throw new Error(`unsupported value for "%${verb}" at ${at}: number required`);
  }
}

function signed(n: BigFloat, body: string, flags: string): string {
  if (n.neg) return body;
  if (flags.includes('+')) return '+' + body;
  if (flags.includes(' ')) return ' ' + body;
  return body;
}

function formatOne(verb: string, v: HclValue, flags: string, prec: number | undefined, at: number): string {
  if (v === null) return verb === 'v' ? 'null' : (() => { throw new Error(`unsupported value for "%${verb}" at ${at}: null value cannot be formatted`); })();
  switch (verb) {
    case 'v':
      if (typeof v === 'object') return jsonEncode(v);
      if (flags.includes('#')) return jsonEncode(v);
      return toTemplateString(v);
    case 's':
    case 'q': {
      let s: string;
      try {
        s = convertToType(v, { kind: 'string' }) as string;
      } catch {
        throw new Error(`unsupported value for "%${verb}" at ${at}: string required`);
      }
      if (prec !== undefined) s = Array.from(s).slice(0, prec).join('');
      return verb === 'q' ? JSON.stringify(s) : s;
    }
    case 't':
      if (typeof v !== 'boolean') throw new Error(`unsupported value for "%t" at ${at}: bool required`);
      return String(v);
    case 'd':
    case 'b':
    case 'o':
    case 'x':
    case 'X': {
      const n = asNumber(v, verb, at);
      if (!n.isInteger()) throw new Error(`unsupported value for "%${verb}" at ${at}: an integer is required`);
      const radix = { d: 10, b: 2, o: 8, x: 16, X: 16 }[verb];
      const i = n.toBigInt();
      let body = (i < 0n ? -i : i).toString(radix);
      if (verb === 'X') body = body.toUpperCase();
      if (prec !== undefined && body.length < prec) body = '0'.repeat(prec - body.length) + body;
      return signed(n, (i < 0n ? '-' : '') + body, flags);
    }
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
      const n = asNumber(v, verb, at);
      return signed(n, formatFloat(n, verb, prec), flags);
    }
  }
  throw new Error(`unsupported format verb "%${verb}" at ${at}`);
}

/** %f %e %g of a number as Go formats a *big.Float (default precision 6 for %e and %f, shortest for %g). */
function formatFloat(n: BigFloat, verb: string, prec: number | undefined): string {
  const lower = verb.toLowerCase() as 'f' | 'e' | 'g';
  const s = n.abs().text(lower, prec ?? (lower === 'g' ? -1 : 6));
  const signedText = n.neg ? '-' + s : s;
  return verb === 'E' || verb === 'G' ? signedText.toUpperCase() : signedText;
}
