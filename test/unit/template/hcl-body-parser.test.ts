// Differential test of our HCL body parser (src/template/hcl-body-parser.ts) against the reference,
// @cdktn/hcl2json: on every HCL file under examples/ and test/fixtures/, and on a generated corpus
// (valid bodies, and each one damaged once), both must accept or both reject, and when they accept
// they must give the same structure.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parse } from '@cdktn/hcl2json';
import { parseHclBody } from '../../../src/template/hcl-body-parser.js';
import { hclNestingDiagnostic } from '../../../src/template/limits.js';
import { seededRandom } from '../../../src/seeded-random.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', '..');

function hclFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...hclFiles(full));
    else if (name.endsWith('.hcl')) out.push(full);
  }
  return out;
}

interface Verdict {
  ok: boolean;
  body?: unknown;
  line?: number;
  message: string;
}

async function reference(text: string): Promise<Verdict> {
  try {
    return { ok: true, body: await parse('t.pkr.hcl', text), message: '' };
  } catch (e) {
    const message = (e as Error).message;
    const m = /t\.pkr\.hcl:(\d+),/.exec(message);
    return { ok: false, message, ...(m ? { line: Number(m[1]) } : {}) };
  }
}

function ours(text: string): Verdict {
  const r = parseHclBody('t.pkr.hcl', text);
  if (r.ok) return { ok: true, body: r.body, message: '' };
  return { ok: false, line: r.errors[0]!.pos.line, message: r.errors.map((e) => `${e.pos.line}:${e.pos.column} ${e.summary}; ${e.detail}`).join(' | ') };
}

async function compare(name: string, text: string): Promise<string | undefined> {
  const want = await reference(text);
  const got = ours(text);
  // Our bounds on expression depth (src/hcl, src/template/limits.ts) are limits, not syntax: hcl2json has none.
  if (want.ok && !got.ok && /too deeply nested/.test(got.message)) return undefined;
  if (want.ok !== got.ok) {
    return `${name}: hcl2json ${want.ok ? 'accepts' : `rejects (${want.message})`}, ours ${got.ok ? 'accepts' : `rejects (${got.message})`}\n--- text ---\n${text}`;
  }
  if (want.ok && !isDeepStrictEqual(want.body, got.body)) {
    return `${name}: different structure\nhcl2json: ${JSON.stringify(want.body)}\nours:     ${JSON.stringify(got.body)}\n--- text ---\n${text}`;
  }
  return undefined;
}

test('examples and fixtures: the same verdict and structure as hcl2json, and the same error line', async () => {
  // fuzz-regressions holds deliberately pathological inputs (thousands of levels deep): the fuzz test covers them.
  const files = [...hclFiles(join(root, 'examples')), ...hclFiles(join(root, 'test', 'fixtures'))].filter((f) => !f.includes('fuzz-regressions'));
  assert.ok(files.length >= 15, `found only ${files.length} HCL files`);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    // Text nested past the limit is refused before parsing (src/template/hcl-syntax.ts).
    if (hclNestingDiagnostic(f, text)) continue;
    const problem = await compare(f, text);
    assert.equal(problem, undefined, problem);
    const want = await reference(text);
    if (!want.ok) assert.equal(ours(text).line, want.line, `${f}: error line`);
  }
});

// ---- the generated corpus ----

/** Deterministic, so that a failure is reproducible. */
const random = seededRandom;

