// Set functions. Sets are lists without duplicates; strings and numbers come out sorted as cty
// iterates them (setunion(["b","a"],["c"]) is ["a","b","c"]).

import type { HclFunction } from '../context.js';
import { toSet, unifyPrimitives } from '../convert.js';
import { deepEqual, type HclValue, typeName } from '../values.js';
import { argError, defineFunction } from './define.js';

function lists(args: HclValue[], param: string): HclValue[][] {
  return args.map((a) => {
    if (!Array.isArray(a)) throw argError(param, `set of values required, got ${typeName(a)}`);
    return a;
  });
}

const has = (l: HclValue[], v: HclValue): boolean => l.some((e) => deepEqual(e, v));

/** The set functions, by name. */
export function setFunctions(): Record<string, HclFunction> {
  return {
    setunion: defineFunction('setunion', {
      params: [{ name: 'first_set' }],
      variadic: { name: 'other_sets' },
      impl: (args) => toSet(unifyPrimitives(lists(args, 'sets').flat())),
    }),
    setintersection: defineFunction('setintersection', {
      params: [{ name: 'first_set' }],
      variadic: { name: 'other_sets' },
      impl: (args) => {
        const [first = [], ...rest] = lists(args, 'sets');
        return toSet(first.filter((v) => rest.every((r) => has(r, v))));
      },
    }),
    setsubtract: defineFunction('setsubtract', {
      params: [{ name: 'a' }, { name: 'b' }],
      impl: (args) => {
        const [a = [], b = []] = lists(args, 'sets');
        return toSet(a.filter((v) => !has(b, v)));
      },
    }),
    setproduct: defineFunction('setproduct', {
      params: [],
      variadic: { name: 'sets' },
      impl: (args) => {
        if (args.length < 2) throw new Error('at least two arguments are required');
        let out: HclValue[][] = [[]];
        for (const l of lists(args, 'sets')) out = out.flatMap((prefix) => l.map((v) => [...prefix, v]));
        return out;
      },
    }),
  };
}
