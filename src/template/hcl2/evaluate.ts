// Evaluating hcl2json-shaped values: every string is an HCL template, `dynamic` blocks expand in
// place, and evaluation failures become diagnostics pointing at the attribute that failed.

import { error, type Diagnostic, type SourcePos } from '../../diagnostics.js';
import { evaluateJson, evaluateTemplate, findUnknown, fromPlain, HclError, toPlain, intValue, isNumber, UnknownValue, type EvalContext, type HclValue } from '../../hcl/index.js';
import type { KeyPath } from '../model.js';
import { Codes } from '../codes.js';
import { isBody, joinPath } from '../blocks.js';

/** Where a value sits: how to find positions below it and its display path. */
export interface Where {
  locate(sub: KeyPath): SourcePos | undefined;
  path: string;
}

class Failed extends Error {}

/** Description of the unknown value standing in for a variable or local that failed (already reported). */
export const FAILED_VALUE = 'a value that failed earlier';

/** The stand-in for a failed variable or local, so that its uses do not repeat the error. */
export function failedValue(): UnknownValue {
  return new UnknownValue(FAILED_VALUE);
}

/**
 * Evaluates one value (attribute or whole body); undefined after reporting a diagnostic. A body
 * whose attributes fail keeps the others (each failure is reported), so that the config stage can
 * still check what is there: every error of a template is reported at once.
 */
export function evaluate(value: unknown, ctx: EvalContext, where: Where, sub: KeyPath, diagnostics: Diagnostic[]): HclValue | undefined {
  try {
    return settleUnknowns(value, walk(value, ctx, where, [...sub], diagnostics), where, sub, diagnostics);
  } catch (e) {
    if (e instanceof Failed) return undefined;
    throw e;
  }
}

/** `result` without the attributes whose value is not known at load time (reported, unless they failed earlier). */
function settleUnknowns(raw: unknown, result: HclValue, where: Where, sub: KeyPath, diagnostics: Diagnostic[]): HclValue | undefined {
  const unknown = findUnknown(result);
  if (!unknown) return result;
  if (isBody(raw) && isBody(result)) {
    const out: Record<string, HclValue> = {};
    for (const [key, v] of Object.entries(result as Record<string, HclValue>)) {
      const settled = settleUnknowns(raw[key], v, where, [...sub, key], diagnostics);
      if (settled !== undefined) out[key] = settled;
    }
    return out;
  }
  if (Array.isArray(raw) && Array.isArray(result) && raw.length === result.length && raw.every(isBody)) {
    return result.flatMap((v, i) => {
      const settled = settleUnknowns(raw[i], v, where, [...sub, i], diagnostics);
      return settled === undefined ? [] : [settled];
    });
  }
  if (unknown.description !== FAILED_VALUE) {
    diagnostics.push(error(Codes.unknownValue, `value is not known when the template is loaded: ${unknown.description}`, {
      pos: where.locate(sub),
      path: joinPath(where.path, sub),
      detail: 'only variables, locals, source.*, build.* and path.* can be used here',
    }));
  }
  return undefined;
}

/** evaluate(), with the result as plain data for the config stage (numbers as JS numbers). */
export function evaluatePlain(value: unknown, ctx: EvalContext, where: Where, sub: KeyPath, diagnostics: Diagnostic[]): HclValue | undefined {
  const v = evaluate(value, ctx, where, sub, diagnostics);
  return v === undefined ? undefined : (toPlain(v) as HclValue);
}

/** Reports an evaluation error at `sub` and stops the walk of the current value. */
function fail(e: unknown, where: Where, sub: KeyPath, diagnostics: Diagnostic[]): never {
  if (e instanceof HclError) {
    diagnostics.push(error(Codes.expression, e.summary, {
      pos: where.locate(sub),
      path: joinPath(where.path, sub),
      ...(e.detail ? { detail: e.detail } : {}),
    }));
    throw new Failed();
  }
  throw e;
}

function walk(value: unknown, ctx: EvalContext, where: Where, sub: (string | number)[], diagnostics: Diagnostic[]): HclValue {
  if (typeof value === 'string') {
    try {
      return evaluateJson(value, ctx);
    } catch (e) {
      fail(e, where, sub, diagnostics);
    }
  }
  if (Array.isArray(value)) {
    // As for bodies: every element is evaluated, so each failing one is reported.
    let failed = false;
    const out = value.map((v, i) => {
      try {
        return walk(v, ctx, where, [...sub, i], diagnostics);
      } catch (e) {
        if (!(e instanceof Failed)) throw e;
        failed = true;
        return null;
      }
    });
    if (failed) throw new Failed();
    return out;
  }
  if (isBody(value)) {
    const out: Record<string, HclValue> = {};
    for (const [rawKey, v] of Object.entries(value)) {
      try {
        if (rawKey === 'dynamic' && isBody(v)) {
          expandDynamic(v, ctx, where, [...sub, rawKey], out, diagnostics);
          continue;
        }
        const key = rawKey.includes('${') ? keyString(rawKey, ctx, where, [...sub, rawKey], diagnostics) : rawKey;
        out[key] = walk(v, ctx, where, [...sub, rawKey], diagnostics);
      } catch (e) {
        // The failure is reported; the siblings are still evaluated and kept.
        if (!(e instanceof Failed)) throw e;
      }
    }
    return out;
  }
  return fromPlain(value ?? null);
}

