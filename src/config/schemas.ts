// Loads the JSON Schemas under <package root>/schemas lazily and compiles them once.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { AJV_OPTIONS } from './ajv-options.js';

export type SchemaKind = 'builders' | 'provisioners' | 'post-processors';

/** Plugin types with a schema, per section. */
export const SUPPORTED_TYPES: Readonly<Record<SchemaKind, readonly string[]>> = {
  builders: ['azure-chroot'],
  provisioners: ['shell', 'file', 'shell-local'],
  'post-processors': ['manifest', 'shell-local'],
};

export interface JsonSchema {
  type?: string;
  description?: string;
  enum?: string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
}

interface Compiled {
  schema: JsonSchema;
  validate: ValidateFunction;
}

const cache = new Map<string, Compiled>();
let compile: ((schema: JsonSchema) => ValidateFunction) | undefined;
let precompiled: Record<string, ValidateFunction> | null | undefined;

/** What a bundle (npm bundle, single executable) embeds in place of files: see scripts/bundle.mjs. */
interface Embedded {
  validators: Record<string, ValidateFunction>;
  schemas: Record<string, JsonSchema>;
}
const embedded = (globalThis as { __azchrootEmbedded?: Embedded }).__azchrootEmbedded;

/** The validators generated at build time (dist/schemas/validators.cjs), or null when absent. */
function precompiledValidators(): Record<string, ValidateFunction> | null {
  if (precompiled !== undefined) return precompiled;
  if (embedded) return (precompiled = embedded.validators);
  try {
    // dist/src/config → dist/schemas (CommonJS, so it loads synchronously).
    const url = new URL('../../schemas/validators.cjs', import.meta.url);
    precompiled = createRequire(import.meta.url)(url.pathname) as Record<string, ValidateFunction>;
  } catch {
    precompiled = null;
  }
  return precompiled;
}

/** Compiles at run time: only when the build step's precompiled validators are missing. */
function runtimeCompiler(): (schema: JsonSchema) => ValidateFunction {
  if (!compile) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    const ajv = new Ajv({ ...AJV_OPTIONS });
    compile = (schema) => ajv.compile(schema);
  }
  return compile;
}

function readSchemaFile(key: string): JsonSchema {
  // dist/src/config/schemas.js is three levels below the package root, as is src/config/schemas.ts.
  const url = new URL(`../../../schemas/${key}.schema.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as JsonSchema;
}

/** The schema and validator of a plugin type, or undefined for an unsupported type. */
export function loadSchema(kind: SchemaKind, type: string): Compiled | undefined {
  if (!SUPPORTED_TYPES[kind].includes(type)) return undefined;
  const key = `${kind}/${type}`;
  let compiled = cache.get(key);
  if (!compiled) {
    const schema = embedded?.schemas[key] ?? readSchemaFile(key);
    const validate = precompiledValidators()?.[key] ?? runtimeCompiler()(schema);
    compiled = { schema, validate };
    cache.set(key, compiled);
  }
  return compiled;
}

/** The sub-schema at a key path (array indexes step into `items`), if any. */
export function schemaAt(schema: JsonSchema, path: readonly (string | number)[]): JsonSchema | undefined {
  let current: JsonSchema | undefined = schema;
  for (const part of path) {
    if (!current) return undefined;
    current = typeof part === 'number' ? current.items : current.properties?.[part];
  }
  return current;
}
