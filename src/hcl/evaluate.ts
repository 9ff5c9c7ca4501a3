// Evaluates expression and template syntax trees against an EvalContext. Unknown values
// propagate; errors are HclError with the offset of the failing node.

import type { Expr, TemplatePart } from './ast.js';
import { type EvalContext, lazyImplOf } from './context.js';
import { binaryOp, getAttr, getIndex, setKey, toBoolOperand, unaryOp } from './operators.js';
import { bind, evalFor, iterate } from './evaluate-for.js';
import { didYouMean } from '../suggest.js';
import { convertToType, unifyWith } from './convert.js';
import { checkStringLength, evaluating } from './limits.js';
import { typeFromExpr } from './types.js';
import { type HclObject, type HclValue, HclError, isNumber, isUnknown, normalizeStrings, toTemplateString, typeName, UnknownValue } from './values.js';

/** Evaluation state: the context plus the current splat element. */
export interface Env {
  ctx: EvalContext;
  /** The current element while evaluating the per-element part of a splat. */
  splat?: HclValue;
}

/** Evaluates an expression tree. */
export function evaluateExpr(e: Expr, ctx: EvalContext): HclValue {
  return evalExpr(e, { ctx });
}

/** Evaluates template parts: a lone interpolation yields its typed value, anything else a string. */
export function evaluateParts(parts: TemplatePart[], ctx: EvalContext): HclValue {
  return evalParts(parts, { ctx }, true);
}

/** Evaluates a node, attaching the node's offset to errors that have none. */
export function evalExpr(e: Expr, env: Env): HclValue {
  try {
    return evaluating(e.pos, () => evalNode(e, env));
  } catch (err) {
    if (err instanceof HclError && err.offset === undefined) throw new HclError(err.summary, err.detail, e.pos);
    throw err;
  }
}

function evalNode(e: Expr, env: Env): HclValue {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'template':
      return evalParts(e.parts, env, true);
    case 'paren':
      return evalExpr(e.inner, env);
    case 'variable': {
      const vars = env.ctx.variables;
      if (Object.hasOwn(vars, e.name)) return vars[e.name] as HclValue;
      throw new HclError('Unknown variable', `There is no variable named "${e.name}".${hint(didYouMean(e.name, Object.keys(vars), 2))}`);
    }
    case 'splatItem':
      return env.splat ?? null;
    case 'traverse': {
      const target = evalExpr(e.target, env);
      if (e.step.kind === 'attr') {
        const root = e.target.kind === 'variable' ? e.target.name : undefined;
        if (root && (root === 'var' || root === 'local') && isObjectValue(target) && !Object.hasOwn(target, e.step.name)) {
          throw undeclared(root, e.step.name, Object.keys(target));
        }
        return getAttr(target, e.step.name);
      }
      return getIndex(target, evalExpr(e.step.key, env));
    }
    case 'splat': {
      const target = evalExpr(e.target, env);
      if (isUnknown(target)) return target;
      if (target === null) return [];
      const items = Array.isArray(target) ? target : [target];
      return items.map((item) => evalExpr(e.each, { ...env, splat: item }));
    }
    case 'tuple':
      return e.items.map((i) => evalExpr(i, env));
    case 'object': {
      const out: HclObject = {};
      let unknown: UnknownValue | undefined;
      for (const item of e.items) {
        const k = evalExpr(item.key, env);
        const v = evalExpr(item.value, env);
        if (isUnknown(k)) unknown ??= k;
        else setKey(out, objectKey(k), v);
      }
      return unknown ?? out;
    }
    case 'call':
      return evalCall(e, env);
    case 'unary':
      return unaryOp(e.op, evalExpr(e.operand, env));
    case 'binary':
      return binaryOp(e.op, evalExpr(e.left, env), evalExpr(e.right, env));
    case 'conditional':
      return evalConditional(e, env);
    case 'for':
      return evalFor(e, env);
  }
}

/** An object key from a key value (strings, numbers and bools; not null). */
export function objectKey(k: HclValue): string {
  if (k === null) throw new HclError('Invalid object key', 'Key expression must not be null.');
  if (typeof k === 'object' && !isNumber(k)) throw new HclError('Invalid object key', `Key expression must be a string, got ${typeName(k)}.`);
  return toTemplateString(k);
}

