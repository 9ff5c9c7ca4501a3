// Number functions: abs, ceil, floor, max, min, pow, signum, log, parseint, range, sum, and the
// boolean reductions alltrue/anytrue.

import type { HclFunction } from '../context.js';
import type { HclValue } from '../values.js';
import { argError, BOOL, defineFunction, NUMBER, STRING } from './define.js';

const unary = (name: string, f: (n: number) => number): HclFunction =>
  defineFunction(name, { params: [{ name: 'num', type: NUMBER }], impl: ([n]) => f(n as number) });

const numbers = (name: string, f: (ns: number[]) => number): HclFunction =>
  defineFunction(name, {
    params: [],
    variadic: { name: 'numbers', type: NUMBER },
    impl: (ns) => {
      if (ns.length === 0) throw new Error('must pass at least one number');
      return f(ns as number[]);
    },
  });

/** The number functions, by name. */
export function numberFunctions(): Record<string, HclFunction> {
  return {
    abs: unary('abs', Math.abs),
    ceil: unary('ceil', Math.ceil),
    floor: unary('floor', Math.floor),
    signum: unary('signum', (n) => (n > 0 ? 1 : n < 0 ? -1 : 0)),
    max: numbers('max', (ns) => Math.max(...ns)),
    min: numbers('min', (ns) => Math.min(...ns)),
    pow: defineFunction('pow', { params: [{ name: 'num', type: NUMBER }, { name: 'power', type: NUMBER }], impl: ([a, b]) => (a as number) ** (b as number) }),
    log: defineFunction('log', { params: [{ name: 'num', type: NUMBER }, { name: 'base', type: NUMBER }], impl: ([a, b]) => Math.log(a as number) / Math.log(b as number) }),
    parseint: defineFunction('parseint', {
      params: [{ name: 'number', type: STRING }, { name: 'base', type: NUMBER }],
      impl: ([s, b]) => parseInteger(s as string, b as number),
    }),
    range: defineFunction('range', {
      params: [],
      variadic: { name: 'params', type: NUMBER },
      impl: (ps) => range(ps as number[]),
    }),
    sum: defineFunction('sum', {
      params: [{ name: 'list', type: { kind: 'list', element: NUMBER } }],
      impl: ([l]) => {
        const list = l as HclValue[];
        if (list.length === 0) throw argError('list', 'cannot sum an empty list');
        if (list.includes(null)) throw argError('list', 'argument must be list of numbers without null elements');
        return (list as number[]).reduce((a, b) => a + b, 0);
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

function parseInteger(s: string, base: number): number {
  if (!Number.isInteger(base) || base < 2 || base > 62) throw argError('base', 'base must be a whole number between 2 and 62 inclusive');
  const digits = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const body = s.replace(/^[+-]/, '');
  let n = 0;
  for (const ch of body) {
    // Bases up to 36 are case-insensitive, as in Go's big.Int.SetString.
    const d = base <= 36 ? digits.indexOf(ch.toLowerCase()) : digits.indexOf(ch);
    if (d < 0 || d >= base) throw argError('number', `cannot parse ${JSON.stringify(s)} as a base ${base} integer`);
    n = n * base + d;
  }
  if (body === '') throw argError('number', `cannot parse ${JSON.stringify(s)} as a base ${base} integer`);
  return s.startsWith('-') ? -n : n;
}

function range(ps: number[]): number[] {
  if (ps.length < 1 || ps.length > 3) throw new Error('must have one, two, or three arguments');
  const [start, limit, step] = ps.length === 1 ? [0, ps[0] as number, 1] : [ps[0] as number, ps[1] as number, ps[2] ?? (ps[0]! > ps[1]! ? -1 : 1)];
  if (step === 0) throw new Error('step must not be zero');
  if (start < limit && step < 0) throw new Error('step must be positive when start is less than limit');
  if (start > limit && step > 0) throw new Error('step must be negative when start is greater than limit');
  const out: number[] = [];
  for (let v = start; step > 0 ? v < limit : v > limit; v += step) {
    if (out.length >= 1024) throw new Error('more than 1024 values were generated; use a larger step');
    out.push(v);
  }
  return out;
}
