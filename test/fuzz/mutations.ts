// Seeded mutations of real templates (the examples and the test fixtures) for the validate fuzz
// test. Everything derives from the seed: the same seed gives the same cases, byte for byte.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../src/seeded-random.js';

/** The repository root (this file runs from dist/test/fuzz). */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface Seed {
  /** Corpus file, relative to the repository. */
  name: string;
  /** File name the case is written as (keeps the extension, which picks the loader). */
  fileName: string;
  text: string;
}

export interface FuzzCase {
  id: number;
  /** Where it came from and what was done, for the report. */
  label: string;
  fileName: string;
  data: Buffer;
}

/** A small, fast, seeded PRNG. */
export const rng = seededRandom;

/** The template files of examples/ and test/fixtures/templates/, in a stable order. */
export function corpus(): Seed[] {
  const out: Seed[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(pkr\.hcl|pkrvars\.hcl|pkr\.json|json)$/.test(name) && statSync(path).size < 200_000) {
        const fileName = name.endsWith('.pkrvars.hcl') ? 'case.pkr.hcl' : name.endsWith('.pkr.hcl') ? 'case.pkr.hcl' : name.endsWith('.pkr.json') ? 'case.pkr.json' : 'case.json';
        out.push({ name: relative(REPO, path), fileName, text: readFileSync(path, 'utf8') });
      }
    }
  };
  walk(join(REPO, 'examples'));
  walk(join(REPO, 'test/fixtures/templates'));
  return out;
}

const TOKEN = /\s+|[A-Za-z_][\w-]*|\d+(?:\.\d+)?|"(?:[^"\\\n]|\\.)*"|\$\{|%\{|[\s\S]/g;

function tokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

type Rand = () => number;
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

const WRONG_VALUES = ['[1, 2]', '{ a = 1 }', 'true', 'null', '12345678901234567890', '"x"', '-1', '[[]]', '{}', '""', '1e308', '0.5'];
const WRONG_JSON = ['[1, 2]', '{"a": 1}', 'true', 'null', '12345678901234567890', '"x"', '-1', '[[]]', '{}', '""', '1e308'];
const UNICODE = ['\u0000', '\u202e', '\u0301', '😀', '\uffff', '\ufeff', '\u2028', '中文', '\u00a0', '\r', '\t', '\\u0000', '\x7f'];
const REGEXES = [
  ['(a|aa)+$', `${'a'.repeat(5000)}!`],
  ['(x+x+)+y', 'x'.repeat(5000)],
  ['^(([a-z])+.)+[A-Z]([a-z])+$', `${'a'.repeat(5000)}!`],
  ['(.*a){20}', 'a'.repeat(3000)],
  ['(?=a)', 'a'],
  ['[', 'a'],
];

type Mutation = (r: Rand, text: string, json: boolean) => { text: string; bytes?: Buffer; what: string };

const at = (r: Rand, text: string): number => int(r, 0, text.length);

