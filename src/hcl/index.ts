// Public API of the HCL expression language: evaluates the template strings @cdktn/hcl2json
// produces, type constraints and conversion, and Packer's function table.

import type { TemplatePart } from './ast.js';
import type { EvalContext } from './context.js';
import { evaluateExpr, evaluateParts } from './evaluate.js';
import { setKey } from './operators.js';
import { parseExpressionSource } from './parser.js';
import { collectFromParts, firstNonLiteral } from './references.js';
import { parseTemplateSource } from './template-parser.js';
import { checkTreeDepth } from './limits.js';
import { type HclObject, type HclValue, HclError, isUnknown, numberFromJs, toTemplateString } from './values.js';

export { asList, asMap, BigFloat, collectionKind, findUnknown, fromPlain, HclError, type HclValue, intValue, isNumber, isUnknown, numberFromJs, toPlain, toTemplateString, UnknownValue } from './values.js';
export type { EvalContext, HclFunction } from './context.js';
export { convertToType } from './convert.js';
export { formatType, type HclType, parseType } from './types.js';
export { createFunctions, envOnlyFunctions } from './functions/index.js';
export { formatConsoleValue } from './console-format.js';

const cache = new Map<string, TemplatePart[]>();
const CACHE_LIMIT = 5000;

function parseCached(text: string): TemplatePart[] {
  let parts = cache.get(text);
  if (!parts) {
    parts = parseTemplateSource(text);
    checkTreeDepth(parts);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, parts);
  }
  return parts;
}

/** Evaluates one hcl2json string: a template with ${...} interpolations, %{if}/%{for} directives (with ~ strip markers), $${ and %%{ escapes. A string that is exactly one ${expr} yields expr's typed value; otherwise a string. */
export function evaluateTemplate(text: string, ctx: EvalContext): HclValue {
  // Fast path: most strings in a template are plain text.
  if (!text.includes('${') && !text.includes('%{')) return text.normalize('NFC');
  return evaluateParts(parseCached(text), ctx);
}

/** Recursively evaluates hcl2json output: strings through evaluateTemplate, object keys of the form "${...}" evaluated, arrays/objects mapped, numbers/bools/null kept. */
export function evaluateJson(value: unknown, ctx: EvalContext): HclValue {
  if (typeof value === 'string') return evaluateTemplate(value, ctx);
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return numberFromJs(value);
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => evaluateJson(v, ctx));
  if (typeof value === 'object') {
    const out: HclObject = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      let key = k;
      if (k.includes('${') || k.includes('%{')) {
        const kv = evaluateTemplate(k, ctx);
        if (isUnknown(kv)) return kv;
        if (kv === null) throw new HclError('Invalid object key', `The key "${k}" evaluated to null; object keys must be strings.`);
        key = toTemplateString(kv);
      }
      setKey(out, key, evaluateJson(v, ctx));
    }
    return out;
  }
  throw new HclError('Unsupported value', `A value of JavaScript type ${typeof value} cannot be evaluated as HCL.`);
}

/** The traversals an hcl2json string refers to, e.g. [["var","x"],["local","y"]]; [] when the text does not parse (evaluation reports the syntax error). */
export function references(text: string): string[][] {
  if (!text.includes('${') && !text.includes('%{')) return [];
  let parts: TemplatePart[];
  try {
    parts = parseCached(text);
  } catch (err) {
    if (err instanceof HclError) return [];
    throw err;
  }
  const out: string[][] = [];
  collectFromParts(parts, new Set(), out);
  const seen = new Set<string>();
  return out.filter((p) => {
    const k = p.join('\u0000');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Parses and evaluates one HCL expression (`var.x`, `upper(local.y)`, `[1, 2]`) against `ctx`. */
export function evaluateExpression(source: string, ctx: EvalContext): HclValue {
  const expr = parseExpressionSource(source);
  return evaluateExpr(expr, ctx);
}

/** Parses and evaluates a literal HCL expression with no variables and no functions (for -var values of non-string types and PKR_VAR_x). */
export function evaluateLiteralExpression(source: string): HclValue {
  const expr = parseExpressionSource(source);
  const bad = firstNonLiteral(expr);
  if (bad?.kind === 'call') throw new HclError('Function calls not allowed', 'Functions may not be called here.', bad.pos);
  if (bad) throw new HclError('Variables not allowed', 'Variables may not be used here.', bad.pos);
  return evaluateExpr(expr, { variables: {}, functions: {} });
}
