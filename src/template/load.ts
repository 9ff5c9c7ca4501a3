// Entry point of the template loader: a Packer template (HCL2 file or directory, or legacy JSON)
// into a LoadedTemplate. Never throws for bad input: every problem is a Diagnostic.

import { warning, type Diagnostic } from '../diagnostics.js';
import { exhaustedDiagnostic } from './limits.js';
import { filterBuilds } from './build-filter.js';
import { discoverInputs } from './files.js';
import type { LoadedTemplate, LoadOptions, LoadResult } from './model.js';

/**
 * Loads the template at `path`. `template` is present whenever a model could be built (also with
 * variable or build errors, for best-effort validation); callers check the diagnostics for errors.
 * It is absent after read or syntax errors, and always with `syntaxOnly`.
 */
export async function loadTemplate(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const diagnostics: Diagnostic[] = [];
  const found = await discoverInputs(path, cwd);
  diagnostics.push(...found.diagnostics);
  if (!found.inputs) return { diagnostics };
  const host = { cwd, env };
  // Imported on demand: a JSON template needs neither the HCL evaluator nor the WASM parser.
  const inputs = found.inputs;
  let template: LoadedTemplate | undefined;
  try {
    template = inputs.kind === 'hcl2'
      ? await (await import('./hcl2/load-hcl2.js')).loadHcl2(inputs, options, host, diagnostics)
      : await (await import('./legacy-json/load-json.js')).loadJson(inputs, options, host, diagnostics);
  } catch (err) {
    const exhausted = exhaustedDiagnostic(err, inputs.configFiles[0] ?? path);
    if (!exhausted) throw err;
    return { diagnostics: [...dedupe(diagnostics), exhausted] };
  }
  if (template) {
    const names = template.builds.map((b) => b.name);
    template.builds = filterBuilds(template.builds, options.only, options.except);
    if (names.length > 0 && template.builds.length === 0) {
      diagnostics.push(warning('AZC_NO_BUILDS', 'no build is selected: -only/-except matched nothing', {
        detail: `the builds are ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''}; names look like azure-chroot.<name> or <build>.azure-chroot.<name> (see azchroot inspect)`,
      }));
    }
  }
  return { ...(template ? { template } : {}), diagnostics: dedupe(diagnostics) };
}

/** A body evaluated once per build reports the same problem once per build: keep one. */
function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = JSON.stringify([d.severity, d.code, d.summary, d.path, d.pos?.file, d.pos?.line, d.pos?.column]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
