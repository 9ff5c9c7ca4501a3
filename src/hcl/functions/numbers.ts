// Number functions: abs, ceil, floor, max, min, pow, signum, log, parseint, range, sum, and the
// boolean reductions alltrue/anytrue. Numbers are BigFloat; pow and log go through float64 as cty's do.

import type { HclFunction } from '../context.js';
import { add, cmp } from '../bigfloat.js';
import { BigFloat, type HclValue, asList, intValue } from '../values.js';
import { argError, BOOL, defineFunction, NUMBER, STRING } from './define.js';

const unary = (name: string, f: (n: BigFloat) => BigFloat): HclFunction =>
  defineFunction(name, { params: [{ name: 'num', type: NUMBER }], impl: ([n]) => f(n as BigFloat) });

const numbers = (name: string, pick: (a: BigFloat, b: BigFloat) => boolean): HclFunction =>
  defineFunction(name, {
    params: [],
    variadic: { name: 'numbers', type: NUMBER },
    impl: (ns) => {
      if (ns.length === 0) throw new Error('must pass at least one number');
      return (ns as BigFloat[]).reduce((best, n) => (pick(n, best) ? n : best));
    },
  });

/** A float64 result as cty.NumberFloatVal makes it; NaN is the panic cty reports. */
function float64Result(x: number): BigFloat {
  if (Number.isNaN(x)) throw new Error('panic in function implementation: NaN is not a number');
  return BigFloat.fromFloat64(x);
}

/** The integer toward -Inf (floor) or +Inf (ceil), keeping the argument's precision. */
function roundToInteger(n: BigFloat, up: boolean): BigFloat {
  if (n.inf || n.isInteger()) return n;
  let i = n.toBigInt();
  if (up && !n.neg) i += 1n;
  if (!up && n.neg) i -= 1n;
  return BigFloat.fromBigInt(i, n.prec);
}

/** The number functions, by name. */
export function numberFunctions(): Record<string, HclFunction> {
  return {
    abs: unary('abs', (n) => n.abs()),
    ceil: unary('ceil', (n) => roundToInteger(n, true)),
    floor: unary('floor', (n) => roundToInteger(n, false)),
    signum: unary('signum', (n) => {
      // cty reads the argument into a Go int: fractions are refused.
      if (!n.isInteger()) throw new Error('value must be a whole number');
      return intValue(n.sign());
    }),
    max: numbers('max', (a, b) => cmp(a, b) > 0),
    min: numbers('min', (a, b) => cmp(a, b) < 0),
    pow: defineFunction('pow', {
      params: [{ name: 'num', type: NUMBER }, { name: 'power', type: NUMBER }],
      impl: ([a, b]) => float64Result((a as BigFloat).toFloat64() ** (b as BigFloat).toFloat64()),
    }),
    log: defineFunction('log', {
      params: [{ name: 'num', type: NUMBER }, { name: 'base', type: NUMBER }],
      impl: ([a, b]) => float64Result(Math.log((a as BigFloat).toFloat64()) / Math.log((b as BigFloat).toFloat64())),
    }),
    parseint: defineFunction('parseint', {
      params: [{ name: 'number', type: STRING }, { name: 'base', type: NUMBER }],
      impl: ([s, b]) => BigFloat.fromBigInt(parseInteger(s as string, b as BigFloat)),
    }),
    range: defineFunction('range', {
      params: [],
      variadic: { name: 'params', type: NUMBER },
      impl: (ps) => asList(range(ps as BigFloat[])),
    }),
    sum: defineFunction('sum', {
      params: [{ name: 'list', type: { kind: 'list', element: NUMBER } }],
      impl: ([l]) => {
        const list = l as HclValue[];
        if (list.length === 0) throw argError('list', 'cannot sum an empty list');
        if (list.includes(null)) throw argError('list', 'argument must be list of numbers without null elements');
        return (list as BigFloat[]).reduce((a, b) => add(a, b));
      },
    }),
    alltrue: defineFunction('alltrue', {
      params: [{ name: 'list', type: { kind: 'list', element: BOOL } }],
      impl: ([l]) => (l as HclValue[]).every((b) => b === true),
    }),
    anytrue: defineFunction('anytrue', {
      params: [{ name: 'list', type: { kind: 'list', element: BOOL } }],
      impl: ([l]) => (l as HclValue[]).some((b) => b === true),
    }),
  };
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** big.Int.SetString(s, base): optional sign, digits of the base (case-insensitive up to 36). */
function parseInteger(s: string, baseValue: BigFloat): bigint {
  const base = baseValue.isInteger() ? Number(baseValue.toBigInt()) : NaN;
  if (!Number.isInteger(base) || base < 2 || base > 62) throw argError('base', 'base must be a whole number between 2 and 62 inclusive');
  const bad = (): never => argError('number', `cannot parse ${JSON.stringify(s)} as a base ${base} integer`) as never;
  const body = s.replace(/^[+-]/, '');
  if (body === '') throw bad();
  let n = 0n;
  const b = BigInt(base);
  for (const ch of body) {
    const d = base <= 36 ? DIGITS.indexOf(ch.toLowerCase()) : DIGITS.indexOf(ch);
    if (d < 0 || d >= base) throw bad();
    n = n * b + BigInt(d);
  }
  return s.startsWith('-') ? -n : n;
}

function range(ps: BigFloat[]): BigFloat[] {
  if (ps.length < 1 || ps.length > 3) throw new Error('must have one, two, or three arguments');
  const zero = BigFloat.fromInt(0);
  const one = BigFloat.fromInt(1);
  const [start, limit] = ps.length === 1 ? [zero, ps[0] as BigFloat] : [ps[0] as BigFloat, ps[1] as BigFloat];
  const step = ps[2] ?? (cmp(start, limit) > 0 ? one.negate() : one);
  if (step.isZero()) throw new Error('step must not be zero');
  if (cmp(start, limit) < 0 && step.neg) throw new Error('step must be positive when start is less than limit');
  if (cmp(start, limit) > 0 && !step.neg) throw new Error('step must be negative when start is greater than limit');
  const out: BigFloat[] = [];
  for (let v = start; step.neg ? cmp(v, limit) > 0 : cmp(v, limit) < 0; v = add(v, step)) {
    if (out.length >= 1024) throw new Error('more than 1024 values were generated; use a larger step');
    out.push(v);
  }
  return out;
}
