// Renders and scans Go text/template strings (the Packer subset parsed in go-template-parse.ts).

import { GoTemplateError, parseGoTemplate, positionedError, type Command, type Operand, type TemplateNode } from './go-template-parse.js';

export { GoTemplateError } from './go-template-parse.js';

export type TemplateFunc = (...args: string[]) => string;

export interface GoTemplateContext {
  funcs: Record<string, TemplateFunc>;
  data: Record<string, string>;
}

/** True when the text contains an action at all (cheap pre-check before parsing). */
export function hasGoTemplate(text: string): boolean {
  return text.includes('{{');
}

/** Renders `text` once. Throws GoTemplateError for syntax errors, unknown functions, missing data keys and failing functions. */
export function renderGoTemplate(text: string, ctx: GoTemplateContext): string {
  if (!hasGoTemplate(text)) return text;
  const nodes = parseGoTemplate(text);
  // Go rejects undefined functions at parse time, before anything runs.
  for (const name of collect(nodes).funcs) {
    if (!Object.hasOwn(ctx.funcs, name)) {
      const at = findIdent(nodes, name);
      throw positionedError(text, at, `function "${name}" not defined`);
    }
  }
  let out = '';
  for (const node of nodes) {
    out += node.kind === 'text' ? node.text : runPipeline(text, node.pipe, ctx, node.source);
  }
  return out;
}

/** Renders again and again until the output stops changing, as Packer's interpolate.Render does (at most `limit` passes). */
export function renderUntilStable(text: string, ctx: GoTemplateContext, limit = 100): string {
  let current = text;
  for (let pass = 0; pass < limit; pass++) {
    const next = renderGoTemplate(current, ctx);
    if (next === current) return next;
    current = next;
  }
  return current;
}

/**
 * The function names, `.Field` names and `user` variable names (string arguments of `user`) a
 * template uses. Throws GoTemplateError on syntax errors.
 */
export function scanGoTemplate(text: string): { funcs: string[]; fields: string[]; userVariables: string[] } {
  if (!hasGoTemplate(text)) return { funcs: [], fields: [], userVariables: [] };
  const { funcs, fields, userVariables } = collect(parseGoTemplate(text));
  return { funcs: [...funcs], fields: [...fields], userVariables: [...userVariables] };
}

function collect(nodes: TemplateNode[]): { funcs: Set<string>; fields: Set<string>; userVariables: Set<string> } {
  const funcs = new Set<string>();
  const fields = new Set<string>();
  const userVariables = new Set<string>();
  const walk = (pipe: Command[]): void => {
    for (const cmd of pipe) {
      const [head, arg] = cmd;
      if (head?.kind === 'ident' && head.name === 'user' && arg?.kind === 'string') userVariables.add(arg.value);
      cmd.forEach((op, index) => {
        if (op.kind === 'ident' && index === 0) funcs.add(op.name);
        if (op.kind === 'field') fields.add(op.name);
        if (op.kind === 'pipe') walk(op.pipe);
      });
    }
  };
  for (const node of nodes) if (node.kind === 'action') walk(node.pipe);
  return { funcs, fields, userVariables };
}

function findIdent(nodes: TemplateNode[], name: string): number {
  const find = (pipe: Command[]): number | undefined => {
    for (const cmd of pipe) {
      for (const op of cmd) {
        if (op.kind === 'ident' && op.name === name) return op.at;
        if (op.kind === 'pipe') {
          const inner = find(op.pipe);
          if (inner !== undefined) return inner;
        }
      }
    }
    return undefined;
  };
  for (const node of nodes) {
    if (node.kind !== 'action') continue;
    const at = find(node.pipe);
    if (at !== undefined) return at;
  }
  return 0;
}

function runPipeline(text: string, pipe: Command[], ctx: GoTemplateContext, source: string): string {
  let previous: string | undefined;
  for (const cmd of pipe) {
    previous = runCommand(text, cmd, ctx, previous, source);
  }
  return previous ?? '';
}

// A command is a function call when it starts with an identifier; the previous pipeline value becomes its last argument.
function runCommand(text: string, cmd: Command, ctx: GoTemplateContext, piped: string | undefined, source: string): string {
  const [head, ...rest] = cmd;
  if (!head) return '';
  if (head.kind !== 'ident') {
    if (rest.length > 0 || piped !== undefined) {
      throw positionedError(text, head.at, `executing "root" at <${source}>: can't give argument to non-function ${describe(head)}`);
    }
    return evaluate(text, head, ctx, source);
  }
  const args = rest.map((op) => evaluate(text, op, ctx, source));
  if (piped !== undefined) args.push(piped);
  const fn = ctx.funcs[head.name]!;
  try {
    return fn(...args);
  } catch (err) {
    if (err instanceof GoTemplateError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw positionedError(text, head.at, `executing "root" at <${head.name}>: error calling ${head.name}: ${msg}`);
  }
}

function evaluate(text: string, op: Operand, ctx: GoTemplateContext, source: string): string {
  switch (op.kind) {
    case 'string':
      return op.value;
    case 'number':
      return op.text;
    case 'bool':
      return String(op.value);
    case 'field':
      if (!Object.hasOwn(ctx.data, op.name)) {
        throw positionedError(text, op.at, `executing "root" at <.${op.name}>: map has no entry for key "${op.name}"`);
      }
      return ctx.data[op.name]!;
    case 'ident':
      return runCommand(text, [op], ctx, undefined, source);
    case 'pipe':
      return runPipeline(text, op.pipe, ctx, source);
  }
}

function describe(op: Operand): string {
  switch (op.kind) {
    case 'field': return `.${op.name}`;
    case 'string': return JSON.stringify(op.value);
    case 'number': return op.text;
    case 'bool': return String(op.value);
    default: return op.kind;
  }
}
