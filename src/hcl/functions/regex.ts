// Regular-expression functions (Go RE2 syntax, translated to JavaScript): regex, regexall,
// regex_replace.

import type { HclFunction } from '../context.js';
import type { HclObject, HclValue } from '../values.js';
import { argError, defineFunction, STRING } from './define.js';

/** Compiles a Go (RE2) pattern as a JavaScript RegExp with the given extra flags. */
export function compileGoRegex(pattern: string, flags: string): RegExp {
  let src = pattern;
  let f = flags;
  // A leading (?ims) group sets flags in Go; JavaScript wants them outside the pattern.
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    src = src.slice(lead[0].length);
    for (const ch of lead[1] as string) if (ch !== 'U' && !f.includes(ch)) f += ch;
  }
  src = src.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\z/g, '$(?![\\s\\S])');
  try {
    return new RegExp(src, f + 'u');
  } catch {
    try {
      return new RegExp(src, f);
    } catch (err) {
      throw argError('pattern', `invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`);
    }
  }
}

function matchValue(m: RegExpExecArray): HclValue {
  if (m.groups && Object.keys(m.groups).length) {
    const o: HclObject = {};
    for (const [k, v] of Object.entries(m.groups)) o[k] = v ?? null;
    return o;
  }
  if (m.length > 1) return m.slice(1).map((g) => g ?? null);
  return m[0];
}

/** Go replacement templates ($1, ${1}, $name, ${name}) as JavaScript ones. */
function goReplacement(rep: string): string {
  return rep.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (all, _x, braced?: string, bare?: string) => {
    if (all === '$$') return '$$';
    const name = (braced ?? bare) as string;
    return /^[0-9]+$/.test(name) ? `$${name}` : `$<${name}>`;
  });
}

/** The regex functions, by name. */
export function regexFunctions(): Record<string, HclFunction> {
  return {
    regex: defineFunction('regex', {
      params: [{ name: 'pattern', type: STRING }, { name: 'string', type: STRING }],
      impl: ([p, s]) => {
        const m = compileGoRegex(p as string, '').exec(s as string);
        if (!m) throw new Error('pattern did not match any part of the given string');
        return matchValue(m);
      },
    }),
    regexall: defineFunction('regexall', {
      params: [{ name: 'pattern', type: STRING }, { name: 'string', type: STRING }],
      impl: ([p, s]) => Array.from((s as string).matchAll(compileGoRegex(p as string, 'g')), (m) => matchValue(m as RegExpExecArray)),
    }),
    regex_replace: defineFunction('regex_replace', {
      params: [{ name: 'str', type: STRING }, { name: 'substr', type: STRING }, { name: 'replace', type: STRING }],
      impl: ([s, p, r]) => (s as string).replace(compileGoRegex(p as string, 'g'), goReplacement(r as string)),
    }),
  };
}
