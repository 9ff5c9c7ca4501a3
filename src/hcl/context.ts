// The evaluation context and the function calling convention shared by the evaluator and the
// function table. `try` and `can` are "lazy": they receive thunks instead of evaluated values.

import type { HclValue } from './values.js';

/** A function: throws HclError on bad arguments. */
export type HclFunction = (args: HclValue[]) => HclValue;

export interface EvalContext {
  /** Root names: var, local, source, build, path, packer, each, count, plus iterator names; values are objects. */
  variables: Record<string, HclValue>;
  functions: Record<string, HclFunction>;
}

/** Marker property of functions that need their arguments unevaluated (try, can). */
export const LAZY: unique symbol = Symbol('azchroot.hcl.lazy');

export type LazyImpl = (args: (() => HclValue)[]) => HclValue;

/** A function whose lazy form the evaluator calls with thunks; its plain form takes values. */
export type LazyHclFunction = HclFunction & { [LAZY]: LazyImpl };

/** Builds a lazy function from its thunk-based implementation. */
export function lazyFunction(impl: LazyImpl): LazyHclFunction {
  const plain: HclFunction = (args) => impl(args.map((a) => () => a));
  return Object.assign(plain, { [LAZY]: impl });
}

/** The lazy implementation of `fn`, if it has one. */
export function lazyImplOf(fn: HclFunction): LazyImpl | undefined {
  return (fn as Partial<LazyHclFunction>)[LAZY];
}
