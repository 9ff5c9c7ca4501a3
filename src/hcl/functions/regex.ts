// Regular-expression functions: regex, regexall, regex_replace. Patterns have Go's RE2 syntax and
// semantics, with the linear-time guarantee Packer has: re2js (pure JavaScript) runs them, so a
// pattern such as `(a|aa)+$` cannot make validate backtrack for minutes.

import { RE2JS } from 're2js';
import type { HclFunction } from '../context.js';
import type { HclObject, HclValue } from '../values.js';
import { argError, defineFunction, STRING } from './define.js';

type Matcher = ReturnType<RE2JS['matcher']>;

/** Compiles a Go (RE2) pattern; a syntax error names the pattern. */
export function compileGoRegex(pattern: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (err) {
    throw argError('pattern', `invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

/** Each successive non-overlapping match, like Go's FindAll: an empty match right after a match is skipped. */
function* matches(re: RE2JS, s: string): Generator<Matcher> {
  const m = re.matcher(s);
  let pos = 0;
  let prevEnd = -1;
  while (pos <= s.length && m.find(pos)) {
    const start = m.start();
    const end = m.end();
    if (end === start && start === prevEnd) {
      pos = start + step(s, start);
      continue;
    }
    yield m;
    prevEnd = end;
    pos = end > start ? end : end + step(s, end);
  }
}

function step(s: string, at: number): number {
  const c = s.codePointAt(at);
  return c !== undefined && c > 0xffff ? 2 : 1;
}

function matchValue(re: RE2JS, m: Matcher): HclValue {
  const names = re.namedGroups();
  if (Object.keys(names).length > 0) {
    const o: HclObject = {};
    for (const [k, i] of Object.entries(names)) o[k] = m.group(i) ?? null;
    return o;
  }
  const n = m.groupCount();
  if (n > 0) return Array.from({ length: n }, (_, i) => m.group(i + 1) ?? null);
  return m.group(0) ?? '';
}

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; an unknown group is empty. */
function expand(template: string, re: RE2JS, m: Matcher): string {
  const names = re.namedGroups();
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (all, _x, braced?: string, bare?: string) => {
    if (all === '$$') return '$';
    const name = (braced ?? bare) as string;
    const index = /^[0-9]+$/.test(name) ? Number(name) : names[name];
    if (index === undefined || index > m.groupCount()) return '';
    return m.group(index) ?? '';
  });
}

/** The regex functions, by name. */
export function regexFunctions(): Record<string, HclFunction> {
  return {
    regex: defineFunction('regex', {
      params: [{ name: 'pattern', type: STRING }, { name: 'string', type: STRING }],
      impl: ([p, s]) => {
        const re = compileGoRegex(p as string);
        const m = re.matcher(s as string);
        if (!m.find()) throw new Error('pattern did not match any part of the given string');
        return matchValue(re, m);
      },
    }),
    regexall: defineFunction('regexall', {
      params: [{ name: 'pattern', type: STRING }, { name: 'string', type: STRING }],
      impl: ([p, s]) => {
        const re = compileGoRegex(p as string);
        return Array.from(matches(re, s as string), (m) => matchValue(re, m));
      },
    }),
    regex_replace: defineFunction('regex_replace', {
      params: [{ name: 'str', type: STRING }, { name: 'substr', type: STRING }, { name: 'replace', type: STRING }],
      impl: ([s, p, r]) => {
        const str = s as string;
        const re = compileGoRegex(p as string);
        let out = '';
        let last = 0;
        for (const m of matches(re, str)) {
          out += str.slice(last, m.start()) + expand(r as string, re, m);
          last = m.end();
        }
        return out + str.slice(last);
      },
    }),
  };
}
