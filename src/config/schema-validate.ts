// Validates a plugin body against its JSON Schema and maps every ajv error to a diagnostic
// at the offending key, with what is wrong and what is allowed.

import type { ErrorObject } from 'ajv';
import { didYouMean } from '../suggest.js';
import type { Report } from './report.js';
import { schemaAt, type JsonSchema, type SchemaKind, loadSchema } from './schemas.js';

/**
 * Validates (and type-coerces) a copy of `body`; returns the coerced copy. Legacy JSON templates get
 * Packer's loose decoding (a single value where a list is expected is wrapped); HCL2 templates
 * (`.pkr.hcl` and `.pkr.json`) get HCL's attribute types: a string is not a list of string.
 */
export function validateAgainstSchema(kind: SchemaKind, type: string, body: Record<string, unknown>, report: Report, hcl2 = false): Record<string, unknown> {
  const compiled = loadSchema(kind, type);
  if (!compiled) return body;
  const clone = structuredClone(body);
  const copy = (hcl2 ? clone : wrapScalars(clone, compiled.schema)) as Record<string, unknown>;
  if (compiled.validate(copy)) return copy;
  for (const err of compiled.validate.errors ?? []) reportError(err, compiled.schema, body, report, hcl2);
  return copy;
}

/** The cty type name HCL states for a schema: string, number, bool, list of string, map of string, object. */
function ctyTypeName(schema: JsonSchema | undefined): string {
  if (!schema) return 'any';
  switch (schema.type) {
    case 'string': return 'string';
    case 'number':
    case 'integer': return 'number';
    case 'boolean': return 'bool';
    case 'array': return `list of ${ctyTypeName(schema.items)}`;
    case 'object': {
      const extra = (schema as { additionalProperties?: unknown }).additionalProperties;
      return schema.properties || typeof extra !== 'object' ? 'object' : `map of ${ctyTypeName(extra as JsonSchema)}`;
    }
    default: return 'any';
  }
}

/**
 * Packer's decoder accepts a single value where a list is expected ("x" → ["x"]); ajv's 'array'
 * coercion would also turn [1] into 1, so only this direction is done, here, before validation.
 */
export function wrapScalars(value: unknown, schema: JsonSchema | undefined): unknown {
  if (!schema || value === undefined || value === null) return value;
  if (schema.type === 'array') {
    const list = Array.isArray(value) ? value : typeof value === 'object' ? value : [value];
    return Array.isArray(list) ? list.map((v) => wrapScalars(v, schema.items)) : list;
  }
  if (schema.type === 'object' && typeof value === 'object' && !Array.isArray(value) && schema.properties) {
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [k, v] of Object.entries(out)) out[k] = wrapScalars(v, schema.properties[k]);
    return out;
  }
  return value;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((p) => {
    const key = p.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(key) ? Number(key) : key;
  });
}

function valueAt(body: unknown, path: readonly (string | number)[]): unknown {
  let v = body;
  for (const p of path) v = (v as Record<string | number, unknown> | undefined)?.[p];
  return v;
}

function label(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

const TYPE_NAMES: Record<string, string> = { string: 'a string', integer: 'a whole number', number: 'a number', boolean: 'a boolean (true or false)', array: 'a list', object: 'an object (block)' };

function reportError(err: ErrorObject, schema: JsonSchema, original: Record<string, unknown>, report: Report, hcl2: boolean): void {
  const path = pointerToPath(err.instancePath);
  const where = label(path);
  const value = valueAt(original, path);
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = (err.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(schemaAt(schema, path)?.properties ?? {});
      const hint = didYouMean(key, known) || `known options: ${known.join(', ')}`;
      report.error('AZC_SCHEMA_UNKNOWN_KEY', `unknown option "${label([...path, key])}"`, [...path, key], hint);
      return;
    }
    case 'type': {
      const required = ctyTypeName(schemaAt(schema, path));
      if (hcl2 && required.startsWith('list')) {
        // HCL's wording (hcldec): the attribute and the type it requires (no single-value shorthand in HCL2).
        const name = [...path].reverse().find((p) => typeof p === 'string') ?? where;
        report.error('AZC_SCHEMA_TYPE', 'Incorrect attribute value type', path, `Inappropriate value for attribute "${String(name)}": ${required} required.${required.startsWith('list') && !Array.isArray(value) ? ` Write it as a list: [${JSON.stringify(value)}].` : ''}`);
        return;
      }
      const expected = String((err.params as { type: string }).type).split(',').map((t) => TYPE_NAMES[t] ?? t).join(' or ');
      report.error('AZC_SCHEMA_TYPE', `${where}: expected ${expected}, got ${describeValue(value)}`, path, schemaAt(schema, path)?.description);
      return;
    }
    case 'enum': {
      const allowed = (err.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const near = typeof value === 'string' ? didYouMean(value, allowed) : '';
      report.error('AZC_SCHEMA_ENUM', `${where}: ${JSON.stringify(value)} is not a valid value`, path, `allowed: ${allowed.join(', ')}${near ? `; ${near}` : ''}`);
      return;
    }
    case 'minimum':
      report.error('AZC_SCHEMA_RANGE', `${where}: ${JSON.stringify(value)} is too small`, path, `must be at least ${(err.params as { limit: number }).limit}`);
      return;
    default:
      report.error('AZC_SCHEMA', `${where || 'configuration'}: ${err.message ?? 'is invalid'}`, path);
  }
}