function keyString(key: string, ctx: EvalContext, where: Where, sub: KeyPath, diagnostics: Diagnostic[]): string {
  try {
    const k = evaluateTemplate(key, ctx);
    if (typeof k === 'string') return k;
    if (isNumber(k) || typeof k === 'boolean') return String(k);
    throw new HclError('Invalid object key', `an object key must be a string, got ${k === null ? 'null' : typeof k}`);
  } catch (e) {
    fail(e, where, sub, diagnostics);
  }
}

/** `dynamic "T" { for_each, iterator, labels, content {} }` blocks of one body, added to `out[T]` (nested by labels). */
function expandDynamic(dynamic: Record<string, unknown>, ctx: EvalContext, where: Where, sub: (string | number)[], out: Record<string, HclValue>, diagnostics: Diagnostic[]): void {
  for (const [type, blocks] of Object.entries(dynamic)) {
    const list = Array.isArray(blocks) ? blocks : [blocks];
    list.forEach((block, index) => {
      const at = Array.isArray(blocks) ? [...sub, type, index] : [...sub, type];
      for (const generated of expandOneDynamic(block, type, ctx, where, at, diagnostics)) {
        let target: Record<string, HclValue> = out;
        let key = type;
        for (const label of generated.labels) {
          const next = isBody(target[key] as unknown) ? (target[key] as Record<string, HclValue>) : {};
          target[key] = next;
          target = next;
          key = label;
        }
        const existing = target[key];
        target[key] = Array.isArray(existing) ? [...existing, generated.body] : existing === undefined ? [generated.body] : [existing, generated.body];
      }
    });
  }
}

/** Expands a dynamic block (its body given raw); undefined after reporting a diagnostic. */
export function expandDynamicBlock(block: unknown, type: string, ctx: EvalContext, where: Where, diagnostics: Diagnostic[]): DynamicInstance[] | undefined {
  try {
    return expandOneDynamic(block, type, ctx, where, [], diagnostics).map((d) => ({ labels: d.labels, body: toPlain(d.body) as HclValue }));
  } catch (e) {
    if (e instanceof Failed) return undefined;
    throw e;
  }
}

export interface DynamicInstance {
  labels: string[];
  body: HclValue;
}

/** Expands one dynamic block into its generated blocks, each evaluated with the iterator in scope. */
function expandOneDynamic(block: unknown, type: string, ctx: EvalContext, where: Where, at: (string | number)[], diagnostics: Diagnostic[]): DynamicInstance[] {
  if (!isBody(block)) fail(new HclError('Invalid dynamic block', `dynamic "${type}" must be a block`), where, at, diagnostics);
  const b = block as Record<string, unknown>;
  const iterator = typeof b.iterator === 'string' ? b.iterator.replace(/^\$\{\s*|\s*\}$/g, '') : type;
  if (b.for_each === undefined) fail(new HclError('Missing required argument', `dynamic "${type}" needs for_each`), where, at, diagnostics);
  const collection = walk(b.for_each, ctx, where, [...at, 'for_each'], diagnostics);
  let items: [HclValue, HclValue][];
  if (Array.isArray(collection)) items = collection.map((v, i) => [intValue(i), v]);
  else if (isBody(collection)) items = Object.keys(collection).sort().map((k) => [k, (collection as Record<string, HclValue>)[k]!]);
  else fail(new HclError('Invalid dynamic for_each value', `for_each must be a list, set or map, got ${collection === null ? 'null' : typeof collection}`), where, [...at, 'for_each'], diagnostics);
  const contentRaw = Array.isArray(b.content) ? b.content[0] : b.content;
  if (!isBody(contentRaw)) fail(new HclError('Missing content block', `dynamic "${type}" needs a content block`), where, at, diagnostics);
  const contentAt = Array.isArray(b.content) ? [...at, 'content', 0] : [...at, 'content'];
  return items!.map(([key, value]) => {
    const inner: EvalContext = { ...ctx, variables: { ...ctx.variables, [iterator]: { key, value } } };
    const labelsValue = b.labels === undefined ? [] : walk(b.labels, inner, where, [...at, 'labels'], diagnostics);
    const labels = Array.isArray(labelsValue) ? labelsValue.map((l) => String(l)) : [];
    return { labels, body: walk(contentRaw, inner, where, contentAt, diagnostics) };
  });
}
