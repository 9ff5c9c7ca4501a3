// Evaluation of `for` expressions ([for ...] and {for ...}, with filters and grouping) and the
// iteration rules they share with %{for} directives.

import type { Expr } from './ast.js';
import { type Env, evalExpr, objectKey } from './evaluate.js';
import { setKey, toBoolOperand } from './operators.js';
import { type HclObject, type HclValue, HclError, intValue, isObject, isUnknown, sortedKeys, typeName, type UnknownValue } from './values.js';

/** The (key, value) pairs a for expression or directive iterates: list indexes or sorted object keys. */
export function iterate(coll: HclValue): [HclValue, HclValue][] {
  if (Array.isArray(coll)) return coll.map((v, i) => [intValue(i), v]);
  if (isObject(coll)) return sortedKeys(coll).map((k) => [k, coll[k] as HclValue]);
  if (coll === null) throw new HclError('Iteration over null value', 'A null value cannot be used as the collection in a \'for\' expression.');
  throw new HclError('Iteration over non-iterable value', `A value of type ${typeName(coll)} cannot be used as the collection in a 'for' expression.`);
}

/** A child environment with the iterator names bound. */
export function bind(env: Env, keyVar: string | undefined, valVar: string, k: HclValue, v: HclValue): Env {
  const variables = { ...env.ctx.variables, [valVar]: v };
  if (keyVar !== undefined) variables[keyVar] = k;
  return { ...env, ctx: { ...env.ctx, variables } };
}

/** Evaluates a for expression; an unknown collection, filter or key makes the whole result unknown. */
export function evalFor(e: Expr & { kind: 'for' }, env: Env): HclValue {
  const coll = evalExpr(e.collection, env);
  if (isUnknown(coll)) return coll;
  const list: HclValue[] = [];
  const obj: HclObject = {};
  const groups: Record<string, HclValue[]> = {};
  let unknown: UnknownValue | undefined;
  for (const [k, v] of iterate(coll)) {
    const inner = bind(env, e.keyVar, e.valVar, k, v);
    if (e.cond) {
      const c = evalExpr(e.cond, inner);
      if (isUnknown(c)) {
        unknown ??= c;
        continue;
      }
      if (c === null) throw new HclError('Invalid for expression filter', 'The filter expression produced a null value; it must be true or false.');
      if (!toBoolOperand(c, 'the filter')) continue;
    }
    if (!e.keyExpr) {
      list.push(evalExpr(e.valExpr, inner));
      continue;
    }
    const key = evalExpr(e.keyExpr, inner);
    const val = evalExpr(e.valExpr, inner);
    if (isUnknown(key)) {
      unknown ??= key;
      continue;
    }
    const ks = objectKey(key);
    if (e.group) {
      if (!Object.hasOwn(groups, ks)) setKey(groups as HclObject, ks, []);
      (groups[ks] as HclValue[]).push(val);
    } else if (Object.hasOwn(obj, ks)) {
      throw new HclError('Duplicate object key', `Two different items produced the key "${ks}" in this 'for' expression. If duplicates are expected, use the ellipsis (...) after the value expression to enable grouping by key.`);
    } else {
      setKey(obj, ks, val);
    }
  }
  if (unknown) return unknown;
  if (!e.keyExpr) return list;
  return e.group ? (groups as HclObject) : obj;
}
