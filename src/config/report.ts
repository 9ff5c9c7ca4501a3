// Collects diagnostics for one plugin body, turning key paths into display paths and positions.

import type { Diagnostic } from '../diagnostics.js';
import type { KeyPath, Origin } from '../template/model.js';

export interface Report {
  readonly diagnostics: Diagnostic[];
  error(code: string, summary: string, key: KeyPath, detail?: string): void;
  warning(code: string, summary: string, key: KeyPath, detail?: string): void;
}

/** `source.azure-chroot.x` + [`shared_image_destination`, `target_regions`, 0] → `source.azure-chroot.x.shared_image_destination.target_regions[0]`. */
export function displayPath(base: string, key: KeyPath): string {
  let out = base;
  for (const part of key) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out;
}

/** A Report writing into `diagnostics`, locating keys with `origin`. */
export function createReport(origin: Origin, diagnostics: Diagnostic[]): Report {
  const add = (severity: Diagnostic['severity'], code: string, summary: string, key: KeyPath, detail?: string): void => {
    const d: Diagnostic = { severity, code, summary, path: displayPath(origin.path, key) };
    if (detail) d.detail = detail;
    const pos = origin.locate(key) ?? origin.pos;
    if (pos) d.pos = pos;
    diagnostics.push(d);
  };
  return {
    diagnostics,
    error: (code, summary, key, detail) => add('error', code, summary, key, detail),
    warning: (code, summary, key, detail) => add('warning', code, summary, key, detail),
  };
}

/** The string at `key`, or undefined when absent or not a string. */
export function str(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' ? v : undefined;
}

/** The boolean at `key`, or `fallback`. */
export function bool(obj: Record<string, unknown>, key: string, fallback = false): boolean {
  const v = obj[key];
  return typeof v === 'boolean' ? v : fallback;
}

/** The string list at `key` (non-string elements dropped), or undefined when absent. */
export function strList(obj: Record<string, unknown>, key: string): string[] | undefined {
  const v = obj[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

/** The string map at `key`, or undefined. */
export function strMap(obj: Record<string, unknown>, key: string): Record<string, string> | undefined {
  const v = obj[key];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** True when the key is present with a non-null value. */
export function isSet(obj: Record<string, unknown>, key: string): boolean {
  return obj[key] !== undefined && obj[key] !== null;
}
