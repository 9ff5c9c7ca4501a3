// HCL gives nested blocks as lists of objects (`shared_image_destination { ... }` → `[{...}]`).
// Unwrap them where the schema expects one object, and drop null attributes (HCL null = unset).

import type { Report } from './report.js';
import type { JsonSchema } from './schemas.js';

/** Returns a normalised copy of `body`; reports repeated single blocks. */
export function normalizeBlocks(body: Record<string, unknown>, schema: JsonSchema, report: Report, hcl: boolean): Record<string, unknown> {
  return normalizeObject(body, schema, report, hcl, []);
}

function normalizeObject(body: Record<string, unknown>, schema: JsonSchema, report: Report, hcl: boolean, path: (string | number)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(body)) {
    if (raw === null || raw === undefined) continue;
    const sub = schema.properties?.[key];
    out[key] = sub ? normalizeValue(raw, sub, report, hcl, [...path, key]) : raw;
  }
  return out;
}

function normalizeValue(value: unknown, schema: JsonSchema, report: Report, hcl: boolean, path: (string | number)[]): unknown {
  if (schema.type === 'object' && Array.isArray(value) && hcl) {
    if (value.length > 1) {
      report.error('AZC_CONFIG_DUPLICATE_BLOCK', `only one ${String(path[path.length - 1])} block is allowed, got ${value.length}`, [...path, 1], 'merge the blocks into one');
    }
    value = value[0] ?? {};
  }
  if (schema.type === 'object' && schema.properties && isObject(value)) {
    return normalizeObject(value, schema, report, hcl, path);
  }
  if (schema.type === 'array' && schema.items && Array.isArray(value)) {
    return value.map((item, i) => normalizeValue(item, schema.items!, report, hcl, [...path, i]));
  }
  return value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
