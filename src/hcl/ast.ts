// Syntax tree of HCL expressions and templates, as produced by parser.ts and template-parser.ts.

import type { BigFloat } from './bigfloat.js';

/** One step after a root name: `.name`, `[expr]`, legacy `.0`. */
export type Step =
  | { kind: 'attr'; name: string; pos: number }
  | { kind: 'index'; key: Expr; pos: number };

export type Expr =
  | { kind: 'literal'; value: null | boolean | BigFloat | string; pos: number }
  | { kind: 'template'; parts: TemplatePart[]; pos: number }
  | { kind: 'variable'; name: string; pos: number }
  | { kind: 'traverse'; target: Expr; step: Step; pos: number }
  /** `target[*]rest` or `target.*rest`: `rest` is applied to each element via the `each` placeholder. */
  | { kind: 'splat'; target: Expr; each: Expr; pos: number }
  | { kind: 'splatItem'; pos: number }
  | { kind: 'tuple'; items: Expr[]; pos: number }
  | { kind: 'object'; items: { key: Expr; keyIsIdent: boolean; value: Expr }[]; pos: number }
  | { kind: 'call'; name: string; args: Expr[]; expandLast: boolean; pos: number }
  | { kind: 'unary'; op: '!' | '-'; operand: Expr; pos: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: number }
  | { kind: 'conditional'; cond: Expr; then: Expr; else: Expr; pos: number }
  | { kind: 'paren'; inner: Expr; pos: number }
  | {
      kind: 'for';
      keyVar?: string;
      valVar: string;
      collection: Expr;
      /** Present for object results `{for ... : k => v}`. */
      keyExpr?: Expr;
      valExpr: Expr;
      cond?: Expr;
      group: boolean;
      pos: number;
    };

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'interp'; expr: Expr }
  | { kind: 'if'; cond: Expr; then: TemplatePart[]; else: TemplatePart[]; pos: number }
  | { kind: 'for'; keyVar?: string; valVar: string; collection: Expr; body: TemplatePart[]; pos: number };
