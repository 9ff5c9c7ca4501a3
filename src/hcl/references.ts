// The variable traversals an hcl2json string refers to (["var","x"], ["local","y"]), ignoring
// names bound by for expressions and %{for} directives.

import type { Expr, TemplatePart } from './ast.js';

/** Collects root-and-attribute paths from template parts. */
export function collectFromParts(parts: TemplatePart[], bound: ReadonlySet<string>, out: string[][]): void {
  for (const p of parts) {
    if (p.kind === 'interp') collect(p.expr, bound, out);
    else if (p.kind === 'if') {
      collect(p.cond, bound, out);
      collectFromParts(p.then, bound, out);
      collectFromParts(p.else, bound, out);
    } else if (p.kind === 'for') {
      collect(p.collection, bound, out);
      collectFromParts(p.body, withNames(bound, p.keyVar, p.valVar), out);
    }
  }
}

function withNames(bound: ReadonlySet<string>, ...names: (string | undefined)[]): Set<string> {
  const s = new Set(bound);
  for (const n of names) if (n !== undefined) s.add(n);
  return s;
}

/** The static path of a traversal (root then attribute names, up to the first index), if it starts at a variable. */
function staticPath(e: Expr): string[] | undefined {
  const steps: string[] = [];
  let n: Expr = e;
  while (n.kind === 'traverse') {
    // An index step cuts the path: everything collected after it (closer to `e`) is dropped.
    if (n.step.kind === 'index') steps.length = 0;
    else steps.unshift(n.step.name);
    n = n.target;
  }
  return n.kind === 'variable' ? [n.name, ...steps] : undefined;
}

function collect(e: Expr, bound: ReadonlySet<string>, out: string[][]): void {
  switch (e.kind) {
    case 'variable':
    case 'traverse': {
      const path = staticPath(e);
      if (path) {
        if (!bound.has(path[0] as string)) out.push(path);
        // Index keys along the chain may refer to other variables.
        for (let n: Expr = e; n.kind === 'traverse'; n = n.target) if (n.step.kind === 'index') collect(n.step.key, bound, out);
        return;
      }
      if (e.kind === 'traverse') {
        collect(e.target, bound, out);
        if (e.step.kind === 'index') collect(e.step.key, bound, out);
      }
      return;
    }
    case 'template':
      return collectFromParts(e.parts, bound, out);
    case 'paren':
      return collect(e.inner, bound, out);
    case 'splat':
      collect(e.target, bound, out);
      return collect(e.each, bound, out);
    case 'tuple':
      return e.items.forEach((i) => collect(i, bound, out));
    case 'object':
      return e.items.forEach((i) => {
        if (!i.keyIsIdent) collect(i.key, bound, out);
        collect(i.value, bound, out);
      });
    case 'call':
      return e.args.forEach((a) => collect(a, bound, out));
    case 'unary':
      return collect(e.operand, bound, out);
    case 'binary':
      collect(e.left, bound, out);
      return collect(e.right, bound, out);
    case 'conditional':
      collect(e.cond, bound, out);
      collect(e.then, bound, out);
      return collect(e.else, bound, out);
    case 'for': {
      collect(e.collection, bound, out);
      const inner = withNames(bound, e.keyVar, e.valVar);
      if (e.keyExpr) collect(e.keyExpr, inner, out);
      collect(e.valExpr, inner, out);
      if (e.cond) collect(e.cond, inner, out);
      return;
    }
    default:
      return;
  }
}

/** True when the expression contains a variable reference or a function call, for literal-only contexts. */
export function firstNonLiteral(e: Expr): Expr | undefined {
  let found: Expr | undefined;
  const visit = (x: Expr): void => {
    if (found) return;
    if (x.kind === 'variable' || x.kind === 'call' || x.kind === 'for') {
      found = x;
      return;
    }
    switch (x.kind) {
      case 'template':
        for (const p of x.parts) if (p.kind === 'interp') visit(p.expr);
        else if (p.kind !== 'text') found ??= x;
        return;
      case 'paren': return visit(x.inner);
      case 'traverse':
        visit(x.target);
        if (x.step.kind === 'index') visit(x.step.key);
        return;
      case 'splat': return visit(x.target);
      case 'tuple': return x.items.forEach(visit);
      case 'object': return x.items.forEach((i) => (visit(i.key), visit(i.value)));
      case 'unary': return visit(x.operand);
      case 'binary': return (visit(x.left), visit(x.right));
      case 'conditional': return (visit(x.cond), visit(x.then), visit(x.else));
      default: return;
    }
  };
  visit(e);
  return found;
}
