// Collection functions on lists and maps: length, concat, merge, lookup, element, keys, values,
// flatten, sort, reverse, distinct, compact, chunklist, index, slice, zipmap, coalesce...

import type { HclFunction } from '../context.js';
import { convertToType, unifyPrimitives } from '../convert.js';
import { setKey } from '../operators.js';
import { asList as markList, asMap as markMap, BigFloat, collectionKind, compareStrings, deepEqual, type HclObject, type HclValue, intValue, isObject, sortedKeys, typeName } from '../values.js';
import { argError, defineFunction, jsNumber, LIST_STRING, NUMBER } from './define.js';
import { graphemes } from './text.js';

const LIST = (name: string) => ({ name, allowUnknownInside: true });

function asList(v: HclValue, param: string): HclValue[] {
  if (Array.isArray(v)) return v;
  throw argError(param, `list required, got ${typeName(v)}`);
}

function asMap(v: HclValue, param: string): HclObject {
  if (isObject(v)) return v;
  throw argError(param, `map or object required, got ${typeName(v)}`);
}

/** `items` with the list/set/tuple kind of `like` (sets become lists). */
function sameKind(like: HclValue[], items: HclValue[]): HclValue[] {
  return collectionKind(like) === 'tuple' ? items : markList(items);
}

function distinct(items: HclValue[]): HclValue[] {
  const out: HclValue[] = [];
  for (const i of items) if (!out.some((o) => deepEqual(o, i))) out.push(i);
  return out;
}

