// Bounds on the work one expression can cause: how deeply expressions nest when parsed and when
// evaluated, and how long a string evaluation may build. Past a bound the error names the spot
// ("nested deeper than N") instead of the JavaScript stack overflowing.

import type { Cursor } from './lexer.js';
import { HclError } from './values.js';

/** Deepest nesting of an expression (parentheses, calls, collections, operators, templates). */
export const MAX_EXPRESSION_DEPTH = 200;

/** Longest string (in UTF-16 code units) that evaluating one template may produce. */
export const MAX_STRING_LENGTH = 16 * 1024 * 1024;

const depths = new WeakMap<Cursor, number>();

function tooDeep(pos: number | undefined): HclError {
  return new HclError('Expression too deeply nested', `This expression is nested deeper than ${MAX_EXPRESSION_DEPTH} levels; split it into locals.`, pos);
}

/** Runs one recursive parse step at `c`, refusing to nest deeper than MAX_EXPRESSION_DEPTH. */
export function nested<T>(c: Cursor, parse: () => T): T {
  const depth = (depths.get(c) ?? 0) + 1;
  if (depth > MAX_EXPRESSION_DEPTH) throw tooDeep(c.pos);
  depths.set(c, depth);
  try {
    return parse();
  } finally {
    depths.set(c, depth - 1);
  }
}

/** Throws when the syntax tree `root` (nodes are objects with `kind`) is deeper than MAX_EXPRESSION_DEPTH; iterative, so any depth is safe. */
export function checkTreeDepth(root: unknown): void {
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    const isNode = !Array.isArray(node) && typeof (node as { kind?: unknown }).kind === 'string';
    const d = isNode ? depth + 1 : depth;
    if (d > MAX_EXPRESSION_DEPTH) throw tooDeep((node as { pos?: number }).pos);
    for (const v of Object.values(node as Record<string, unknown>)) if (typeof v === 'object' && v !== null) stack.push({ node: v, depth: d });
  }
}

let evalDepth = 0;

/** Runs one recursive evaluation step, refusing to nest deeper than a few times MAX_EXPRESSION_DEPTH. */
export function evaluating<T>(pos: number | undefined, run: () => T): T {
  if (evalDepth >= MAX_EXPRESSION_DEPTH * 4) throw tooDeep(pos);
  evalDepth += 1;
  try {
    return run();
  } finally {
    evalDepth -= 1;
  }
}

/** Refuses a string result longer than MAX_STRING_LENGTH. */
export function checkStringLength(s: string, pos?: number): string {
  if (s.length > MAX_STRING_LENGTH) {
    throw new HclError('String too long', `This template produces a string of ${s.length} characters; the limit is ${MAX_STRING_LENGTH}.`, pos);
  }
  return s;
}
