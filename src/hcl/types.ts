// Type constraints (variable `type = ...`): parsing from hcl2json text and formatting back.

import type { Expr } from './ast.js';
import { parseExpressionSource } from './parser.js';
import { HclError } from './values.js';

export type HclType =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'bool' }
  | { kind: 'any' }
  | { kind: 'list' | 'set' | 'map'; element: HclType }
  | { kind: 'tuple'; elements: HclType[] }
  | { kind: 'object'; attributes: Record<string, HclType> };

const PRIMITIVES = ['string', 'number', 'bool', 'any'] as const;

/** Parses a type constraint as hcl2json gives it ("${list(string)}") or bare ("map(number)", "object({a=string})", "any"). */
export function parseType(text: string): HclType {
  const m = /^\$\{([\s\S]*)\}$/.exec(text.trim());
  const src = m ? (m[1] as string) : text;
  let expr: Expr;
  try {
    expr = parseExpressionSource(src);
  } catch (e) {
    if (e instanceof HclError) throw new HclError('Invalid type specification', `"${src.trim()}" is not a type: ${e.detail ?? e.summary}`);
    throw e;
  }
  return typeFromExpr(expr, src.trim());
}

/** The type a type expression denotes (e.g. the second argument of convert()). */
export function typeFromExpr(e: Expr, src: string): HclType {
  const bad = (why: string): never => {
    throw new HclError('Invalid type specification', `${why} in "${src}"; use string, number, bool, any, list(T), set(T), map(T), tuple([...]) or object({...}).`);
  };
  if (e.kind === 'variable') {
    if ((PRIMITIVES as readonly string[]).includes(e.name)) return { kind: e.name as (typeof PRIMITIVES)[number] };
    if (['list', 'set', 'map', 'tuple', 'object'].includes(e.name)) return bad(`the keyword "${e.name}" needs an element type, like ${e.name}(...)`);
    return bad(`"${e.name}" is not a type`);
  }
  if (e.kind !== 'call') return bad('unexpected expression');
  if (e.args.length !== 1) return bad(`${e.name}() takes exactly one argument`);
  const arg = e.args[0] as Expr;
  switch (e.name) {
    case 'list':
    case 'set':
    case 'map':
      return { kind: e.name, element: typeFromExpr(arg, src) };
    case 'tuple':
      if (arg.kind !== 'tuple') return bad('tuple() needs a list of element types');
      return { kind: 'tuple', elements: arg.items.map((i) => typeFromExpr(i, src)) };
    case 'object': {
      if (arg.kind !== 'object') return bad('object() needs an object of attribute types');
      const attributes: Record<string, HclType> = {};
      for (const item of arg.items) {
        const k = item.key;
        const name = k.kind === 'literal' && typeof k.value === 'string' ? k.value : k.kind === 'template' && k.parts.length === 1 && k.parts[0]?.kind === 'text' ? k.parts[0].text : undefined;
        if (name === undefined) return bad('object attribute names must be plain names');
        attributes[name] = typeFromExpr(item.value, src);
      }
      return { kind: 'object', attributes };
    }
    default:
      return bad(`"${e.name}" is not a type constructor`);
  }
}

/** Formats a type as HCL writes it: list(string), object({a=number}). */
export function formatType(t: HclType): string {
  switch (t.kind) {
    case 'list':
    case 'set':
    case 'map':
      return `${t.kind}(${formatType(t.element)})`;
    case 'tuple':
      return `tuple([${t.elements.map(formatType).join(', ')}])`;
    case 'object':
      return `object({${Object.keys(t.attributes).sort().map((k) => `${k}=${formatType(t.attributes[k] as HclType)}`).join(', ')}})`;
    default:
      return t.kind;
  }
}
