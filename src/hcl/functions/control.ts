// try, can (lazy: they see failures of their arguments), env, and the secret-store functions
// azchroot does not support (vault, consul_key, aws_secretsmanager).

import { type HclFunction, lazyFunction } from '../context.js';
import { findUnknown, type HclValue, HclError } from '../values.js';
import { defineFunction, STRING } from './define.js';

/** try(a, b, ...): the first argument that evaluates without error. */
export const tryFunction = lazyFunction((thunks) => {
  if (thunks.length === 0) throw new HclError('Not enough function arguments', 'Function "try" expects at least one argument.');
  const failures: string[] = [];
  for (const t of thunks) {
    try {
      const v = t();
      return findUnknown(v) ?? v;
    } catch (err) {
      if (!(err instanceof HclError)) throw err;
      failures.push(`- ${err.summary}${err.detail ? ': ' + err.detail : ''}`);
    }
  }
  throw new HclError('Error in function call', `Call to function "try" failed: no expression succeeded:\n${failures.join('\n')}\n\nAt least one expression must produce a successful result.`);
});

/** can(expr): whether expr evaluates without error. */
export const canFunction = lazyFunction((thunks) => {
  if (thunks.length !== 1) {
    throw new HclError(thunks.length ? 'Too many function arguments' : 'Not enough function arguments', 'Function "can" expects 1 argument(s).');
  }
  try {
    const v = (thunks[0] as () => HclValue)();
    return findUnknown(v) ?? true;
  } catch (err) {
    if (err instanceof HclError) return false;
    throw err;
  }
});

/** env(name): the environment variable, or "" when unset. */
export function envFunction(env: Readonly<Record<string, string | undefined>>): HclFunction {
  return defineFunction('env', { params: [{ name: 'key', type: STRING }], impl: ([k]) => env[k as string] ?? '' });
}

/** A function that always fails because azchroot does not implement it. */
export function unsupportedFunction(name: string, what: string): HclFunction {
  return () => {
    throw new HclError(
      'Unsupported function',
      `The function "${name}" (${what}) is not supported by azchroot. Pass the secret in a variable instead, e.g. with -var or a PKR_VAR_ environment variable.`,
    );
  };
}