function evalCall(e: Expr & { kind: 'call' }, env: Env): HclValue {
  const fns = env.ctx.functions;
  if (!Object.hasOwn(fns, e.name)) {
    throw new HclError('Call to unknown function', `There is no function named "${e.name}".${hint(didYouMean(e.name, Object.keys(fns), 2))}`);
  }
  const fn = fns[e.name] as (typeof fns)[string];
  if (e.name === 'convert' && e.args.length === 2 && !e.expandLast) {
    // The second argument is a type expression (list(string)), not a value.
    const value = evalExpr(e.args[0] as Expr, env);
    const type = typeFromExpr(e.args[1] as Expr, 'convert()');
    try {
      return convertToType(value, type);
    } catch (err) {
      if (err instanceof HclError) throw new HclError('Invalid function argument', `Invalid value for "value" parameter: ${err.summary}.`);
      throw err;
    }
  }
  const lazy = lazyImplOf(fn);
  if (lazy && !e.expandLast) return lazy(e.args.map((a) => () => evalExpr(a, env)));
  let args = e.args.map((a) => evalExpr(a, env));
  if (e.expandLast) {
    const last = args[args.length - 1] as HclValue;
    if (isUnknown(last)) return last;
    if (!Array.isArray(last)) throw new HclError('Invalid expanding argument value', `The expanding argument (indicated by ...) must be of a tuple, list, or set type, got ${typeName(last)}.`);
    args = [...args.slice(0, -1), ...last];
  }
  try {
    return normalizeStrings(fn(args));
  } catch (err) {
    if (err instanceof HclError) throw err;
    throw new HclError('Error in function call', `Call to function "${e.name}" failed: ${err instanceof Error ? err.message : String(err)}.`);
  }
}

function evalConditional(e: Expr & { kind: 'conditional' }, env: Env): HclValue {
  const c = evalExpr(e.cond, env);
  if (isUnknown(c)) return c;
  if (c === null) throw new HclError('Null condition', 'The condition value is null. Conditions must either be true or false.');
  const chosen = conditionValue(c) ? e.then : e.else;
  const result = evalExpr(chosen, env);
  if (result === null || isUnknown(result)) return result;
  // HCL unifies the two result types: `true ? 1 : "a"` gives the string "1", `true ? [1] : ["a"]` gives ["1"].
  let other: HclValue;
  try {
    other = evalExpr(chosen === e.then ? e.else : e.then, env);
  } catch {
    return result;
  }
  return unifyWith(result, other);
}

/** A condition converted to bool as HCL does ("true" works, 1 does not). */
function conditionValue(c: HclValue): boolean {
  if (typeof c === 'boolean') return c;
  if (c === 'true' || c === 'false') return c === 'true';
  throw new HclError('Incorrect condition type', 'The condition expression must be of type bool.');
}

/** Evaluates template parts; `unwrap` returns a lone interpolation's typed value. */
export function evalParts(parts: TemplatePart[], env: Env, unwrap: boolean): HclValue {
  const only = parts[0];
  if (unwrap && parts.length === 1 && only?.kind === 'interp') return evalExpr(only.expr, env);
  let out = '';
  let unknown: UnknownValue | undefined;
  const add = (v: HclValue, pos?: number): void => {
    if (isUnknown(v)) unknown ??= v;
    else if (!unknown) {
      try {
        out += toTemplateString(v);
        checkStringLength(out, pos);
      } catch (err) {
        if (err instanceof HclError) throw new HclError(err.summary, err.detail, pos);
        throw err;
      }
    }
  };
  for (const p of parts) {
    if (p.kind === 'text') add(p.text);
    else if (p.kind === 'interp') add(evalExpr(p.expr, env), p.expr.pos);
    else if (p.kind === 'if') {
      const c = evalExpr(p.cond, env);
      if (isUnknown(c)) unknown ??= c;
      else if (c === null) throw new HclError('Invalid template directive', 'The condition of %{if} is null; it must be true or false.', p.pos);
      else add(evalParts(toBoolOperand(c, 'the condition') ? p.then : p.else, env, false));
    } else {
      const coll = evalExpr(p.collection, env);
      if (isUnknown(coll)) unknown ??= coll;
      else for (const [k, v] of iterate(coll)) add(evalParts(p.body, bind(env, p.keyVar, p.valVar, k, v), false));
    }
  }
  return unknown ?? out.normalize('NFC');
}

/** HCL's sentence form of a suggestion: ` Did you mean "x"?`, or "". */
function hint(suggestion: string): string {
  return suggestion ? ` D${suggestion.slice(1)}` : '';
}

function isObjectValue(v: HclValue): v is HclObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isUnknown(v);
}

/** Packer's wording for `var.x` / `local.x` that was never declared, with a suggestion. */
function undeclared(root: 'var' | 'local', name: string, known: string[]): HclError {
  const suggestion = hint(didYouMean(name, known, 2));
  return root === 'var'
    ? new HclError('Reference to undeclared input variable', `An input variable with the name "${name}" has not been declared. Declare it with a variable "${name}" {} block.${suggestion}`)
    : new HclError('Reference to undeclared local value', `A local value with the name "${name}" has not been declared.${suggestion}`);
}
