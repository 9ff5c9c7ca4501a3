// `locals {}` and `local "name" { expression, sensitive }`: evaluated in dependency order, so a
// local may use one defined after it (templates.md §2.5).

import { error, type Diagnostic } from '../../diagnostics.js';
import { references, type HclValue } from '../../hcl/index.js';
import { blocksOf, isBody, type BodyRef } from '../blocks.js';
import { Codes } from '../codes.js';
import type { ParsedFile } from '../hcl-syntax.js';
import type { KeyPath } from '../model.js';
import { suggestionDetail } from '../../suggest.js';
import { baseContext, type Scope } from './contexts.js';
import { evaluate, failedValue, type Where } from './evaluate.js';

interface LocalDef {
  name: string;
  raw: unknown;
  sensitive: boolean;
  where: Where;
  sub: KeyPath;
}

/** Collects locals of all files and evaluates them into `scope.locals`; returns the names of sensitive ones. */
export function evaluateLocals(files: readonly ParsedFile[], scope: Scope, diagnostics: Diagnostic[]): Set<string> {
  const defs = new Map<string, LocalDef>();
  const add = (d: LocalDef): void => {
    const first = defs.get(d.name);
    if (first) {
      const p = first.where.locate(first.sub);
      diagnostics.push(error(Codes.localDuplicate, `duplicate local definition "${d.name}"`, {
        pos: d.where.locate(d.sub),
        path: `local.${d.name}`,
        detail: `local.${d.name} is already defined${p ? ` at ${p.file}:${p.line}:${p.column}` : ''}; local names must be unique across all files`,
      }));
      return;
    }
    defs.set(d.name, d);
  };
  for (const file of files) {
    if (!file.body) continue;
    const ref: BodyRef = { file: file.file, body: file.body, rawPath: [], fileLocate: file.locate };
    for (const block of blocksOf(ref, 'locals', 0, diagnostics)) {
      for (const [name, raw] of Object.entries(block.body)) add({ name, raw, sensitive: false, where: { locate: block.locate, path: 'locals' }, sub: [name] });
    }
    for (const block of blocksOf(ref, 'local', 1, diagnostics)) {
      const name = block.labels[0]!;
      const where = { locate: block.locate, path: `local.${name}` };
      for (const key of Object.keys(block.body)) {
        if (key !== 'expression' && key !== 'sensitive') {
          diagnostics.push(error(Codes.unknownKey, `unsupported argument "${key}" in local "${name}"`, { pos: block.locate([key]), path: `local.${name}.${key}`, detail: suggestionDetail(key, ['expression', 'sensitive']) }));
        }
      }
      if (!('expression' in block.body)) {
        diagnostics.push(error(Codes.badBlock, `local "${name}" has no expression`, { pos: block.pos, path: `local.${name}`, detail: 'add expression = <value>' }));
        continue;
      }
      add({ name, raw: block.body.expression, sensitive: block.body.sensitive === true, where, sub: ['expression'] });
    }
  }

  const state = new Map<string, 'busy' | 'done' | 'failed'>();
  const visit = (name: string, chain: string[]): void => {
    const def = defs.get(name)!;
    const s = state.get(name);
    if (s === 'done' || s === 'failed') return;
    if (s === 'busy') {
      diagnostics.push(error(Codes.localCycle, `local.${name} depends on itself`, { pos: def.where.locate(def.sub), path: `local.${name}`, detail: `cycle: ${[...chain.slice(chain.indexOf(name)), name].map((n) => `local.${n}`).join(' -> ')}` }));
      scope.locals[name] = failedValue();
      state.set(name, 'failed');
      return;
    }
    state.set(name, 'busy');
    for (const dep of localDependencies(def.raw)) if (defs.has(dep)) visit(dep, [...chain, name]);
    if (state.get(name) === 'failed') return;
    const value = evaluate(def.raw, baseContext(scope), def.where, def.sub, diagnostics);
    if (value === undefined) {
      scope.locals[name] = failedValue();
      state.set(name, 'failed');
      return;
    }
    scope.locals[name] = value as HclValue;
    state.set(name, 'done');
  };
  for (const name of defs.keys()) visit(name, []);
  return new Set([...defs.values()].filter((d) => d.sensitive).map((d) => d.name));
}

/** Names of `local.X` referenced anywhere in a raw value (strings and object keys). */
function localDependencies(raw: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (!v.includes('local.')) return;
      try {
        for (const ref of references(v)) if (ref[0] === 'local' && ref[1]) out.add(ref[1]);
      } catch {
        // A syntax error is reported when the value is evaluated.
      }
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (isBody(v)) {
      for (const [k, x] of Object.entries(v)) {
        walk(k);
        walk(x);
      }
    }
  };
  walk(raw);
  return out;
}
