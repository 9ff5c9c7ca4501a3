// Packer's HCL2 function table (1.6.6 set plus later additions that templates commonly use).

import type { HclFunction } from '../context.js';
import { collectionFunctions } from './collections.js';
import { canFunction, envFunction, tryFunction, unsupportedFunction } from './control.js';
import { argError, defineFunction, STRING } from './define.js';
import { encodingFunctions } from './encoding.js';
import { fileFunctions } from './files.js';
import { formatString } from './format.js';
import { networkFunctions } from './network.js';
import { numberFunctions } from './numbers.js';
import { regexFunctions } from './regex.js';
import { rsaDecrypt } from './rsa.js';
import { setFunctions } from './sets.js';
import { stringFunctions } from './strings.js';
import { timeFunctions } from './time.js';
import { asList, type HclValue } from '../values.js';
import { convertToType } from '../convert.js';
import { parseType } from '../types.js';

export interface FunctionOptions {
  baseDir: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
}

/** Packer's function table. `now` fixes timestamp() for tests; relative paths resolve against baseDir. */
export function createFunctions(options: FunctionOptions): Record<string, HclFunction> {
  const table: Record<string, HclFunction> = {
    ...stringFunctions(),
    ...collectionFunctions(),
    ...setFunctions(),
    ...numberFunctions(),
    ...networkFunctions(),
    ...encodingFunctions(),
    ...regexFunctions(),
    ...timeFunctions(options.now ?? (() => new Date())),
    ...fileFunctions({ ...options, functions: () => table }),
    format: defineFunction('format', {
      params: [{ name: 'format', type: STRING }],
      variadic: { name: 'args', allowNull: true },
      impl: ([f, ...args]) => formatString(f as string, args),
    }),
    formatlist: defineFunction('formatlist', {
      params: [{ name: 'format', type: STRING }],
      variadic: { name: 'args', allowNull: true },
      impl: ([f, ...args]) => formatList(f as string, args),
    }),
    convert: defineFunction('convert', {
      params: [{ name: 'value', allowNull: true }, { name: 'type', type: STRING }],
      // Reached only with a type given as a string; the evaluator handles convert(v, list(string)).
      impl: ([v, t]) => convertToType(v as HclValue, parseType(t as string)),
    }),
    try: tryFunction,
    can: canFunction,
    env: envFunction(options.env),
    vault: unsupportedFunction('vault', 'reads HashiCorp Vault secrets'),
    consul_key: unsupportedFunction('consul_key', 'reads Consul keys'),
    aws_secretsmanager: unsupportedFunction('aws_secretsmanager', 'reads AWS Secrets Manager'),
    aws_secretsmanager_raw: unsupportedFunction('aws_secretsmanager_raw', 'reads AWS Secrets Manager'),
    rsadecrypt: defineFunction('rsadecrypt', {
      params: [{ name: 'ciphertext', type: STRING }, { name: 'privatekey', type: STRING }],
      impl: ([c, k]) => rsaDecrypt(c as string, k as string),
    }),
  };
  return table;
}

/** Only env(), as allowed in variable defaults. */
export function envOnlyFunctions(env: Readonly<Record<string, string | undefined>>): Record<string, HclFunction> {
  return { env: envFunction(env) };
}

function formatList(spec: string, args: HclValue[]): HclValue[] {
  let n: number | undefined;
  args.forEach((a, i) => {
    if (!Array.isArray(a)) return;
    if (n !== undefined && a.length !== n) throw argError('args', `argument ${i + 1} has length ${a.length}, which is inconsistent with argument 1 of length ${n}`);
    n = a.length;
  });
  const count = n ?? 1;
  return asList(Array.from({ length: count }, (_, i) => formatString(spec, args.map((a) => (Array.isArray(a) ? (a[i] as HclValue) : a)))));
}
