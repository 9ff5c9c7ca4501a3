// Declarative function definitions: parameter names and types drive argument count checks, null
// and unknown handling and conversion, with Packer's error summaries.

import type { HclFunction } from '../context.js';
import { convertToType } from '../convert.js';
import type { HclType } from '../types.js';
import { type BigFloat, findUnknown, type HclValue, HclError, isUnknown } from '../values.js';

export interface Param {
  name: string;
  /** Omitted: any value, unconverted. */
  type?: HclType;
  allowNull?: boolean;
  /** The function handles unknown values nested inside this argument itself (a wholly unknown argument still gives unknown). */
  allowUnknownInside?: boolean;
}

export interface FunctionSpec {
  params: Param[];
  variadic?: Param;
  impl: (args: HclValue[]) => HclValue;
}

export const STRING: HclType = { kind: 'string' };
export const NUMBER: HclType = { kind: 'number' };
export const BOOL: HclType = { kind: 'bool' };
export const LIST_STRING: HclType = { kind: 'list', element: STRING };

/** Builds an HclFunction from a spec: arguments are checked and converted before `impl` runs. */
export function defineFunction(name: string, spec: FunctionSpec): HclFunction {
  return (args) => {
    const { params, variadic } = spec;
    if (args.length < params.length) {
      const missing = params[args.length] as Param;
      throw new HclError('Not enough function arguments', `Function "${name}" expects ${params.length} argument(s). Missing value for "${missing.name}".`);
    }
    if (args.length > params.length && !variadic) {
      throw new HclError('Too many function arguments', `Function "${name}" expects only ${params.length} argument(s).`);
    }
    const converted: HclValue[] = [];
    for (let i = 0; i < args.length; i++) {
      const p = (params[i] ?? variadic) as Param;
      const a = args[i] as HclValue;
      if (a === null && !p.allowNull) throw argError(p.name, 'argument must not be null');
      const u = p.allowUnknownInside ? (isUnknown(a) ? a : undefined) : findUnknown(a);
      if (u) return u;
      converted.push(p.type ? convertArg(p, a) : a);
    }
    try {
      return spec.impl(converted);
    } catch (err) {
      if (err instanceof HclError) throw err;
      throw new HclError('Error in function call', `Call to function "${name}" failed: ${err instanceof Error ? err.message : String(err)}.`);
    }
  };
}

function convertArg(p: Param, a: HclValue): HclValue {
  try {
    return convertToType(a, p.type as HclType);
  } catch (err) {
    if (err instanceof HclError) throw argError(p.name, err.summary);
    throw err;
  }
}

/** The "Invalid function argument" error for parameter `param`. */
export function argError(param: string, message: string): HclError {
  return new HclError('Invalid function argument', `Invalid value for "${param}" parameter: ${message}.`);
}

/** A single-string-in, single-value-out function. */
export function stringFunction(name: string, fn: (s: string) => HclValue): HclFunction {
  return defineFunction(name, { params: [{ name: 'str', type: STRING }], impl: ([s]) => fn(s as string) });
}

/** A converted number argument as a JS number (for counts, offsets and indexes). */
export function jsNumber(v: HclValue | undefined): number {
  return (v as BigFloat).toFloat64();
}
