// Programmatic validation: load a template and check every build, offline.
// `vm` values are known-shape placeholders, so validation never needs IMDS or Azure.

import { randomUUID } from 'node:crypto';
import type { Diagnostic } from './diagnostics.js';
import { hasErrors, sortDiagnostics } from './diagnostics.js';
import type { LoadedTemplate, LoadOptions, LoadResult } from './template/model.js';
import { loadTemplate } from './template/load.js';
import { validateTemplate } from './config/resolve.js';
import { validateVmLookup } from './interpolate/vm-lookup.js';
import { exhaustedDiagnostic } from './template/limits.js';

export interface ValidateResult {
  diagnostics: Diagnostic[];
  template?: LoadedTemplate;
  /** Values that must not be printed. */
  sensitiveValues: string[];
}

/** Loads `path` and validates every build; collects all diagnostics, in reading order. */
export async function validate(path: string, options: LoadOptions = {}): Promise<ValidateResult> {
  const loaded = await loadTemplate(path, options);
  const template = loaded.template;
  return { diagnostics: validateLoaded(loaded, path, options), template, sensitiveValues: template?.sensitiveValues ?? [] };
}

/**
 * The load diagnostics plus the config stage's. When loading found errors, the config stage still
 * runs on what was loaded, and only its findings that cannot be an echo of a load error are kept:
 * see `independentOfLoadErrors`.
 */
export function validateLoaded(loaded: LoadResult, path: string, options: LoadOptions = {}): Diagnostic[] {
  const diagnostics = [...loaded.diagnostics];
  const template = loaded.template;
  if (!template || options.syntaxOnly) return sortDiagnostics(diagnostics);
  const partial = hasErrors(diagnostics);
  try {
    const found = validateTemplate(template, {
      vm: validateVmLookup,
      startTime: Math.floor((options.now ?? new Date()).getTime() / 1000),
      runUuid: randomUUID(),
      cwd: options.cwd ?? process.cwd(),
      validateOnly: true,
    });
    diagnostics.push(...(partial ? independentOfLoadErrors(found, diagnostics, template.kind) : found));
  } catch (err) {
    const exhausted = exhaustedDiagnostic(err, path);
    if (!exhausted) throw err;
    diagnostics.push(exhausted);
  }
  return sortDiagnostics(diagnostics);
}

// Findings about the shape of a body, true whatever value a failed expression would have had.
const STRUCTURAL = new Set(['AZC_SCHEMA_UNKNOWN_KEY', 'AZC_CONFIG_UNKNOWN_TYPE', 'AZC_CONFIG_DUPLICATE_BLOCK']);
// Findings about one value. In HCL2 a value that failed to evaluate is left out, so every value
// present is the real one; in JSON an unset variable renders as "", so a value may be wrong only
// because of it.
const VALUE = new Set(['AZC_SCHEMA_TYPE', 'AZC_SCHEMA_ENUM', 'AZC_SCHEMA_RANGE']);

/**
 * The config-stage findings that stand on their own while the template has load errors: unknown
 * options and plugin types, and (HCL2) values of the wrong type or outside the allowed set, except
 * at or below a path that already has an error. Cross-field rules ("X is required with Y") wait
 * until the load errors are fixed, since a value that failed may be the missing one.
 */
function independentOfLoadErrors(found: readonly Diagnostic[], loadDiagnostics: readonly Diagnostic[], kind: 'hcl2' | 'json'): Diagnostic[] {
  const failedPaths = loadDiagnostics.filter((d) => d.severity === 'error' && d.path).map((d) => d.path!);
  const below = (path: string, base: string): boolean => path === base || path.startsWith(`${base}.`) || path.startsWith(`${base}[`);
  return found.filter((d) => {
    if (d.severity !== 'error') return false;
    if (!STRUCTURAL.has(d.code) && !(kind === 'hcl2' && VALUE.has(d.code))) return false;
    return !(d.path && failedPaths.some((p) => below(d.path!, p)));
  });
}
