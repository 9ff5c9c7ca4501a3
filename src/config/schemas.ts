// Loads the JSON Schemas under <package root>/schemas lazily and compiles them once.

import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

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
let ajv: Ajv | undefined;

/** The schema and validator of a plugin type, or undefined for an unsupported type. */
export function loadSchema(kind: SchemaKind, type: string): Compiled | undefined {
  if (!SUPPORTED_TYPES[kind].includes(type)) return undefined;
  const key = `${kind}/${type}`;
  let compiled = cache.get(key);
  if (!compiled) {
    // dist/src/config/schemas.js is three levels below the package root, as is src/config/schemas.ts.
    const url = new URL(`../../../schemas/${key}.schema.json`, import.meta.url);
    const schema = JSON.parse(readFileSync(url, 'utf8')) as JsonSchema;
    // coerceTypes 'array' mirrors Packer's weakly typed decoding: "30" → 30, "true" → true, "x" → ["x"].
    ajv ??= new Ajv({ allErrors: true, coerceTypes: 'array', strict: false });
    compiled = { schema, validate: ajv.compile(schema) };
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
