// String functions: case, trimming, substrings, splitting and joining, replacement.

import type { HclFunction } from '../context.js';
import { asList, type HclValue } from '../values.js';
import { argError, defineFunction, jsNumber, LIST_STRING, NUMBER, STRING, stringFunction } from './define.js';
import { graphemes } from './text.js';
import { goLower, goTitle, goUpper } from './case-mapping.js';


const twoStrings = (name: string, a: string, b: string, fn: (x: string, y: string) => HclValue): HclFunction =>
  defineFunction(name, { params: [{ name: a, type: STRING }, { name: b, type: STRING }], impl: ([x, y]) => fn(x as string, y as string) });

/** The string functions, by name. */
export function stringFunctions(): Record<string, HclFunction> {
  return {
    upper: stringFunction('upper', goUpper),
    lower: stringFunction('lower', goLower),
    title: stringFunction('title', goTitle),
    strrev: stringFunction('strrev', (s) => graphemes(s).reverse().join('')),
    trimspace: stringFunction('trimspace', (s) => s.replace(/^\s+|\s+$/gu, '')),
    chomp: stringFunction('chomp', (s) => s.replace(/(\r\n|\n|\r)+$/u, '')),
    trim: twoStrings('trim', 'str', 'cutset', (s, cut) => {
      const set = new Set(Array.from(cut));
      const chars = Array.from(s);
      let a = 0;
      let b = chars.length;
      while (a < b && set.has(chars[a] as string)) a++;
      while (b > a && set.has(chars[b - 1] as string)) b--;
      return chars.slice(a, b).join('');
    }),
    trimprefix: twoStrings('trimprefix', 'str', 'prefix', (s, p) => (s.startsWith(p) ? s.slice(p.length) : s)),
    trimsuffix: twoStrings('trimsuffix', 'str', 'suffix', (s, p) => (p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s)),
    startswith: twoStrings('startswith', 'str', 'prefix', (s, p) => s.startsWith(p)),
    endswith: twoStrings('endswith', 'str', 'suffix', (s, p) => s.endsWith(p)),
    strcontains: twoStrings('strcontains', 'str', 'substr', (s, p) => s.includes(p)),
    split: twoStrings('split', 'separator', 'str', (sep, s) => asList(sep === '' ? Array.from(s) : s.split(sep))),
    replace: defineFunction('replace', {
      params: [{ name: 'str', type: STRING }, { name: 'substr', type: STRING }, { name: 'replace', type: STRING }],
      // Packer 1.6.6: plain substring replacement only, no "/regex/" form.
      // Go's strings.Replace with an empty old string inserts `replace` around every code point.
      impl: ([s, sub, rep]) => (sub === '' ? rep + Array.from(s as string).join(rep as string) + (s === '' ? '' : rep) : (s as string).split(sub as string).join(rep as string)),
    }),
    substr: defineFunction('substr', {
      params: [{ name: 'str', type: STRING }, { name: 'offset', type: NUMBER }, { name: 'length', type: NUMBER }],
      impl: ([s, off, len]) => substr(s as string, Math.trunc(jsNumber(off)), Math.trunc(jsNumber(len))),
    }),
    indent: defineFunction('indent', {
      params: [{ name: 'spaces', type: NUMBER }, { name: 'str', type: STRING }],
      impl: ([n, s]) => (s as string).split('\n').join('\n' + ' '.repeat(Math.max(0, Math.trunc(jsNumber(n))))),
    }),
    join: defineFunction('join', {
      params: [{ name: 'separator', type: STRING }],
      variadic: { name: 'lists', type: LIST_STRING },
      impl: ([sep, ...lists]) => {
        if (lists.length === 0) throw new Error('at least one list is required');
        return (lists as HclValue[][]).flat().map((e, i) => {
          if (e === null) throw argError('lists', `element ${i} is null; cannot concatenate null values`);
          return e as string;
        }).join(sep as string);
      },
    }),
  };
}

/** cty substr: offsets and lengths count grapheme clusters; negative offset counts from the end, length -1 means "to the end". */
function substr(s: string, offset: number, length: number): string {
  const g = graphemes(s);
  let off = offset < 0 ? g.length + offset : offset;
  if (off < 0) off = 0;
  if (off > g.length) return '';
  const end = length < 0 ? g.length : Math.min(g.length, off + length);
  return g.slice(off, end).join('');
}