function generator(seed: number) {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const names = ['a', 'b', 'name', 'image_sku', 'os-disk', 'x1', '_p', 'type', 'value'];
  const refs = ['var.x', 'local.y', 'source.name', 'var.list[0]', 'var.m["k"]', 'var.l[*].id', 'path.root', 'build.ID'];
  const literalText = () => pick(['', 'plain', 'with space', 'tab\\there', 'quote \\" in', 'back\\\\slash', 'uni \\u00e9', 'dollar $ alone', 'percent % alone', '$${not}', '%%{not}', 'emoji \\U0001F600', '100%']);
  const template = (depth: number): string => {
    const parts: string[] = [];
    const n = 1 + Math.floor(r() * 3);
    for (let k = 0; k < n; k++) {
      const kind = r();
      if (kind < 0.45) parts.push(literalText());
      else if (kind < 0.75) parts.push(`\${${pick(['', ' '])}${expr(depth + 1, true)}${pick(['', ' '])}}`);
      else if (kind < 0.82) parts.push(`\${~ ${pick(refs)} ~}`);
      else if (kind < 0.92) parts.push(`%{ if ${pick(refs)} }${literalText()}%{ else }${literalText()}%{ endif }`);
      else parts.push(`%{ for ${pick(['v', 'k, v'])} in ${pick(refs)} ~}${literalText()}\${v}%{ endfor }`);
    }
    return `"${parts.join(pick(['', ' ', '-']))}"`;
  };
  const expr = (depth: number, inTemplate = false): string => {
    const kind = depth > 2 ? r() * 0.5 : r();
    if (kind < 0.1) return pick(['1', '0', '42', '1.5', '1.50', '3e2', '1.0', '100000']);
    if (kind < 0.16) return pick(['true', 'false', 'null']);
    if (kind < 0.22) return pick(['-1', '- 2', '!true', '!false', '-var.x', '!var.b', '-(1)']);
    if (kind < 0.4) return inTemplate ? `"${literalText()}"` : template(depth);
    if (kind < 0.52) return pick(refs);
    if (kind < 0.6) return `${pick(['upper', 'lower', 'format', 'join', 'coalesce'])}(${expr(depth + 1, inTemplate)}${r() < 0.5 ? `, ${expr(depth + 1, inTemplate)}` : ''})`;
    if (kind < 0.66) return `${expr(depth + 1, inTemplate)} ${pick(['+', '==', '&&', '||', '<', '*'])} ${expr(depth + 1, inTemplate)}`;
    if (kind < 0.7) return `${pick(refs)} ? ${expr(depth + 1, inTemplate)} : ${expr(depth + 1, inTemplate)}`;
    if (kind < 0.73) return `[for s in ${pick(refs)} : upper(s)${r() < 0.5 ? ' if s != ""' : ''}]`;
    if (kind < 0.75) return `{ for k, v in ${pick(refs)} : k => v }`;
    if (kind < 0.87) {
      const items = Array.from({ length: Math.floor(r() * 4) }, () => expr(depth + 1, inTemplate));
      if (inTemplate || r() < 0.5) return `[${items.join(', ')}]`;
      return `[\n${items.map((i) => `    ${i},`).join('\n')}\n  ]`;
    }
    const n = Math.floor(r() * 4);
    const items = Array.from({ length: n }, () => {
      const key = pick([pick(names), `"${pick(names)}"`, '"quoted key"', `(${pick(refs)})`]);
      return `${key} ${pick(['=', ':'])} ${expr(depth + 1, inTemplate)}`;
    });
    if (inTemplate || r() < 0.5) return `{${items.join(', ')}}`;
    return `{\n${items.map((i) => `    ${i}`).join('\n')}\n  }`;
  };
  const heredoc = (): string => {
    const flush = r() < 0.5;
    const indent = flush ? '    ' : '';
    const lines = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, k) => `${indent}${k % 2 ? '  ' : ''}${pick(['line', 'echo ${var.x}', '%{ if var.b }on%{ endif }', '$${literal}', 'a \\n b', ''])}`);
    return `<<${flush ? '-' : ''}EOT\n${lines.join('\n')}\n${indent}EOT`;
  };
  const comment = () => pick(['', '', '', ' # a comment', ' // another', ' /* inline */']);
  const body = (depth: number, indent: string): string => {
    const lines: string[] = [];
    const used = new Set<string>();
    const n = 1 + Math.floor(r() * (depth === 0 ? 6 : 4));
    for (let k = 0; k < n; k++) {
      const kind = r();
      if (kind < 0.55 || depth > 2) {
        let name = pick(names);
        if (used.has(name)) name = `${name}_${k}`;
        used.add(name);
        lines.push(`${indent}${name} ${pick(['=', ' = ', '  ='])} ${r() < 0.12 ? heredoc() : expr(0)}${comment()}`);
      } else if (kind < 0.62) {
        lines.push(`${indent}${pick(['#', '//'])} comment ${k}`);
      } else if (kind < 0.7) {
        lines.push(`${indent}${pick(['locals', 'empty', 'single'])} { ${pick(names)} = ${expr(2)} }`);
      } else if (kind < 0.74) {
        lines.push(`${indent}${pick(['empty', 'nothing'])} {}`);
      } else {
        // A block type has one number of labels, as in every schema (hcl2json cannot shape others).
        const type = pick(['source', 'build', 'provisioner', 'variable', 'dynamic', 'block']);
        const labels = Array.from({ length: type.length % 3 }, () => pick(['"azure-chroot"', '"a"', '"with space"', 'bare', '"x-y"']));
        lines.push(`${indent}${type}${labels.map((l) => ` ${l}`).join('')} {${comment()}\n${body(depth + 1, `${indent}  `)}\n${indent}}`);
      }
    }
    return lines.join(pick(['\n', '\n\n']));
  };
  const damage = (text: string): string => {
    const at = Math.floor(r() * text.length);
    if (r() < 0.5) return text.slice(0, at) + text.slice(at + 1);
    return text.slice(0, at) + pick(['{', '}', '[', ']', '"', '=', '\n', '(', ')', ',', '$', '#']) + text.slice(at);
  };
  return { document: () => `${body(0, '')}\n`, damage };
}

test('a generated corpus: the same verdict and structure as hcl2json', async () => {
  const problems: string[] = [];
  let rejected = 0;
  for (let seed = 1; seed <= 150; seed++) {
    const g = generator(seed);
    const text = g.document();
    const p = await compare(`seed ${seed}`, text);
    if (p) problems.push(p);
    for (let k = 0; k < 2; k++) {
      const damaged = g.damage(text);
      const q = await compare(`seed ${seed}, damaged ${k}`, damaged);
      if (q) problems.push(q);
      if (!ours(damaged).ok) rejected++;
    }
  }
  assert.deepEqual(problems.slice(0, 3), []);
  // The damaged copies reach the error paths.
  assert.ok(rejected >= 50, `only ${rejected} damaged documents were rejected`);
});