const MUTATIONS: Mutation[] = [
  (r, text) => {
    const t = tokens(text);
    const n = int(r, 1, 4);
    for (let k = 0; k < n && t.length > 0; k++) t.splice(int(r, 0, t.length - 1), 1);
    return { text: t.join(''), what: `delete ${n} token(s)` };
  },
  (r, text) => {
    const t = tokens(text);
    if (t.length === 0) return { text, what: 'noop' };
    const i = int(r, 0, t.length - 1);
    const times = pick(r, [1, 2, 50]);
    t.splice(i, 0, ...Array<string>(times).fill(t[i]!));
    return { text: t.join(''), what: `duplicate a token x${times}` };
  },
  (r, text) => {
    const t = tokens(text);
    if (t.length < 2) return { text, what: 'noop' };
    const i = int(r, 0, t.length - 1);
    const j = int(r, 0, t.length - 1);
    [t[i], t[j]] = [t[j]!, t[i]!];
    return { text: t.join(''), what: 'swap two tokens' };
  },
  (r, text) => {
    const buf = Buffer.from(text, 'utf8');
    const n = int(r, 1, 8);
    const parts: Buffer[] = [];
    let last = 0;
    const cuts = Array.from({ length: n }, () => int(r, 0, buf.length)).sort((a, b) => a - b);
    for (const c of cuts) {
      parts.push(buf.subarray(last, c), Buffer.from([int(r, 0, 255)]));
      last = c;
    }
    parts.push(buf.subarray(last));
    return { text, bytes: Buffer.concat(parts), what: `insert ${n} random byte(s)` };
  },
  (r, text, json) => {
    const depth = pick(r, [60, 150, 1000, 5000, 20000]);
    const [open, close] = json ? pick(r, [['[', ']'], ['{"a":', '}']]) : pick(r, [['[', ']'], ['(', ')'], ['{', '}'], ['"${', '}"'], ['upper(', ')'], ['[for x in ', ' : x]']]);
    const inner = json ? '1' : '"a"';
    const i = at(r, text);
    return { text: text.slice(0, i) + open!.repeat(depth) + inner + close!.repeat(depth) + text.slice(i), what: `nest ${open} x${depth}` };
  },
  (r, text) => {
    const size = pick(r, [1000, 50_000, 300_000]);
    const terminated = r() < 0.5;
    const i = at(r, text);
    return { text: `${text.slice(0, i)}"${pick(r, ['a', 'ß', '\\n', '$', '{'] as const).repeat(size)}${terminated ? '"' : ''}${text.slice(i)}`, what: `huge ${terminated ? '' : 'unterminated '}string of ${size}` };
  },
  (r, text) => {
    const n = int(r, 1, 6);
    let out = text;
    for (let k = 0; k < n; k++) {
      const i = at(r, out);
      out = out.slice(0, i) + pick(r, UNICODE) + out.slice(i);
    }
    return { text: out, what: `insert ${n} unicode/NUL character(s)` };
  },
  (r, text, json) => {
    const re = json ? /:\s*("(?:[^"\\]|\\.)*"|\d+|true|false|\[|\{)/g : /=\s*("(?:[^"\\\n]|\\.)*"|\d+|true|false|\[|\{)/g;
    const hits = [...text.matchAll(re)];
    if (hits.length === 0) return { text, what: 'noop' };
    const h = pick(r, hits);
    const value = pick(r, json ? WRONG_JSON : WRONG_VALUES);
    const start = h.index! + h[0].length - h[1]!.length;
    return { text: text.slice(0, start) + value + text.slice(start + h[1]!.length), what: `wrong type ${value}` };
  },
  (r, text, json) => {
    if (json) {
      const n = text.indexOf('{');
      const cyc = `"variables": {"fz_a": "{{user \`fz_b\`}}", "fz_b": "{{user \`fz_a\`}}"},`;
      return { text: n === -1 ? text : text.slice(0, n + 1) + cyc + text.slice(n + 1), what: 'cyclic user variables' };
    }
    const len = int(r, 2, 40);
    const lines = Array.from({ length: len }, (_, k) => `  fz_${k} = local.fz_${(k + 1) % len}`);
    return { text: `${text}\nlocals {\n${lines.join('\n')}\n}\n`, what: `cyclic locals of ${len}` };
  },
  (r, text, json) => {
    const [pattern, input] = pick(r, REGEXES);
    const fn = pick(r, ['regex', 'regexall', 'regex_replace']);
    const call = fn === 'regex_replace' ? `${fn}(${JSON.stringify(input)}, ${JSON.stringify(pattern)}, "x")` : `${fn}(${JSON.stringify(pattern)}, ${JSON.stringify(input)})`;
    if (json) return { text: text.replace(/"([^"\\]{0,40})"/, `"\${${call.replace(/"/g, '\\"')}}"`), what: `catastrophic regex ${fn}` };
    return { text: `${text}\nlocals {\n  fz_re = ${call}\n}\n`, what: `catastrophic regex ${fn} ${pattern}` };
  },
];

/** `count` cases from `seed`: each a corpus file with 1 to 3 mutations. */
export function* fuzzCases(seed: number, count: number, seeds: readonly Seed[] = corpus()): Generator<FuzzCase> {
  const r = rng(seed);
  for (let id = 0; id < count; id++) {
    const s = pick(r, seeds);
    const json = s.fileName.endsWith('.json');
    let text = s.text;
    let bytes: Buffer | undefined;
    const what: string[] = [];
    const n = int(r, 1, 3);
    for (let k = 0; k < n; k++) {
      const m = pick(r, MUTATIONS)(r, text, json);
      text = m.text;
      if (m.bytes) bytes = m.bytes;
      else if (bytes) bytes = undefined;
      what.push(m.what);
    }
    yield { id, label: `${s.name}: ${what.join(', ')}`, fileName: s.fileName, data: bytes ?? Buffer.from(text, 'utf8') };
  }
}
