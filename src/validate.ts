// Programmatic validation: load a template and check every build, offline.
// `vm` values are known-shape placeholders, so validation never needs IMDS or Azure.

import { randomUUID } from 'node:crypto';
import type { Diagnostic } from './diagnostics.js';
import { hasErrors, warning } from './diagnostics.js';
import type { LoadedTemplate, LoadOptions } from './template/model.js';
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

/** Loads `path` and validates every build; collects all diagnostics. */
export async function validate(path: string, options: LoadOptions = {}): Promise<ValidateResult> {
  const loaded = await loadTemplate(path, options);
  const diagnostics = [...loaded.diagnostics];
  const template = loaded.template;
  const sensitiveValues = template?.sensitiveValues ?? [];
  if (!template || options.syntaxOnly || hasErrors(diagnostics)) return { diagnostics, template, sensitiveValues };
  if (template.builds.length === 0 && (options.only?.length || options.except?.length)) {
    diagnostics.push(warning('AZC_NO_BUILDS', 'no build is selected: -only/-except matched nothing', { detail: 'build names look like azure-chroot.<name> or <build>.azure-chroot.<name>; see azchroot inspect' }));
  }
  try {
    diagnostics.push(
      ...validateTemplate(template, {
        vm: validateVmLookup,
        startTime: Math.floor((options.now ?? new Date()).getTime() / 1000),
        runUuid: randomUUID(),
        cwd: options.cwd ?? process.cwd(),
        validateOnly: true,
      }),
    );
  } catch (err) {
    const exhausted = exhaustedDiagnostic(err, path);
    if (!exhausted) throw err;
    diagnostics.push(exhausted);
  }
  return { diagnostics, template, sensitiveValues };
}