/** The list and map functions, by name. */
export function collectionFunctions(): Record<string, HclFunction> {
  return {
    length: defineFunction('length', {
      params: [{ name: 'value', allowUnknownInside: true }],
      impl: ([v]) => {
        if (typeof v === 'string') return intValue(graphemes(v).length);
        if (Array.isArray(v)) return intValue(v.length);
        if (isObject(v)) return intValue(Object.keys(v).length);
        throw new Error('argument must be a string, a collection type, or a structural type');
      },
    }),
    concat: defineFunction('concat', {
      params: [],
      variadic: LIST('seqs'),
      impl: (lists) => {
        if (lists.length === 0) throw new Error('at least one argument is required');
        const out = lists.flatMap((l) => asList(l, 'seqs'));
        // All lists: a list; any tuple makes the result a tuple (cty).
        return lists.every((l) => Array.isArray(l) && collectionKind(l) !== 'tuple') ? markList(out) : out;
      },
    }),
    merge: defineFunction('merge', {
      params: [],
      variadic: { name: 'maps', allowNull: true, allowUnknownInside: true },
      impl: (maps) => {
        const out: HclObject = {};
        for (const m of maps) if (m !== null) for (const k of Object.keys(asMap(m, 'maps'))) setKey(out, k, m[k as never] as HclValue);
        const present = maps.filter((m) => m !== null);
        return present.length > 0 && present.every((m) => isObject(m) && collectionKind(m) === 'map') ? markMap(out) : out;
      },
    }),
    lookup: defineFunction('lookup', {
      params: [{ name: 'inputMap', allowUnknownInside: true }, { name: 'key', type: { kind: 'string' } }, { name: 'default', allowNull: true, allowUnknownInside: true }],
      impl: ([m, k, d]) => {
        const map = asMap(m as HclValue, 'inputMap');
        return Object.hasOwn(map, k as string) ? (map[k as string] as HclValue) : (d as HclValue);
      },
    }),
    element: defineFunction('element', {
      params: [LIST('list'), { name: 'index', type: NUMBER }],
      impl: ([l, i]) => {
        const list = asList(l as HclValue, 'list');
        const n = jsNumber(i);
        if (list.length === 0) throw new Error('cannot use element function with an empty list');
        if (n < 0) throw new Error('cannot use element function with a negative index');
        if (!Number.isInteger(n)) throw argError('index', `a whole number is required, got ${n}`);
        return list[n % list.length] as HclValue;
      },
    }),
    keys: defineFunction('keys', { params: [{ name: 'inputMap', allowUnknownInside: true }], impl: ([m]) => {
      const map = asMap(m as HclValue, 'inputMap');
      return collectionKind(map) === 'map' ? markList(sortedKeys(map)) : sortedKeys(map);
    } }),
    values: defineFunction('values', {
      params: [{ name: 'mapping', allowUnknownInside: true }],
      impl: ([m]) => {
        const map = asMap(m as HclValue, 'mapping');
        const vals = sortedKeys(map).map((k) => map[k] as HclValue);
        return collectionKind(map) === 'map' ? markList(vals) : vals;
      },
    }),
    flatten: defineFunction('flatten', {
      params: [LIST('list')],
      impl: ([l]) => {
        const walk = (v: HclValue[]): HclValue[] => v.flatMap((e) => (Array.isArray(e) ? walk(e) : [e]));
        return walk(asList(l as HclValue, 'list'));
      },
    }),
    sort: defineFunction('sort', {
      params: [{ name: 'list', type: LIST_STRING }],
      impl: ([l]) => {
        if ((l as HclValue[]).includes(null)) throw argError('list', 'given list element must not be null');
        return markList([...(l as string[])].sort(compareStrings));
      },
    }),
    reverse: defineFunction('reverse', { params: [LIST('list')], impl: ([l]) => sameKind(l as HclValue[], [...asList(l as HclValue, 'list')].reverse()) }),
    distinct: defineFunction('distinct', { params: [{ name: 'list' }], impl: ([l]) => markList(distinct(unifyPrimitives(asList(l as HclValue, 'list')))) }),
    compact: defineFunction('compact', {
      params: [{ name: 'list', type: LIST_STRING }],
      impl: ([l]) => markList((l as HclValue[]).filter((e) => e !== null && e !== '')),
    }),
    chunklist: defineFunction('chunklist', {
      params: [LIST('list'), { name: 'size', type: NUMBER }],
      impl: ([l, s]) => {
        const list = asList(l as HclValue, 'list');
        const size = jsNumber(s);
        if (!Number.isInteger(size) || size < 0) throw argError('size', 'the size argument must be a non-negative whole number');
        if (size === 0) return markList([markList([...list])]);
        const out: HclValue[] = [];
        for (let i = 0; i < list.length; i += size) out.push(markList(list.slice(i, i + size)));
        return markList(out);
      },
    }),
    index: defineFunction('index', {
      params: [{ name: 'list' }, { name: 'value', allowNull: true }],
      impl: ([l, v]) => {
        const i = asList(l as HclValue, 'list').findIndex((e) => deepEqual(e, v as HclValue));
        if (i < 0) throw new Error('item not found');
        return intValue(i);
      },
    }),
    contains: defineFunction('contains', {
      params: [{ name: 'list' }, { name: 'value', allowNull: true }],
      impl: ([l, v]) => asList(l as HclValue, 'list').some((e) => deepEqual(e, v as HclValue)),
    }),
    slice: defineFunction('slice', {
      params: [LIST('list'), { name: 'start_index', type: NUMBER }, { name: 'end_index', type: NUMBER }],
      impl: ([l, a, b]) => {
        const list = asList(l as HclValue, 'list');
        const start = jsNumber(a);
        const end = jsNumber(b);
        if (!Number.isInteger(start) || start < 0) throw argError('start_index', 'the starting index must be a non-negative whole number');
        if (!Number.isInteger(end) || end > list.length) throw argError('end_index', 'the ending index must not exceed the list length');
        if (start > end) throw argError('start_index', 'the starting index must be less than or equal to the ending index');
        return sameKind(list, list.slice(start, end));
      },
    }),
    zipmap: defineFunction('zipmap', {
      params: [{ name: 'keys', type: LIST_STRING }, LIST('values')],
      impl: ([k, v]) => {
        const keys = k as string[];
        const vals = asList(v as HclValue, 'values');
        if (keys.length !== vals.length) throw new Error(`number of keys (${keys.length}) does not match number of values (${vals.length})`);
        const out: HclObject = {};
        keys.forEach((key, i) => setKey(out, key, vals[i] as HclValue));
        return collectionKind(vals) === 'tuple' ? out : markMap(out);
      },
    }),
    coalesce: defineFunction('coalesce', {
      params: [],
      variadic: { name: 'vals', allowNull: true },
      impl: (vals) => {
        const found = vals.find((v) => v !== null && v !== '');
        if (found === undefined) throw new Error('no non-null, non-empty-string arguments');
        // Mixed primitive arguments unify to string, as cty does.
        return vals.some((v) => typeof v === 'string') && (typeof found !== 'object' || found instanceof BigFloat) ? convertToType(found, { kind: 'string' }) : found;
      },
    }),
    coalescelist: defineFunction('coalescelist', {
      params: [],
      variadic: LIST('vals'),
      impl: (lists) => {
        const found = lists.find((l) => asList(l, 'vals').length > 0);
        if (found === undefined) throw new Error('no non-null arguments');
        return found;
      },
    }),
  };
}
