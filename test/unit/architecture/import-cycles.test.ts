// The module graph of src/ has no cycles (static imports, type-only ones included: a cycle in
// types is still a cycle in the design), and the ledger is a leaf: it never imports the runner or
// the steps, which both use it.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = resolve(fileURLToPath(new URL('../../../../src', import.meta.url)));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Static imports of one file (`import ... from '<rel>'`, `export ... from '<rel>'`), as absolute .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gm)) {
    out.push(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
  }
  return out;
}

// Known and deliberate: the HCL parser and evaluator are recursive descents split over a few files
// (expressions contain templates, collections and `for` expressions, which contain expressions).
const RECURSIVE = [/^hcl\/(parser|parser-collections|template-parser)\.ts$/, /^hcl\/(evaluate|evaluate-for)\.ts$/];
const allowed = (from: string, to: string): boolean => RECURSIVE.some((r) => r.test(relative(SRC, from)) && r.test(relative(SRC, to)));

const graph = new Map(files(SRC).map((f) => [f, importsOf(f).filter((d) => !allowed(f, d))]));

function findCycle(): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): string[] | undefined => {
    if (state.get(f) === 'done') return undefined;
    if (state.get(f) === 'visiting') return [...stack.slice(stack.indexOf(f)), f];
    state.set(f, 'visiting');
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      const cycle = visit(g);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(f, 'done');
    return undefined;
  };
  for (const f of graph.keys()) {
    const cycle = visit(f);
    if (cycle) return cycle;
  }
  return undefined;
}

test('src/ has no import cycle', () => {
  const cycle = findCycle();
  assert.equal(cycle, undefined, `import cycle: ${cycle?.map((f) => relative(SRC, f)).join(' → ')}`);
});

test('the ledger imports neither the runner nor the steps nor the CLI', () => {
  for (const [file, deps] of graph) {
    if (!relative(SRC, file).startsWith('ledger/')) continue;
    for (const d of deps) assert.doesNotMatch(relative(SRC, d), /^(runner|steps|cli)\//, `${relative(SRC, file)} imports ${relative(SRC, d)}`);
  }
});
