// Legacy JSON builders, provisioners and post-processors (templates.md §3.1) onto RawBuild.

import { error, type Diagnostic } from '../../diagnostics.js';
import { isBody } from '../blocks.js';
import { Codes } from '../codes.js';
import type { JsonDocument } from '../json-source.js';
import type { KeyPath, Origin, RawPostProcessor, RawProvisioner } from '../model.js';

export interface JsonBuilder {
  rawName: string;
  type: string;
  body: Record<string, unknown>;
  origin: Origin;
}

interface Filtered<T> {
  item: T;
  only?: string[];
  except?: string[];
  override?: Record<string, unknown>;
}

export type JsonProvisioner = Filtered<RawProvisioner>;
export type JsonPostProcessor = Filtered<RawPostProcessor>;

/** An Origin for a JSON key path. */
export function jsonOrigin(doc: JsonDocument, file: string, at: KeyPath): Origin {
  const path = at.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
  const pos = doc.locate(at);
  return { file, path, ...(pos ? { pos } : {}), locate: (sub) => doc.locate([...at, ...sub]) };
}

/** The `builders` array: type required, name defaults to type and must be unique. */
export function readBuilders(doc: JsonDocument, file: string, raw: unknown, diagnostics: Diagnostic[]): JsonBuilder[] {
  if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) {
    diagnostics.push(error(Codes.builderMissing, 'at least one builder must be defined', { pos: doc.locate(raw === undefined ? [] : ['builders']), path: 'builders', detail: 'add "builders": [{ "type": "azure-chroot", ... }]' }));
    return [];
  }
  if (!Array.isArray(raw)) {
    diagnostics.push(error(Codes.builderType, '"builders" must be a list of objects', { pos: doc.locate(['builders']), path: 'builders' }));
    return [];
  }
  const out: JsonBuilder[] = [];
  raw.forEach((b, i) => {
    const origin = jsonOrigin(doc, file, ['builders', i]);
    if (!isBody(b)) {
      diagnostics.push(error(Codes.builderType, `builder ${i} must be an object, got ${JSON.stringify(b)}`, { pos: origin.pos, path: origin.path }));
      return;
    }
    const { type, name, ...body } = b;
    if (typeof type !== 'string' || type === '') {
      diagnostics.push(error(Codes.builderType, `builder ${i} has no "type"`, { pos: origin.locate(['type']), path: `${origin.path}.type`, detail: 'set "type": "azure-chroot"' }));
      return;
    }
    if (name !== undefined && typeof name !== 'string') {
      diagnostics.push(error(Codes.builderType, `builder "name" must be a string, got ${JSON.stringify(name)}`, { pos: origin.locate(['name']), path: `${origin.path}.name` }));
      return;
    }
    const rawName = name ?? type;
    if (out.some((o) => o.rawName === rawName)) {
      diagnostics.push(error(Codes.builderDuplicate, `builder with name '${rawName}' already exists`, { pos: origin.locate(name === undefined ? ['type'] : ['name']), path: `${origin.path}.name`, detail: 'give each builder a unique "name"' }));
      return;
    }
    out.push({ rawName, type, body, origin });
  });
  return out;
}

/**
 * The `provisioners` array (or the one `error-cleanup-provisioner` object) with reserved keys split
 * off; only/except/override checked against builder names.
 */
export function readProvisioners(doc: JsonDocument, file: string, raw: unknown, builderNames: readonly string[], diagnostics: Diagnostic[], section: 'provisioners' | 'error-cleanup-provisioner' = 'provisioners'): JsonProvisioner[] {
  if (raw === undefined) return [];
  const single = section === 'error-cleanup-provisioner';
  if (single ? !isBody(raw) : !Array.isArray(raw)) {
    diagnostics.push(error(Codes.pluginType, single ? '"error-cleanup-provisioner" must be an object with a "type"' : '"provisioners" must be a list of objects', { pos: doc.locate([section]), path: section }));
    return [];
  }
  const out: JsonProvisioner[] = [];
  (single ? [raw] : (raw as unknown[])).forEach((p, i) => {
    const origin = jsonOrigin(doc, file, single ? [section] : [section, i]);
    if (!isBody(p) || typeof p.type !== 'string' || p.type === '') {
      diagnostics.push(error(Codes.pluginType, `${single ? 'the error-cleanup-provisioner' : `provisioner ${i}`} must be an object with a "type"`, { pos: origin.pos, path: origin.path }));
      return;
    }
    const { type, only, except, override, pause_before, timeout, max_retries, ...config } = p;
    const filters = readFilters(only, except, origin, builderNames, diagnostics);
    if (!filters) return;
    const item: RawProvisioner = { type, config, origin };
    for (const [key, value, set] of [['pause_before', pause_before, (v: string) => (item.pauseBefore = v)], ['timeout', timeout, (v: string) => (item.timeout = v)]] as const) {
      if (value === undefined) continue;
      if (typeof value === 'string') set(value);
      else diagnostics.push(error(Codes.expression, `"${key}" must be a duration string like "10s", got ${JSON.stringify(value)}`, { pos: origin.locate([key]), path: `${origin.path}.${key}` }));
    }
    if (max_retries !== undefined) {
      const n = typeof max_retries === 'string' && /^\d+$/.test(max_retries.trim()) ? Number(max_retries) : max_retries;
      if (typeof n === 'number' && Number.isInteger(n) && n >= 0) item.maxRetries = n;
      else diagnostics.push(error(Codes.expression, `"max_retries" must be a whole number, got ${JSON.stringify(max_retries)}`, { pos: origin.locate(['max_retries']), path: `${origin.path}.max_retries` }));
    }
    let ov: Record<string, unknown> | undefined;
    if (override !== undefined) {
      if (!isBody(override)) {
        diagnostics.push(error(Codes.override, '"override" must be an object keyed by builder name', { pos: origin.locate(['override']), path: `${origin.path}.override` }));
      } else {
        ov = override;
        for (const key of Object.keys(override)) {
          if (!builderNames.includes(key)) diagnostics.push(error(Codes.override, `override '${key}' doesn't exist`, { pos: origin.locate(['override', key]), path: `${origin.path}.override.${key}`, detail: `override keys must be builder names: ${builderNames.join(', ')}` }));
          else if (!isBody(override[key])) diagnostics.push(error(Codes.override, `override '${key}' must be an object`, { pos: origin.locate(['override', key]), path: `${origin.path}.override.${key}` }));
        }
      }
    }
    out.push({ item, ...filters, ...(ov ? { override: ov } : {}) });
  });
  return out;
}

/** The `post-processors` array: each element a type string, an object, or an array (a chain). */
export function readPostProcessors(doc: JsonDocument, file: string, raw: unknown, builderNames: readonly string[], diagnostics: Diagnostic[]): JsonPostProcessor[][] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    diagnostics.push(error(Codes.pluginType, '"post-processors" must be a list', { pos: doc.locate(['post-processors']), path: 'post-processors' }));
    return [];
  }
  const one = (value: unknown, at: KeyPath): JsonPostProcessor | undefined => {
    const origin = jsonOrigin(doc, file, at);
    if (typeof value === 'string') return { item: { type: value, config: {}, origin } };
    if (Array.isArray(value)) {
      diagnostics.push(error(Codes.pluginType, 'nested arrays are not allowed in post-processors', { pos: origin.pos, path: origin.path, detail: 'a chain is one array of post-processors' }));
      return undefined;
    }
    if (!isBody(value) || typeof value.type !== 'string' || value.type === '') {
      diagnostics.push(error(Codes.pluginType, 'a post-processor must be a type name or an object with a "type"', { pos: origin.pos, path: origin.path }));
      return undefined;
    }
    const { type, name, only, except, keep_input_artifact, ...config } = value;
    const filters = readFilters(only, except, origin, builderNames, diagnostics);
    if (!filters) return undefined;
    const item: RawPostProcessor = { type, config, origin };
    if (typeof name === 'string') item.name = name;
    if (typeof keep_input_artifact === 'boolean') item.keepInputArtifact = keep_input_artifact;
    else if (keep_input_artifact !== undefined) diagnostics.push(error(Codes.expression, `"keep_input_artifact" must be true or false, got ${JSON.stringify(keep_input_artifact)}`, { pos: origin.locate(['keep_input_artifact']), path: `${origin.path}.keep_input_artifact` }));
    return { item, ...filters };
  };
  return raw.map((entry, i) => {
    const members = Array.isArray(entry) ? entry.map((e, j) => one(e, ['post-processors', i, j])) : [one(entry, ['post-processors', i])];
    return members.filter((m): m is JsonPostProcessor => m !== undefined);
  }).filter((chain) => chain.length > 0);
}

function readFilters(only: unknown, except: unknown, origin: Origin, builderNames: readonly string[], diagnostics: Diagnostic[]): { only?: string[]; except?: string[] } | undefined {
  if (only !== undefined && except !== undefined) {
    diagnostics.push(error(Codes.onlyExcept, "only one of 'only' or 'except' may be specified", { pos: origin.locate(['except']), path: `${origin.path}.except` }));
    return undefined;
  }
  const out: { only?: string[]; except?: string[] } = {};
  for (const [key, list] of [['only', only], ['except', except]] as const) {
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
      diagnostics.push(error(Codes.onlyExcept, `'${key}' must be a list of builder names`, { pos: origin.locate([key]), path: `${origin.path}.${key}` }));
      return undefined;
    }
    list.forEach((name, j) => {
      if (!builderNames.includes(name)) {
        diagnostics.push(error(Codes.onlyExcept, `'${key}' specified builder '${name}' not found`, { pos: origin.locate([key, j]), path: `${origin.path}.${key}[${j}]`, detail: `builders: ${builderNames.join(', ')}` }));
      }
    });
    out[key] = list as string[];
  }
  return out;
}

/** Whether an item with only/except applies to the builder named `name`. */
export function appliesToBuilder(f: { only?: string[]; except?: string[] }, name: string): boolean {
  if (f.only) return f.only.includes(name);
  if (f.except) return !f.except.includes(name);
  return true;
}
