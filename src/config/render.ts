// Load-time Go-template rendering of a plugin body: every string of a non-deferred key is rendered
// now (user variables, functions, vm); deferred keys are only checked against their phase.

import { GoTemplateError, renderUntilStable, type TemplateFunc } from '../interpolate/go-template.js';
import { checkDeferredTemplate, DEFERRED_FIELDS, deferredField, type PluginSection } from '../interpolate/deferred-fields.js';
import type { Report } from './report.js';

export interface RenderScope {
  kind: 'hcl2' | 'json';
  section: PluginSection;
  type: string;
  /** Config-phase function table (templateFunctions with phase 'config'). */
  funcs: Record<string, TemplateFunc>;
}

const BUILD_CALL = /\{\{\s*build\s+`/;

/** Returns a copy of `body` with non-deferred strings rendered; reports render and phase errors. */
export function renderBody(body: Record<string, unknown>, scope: RenderScope, report: Report): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const deferred = deferredField(scope.section, scope.type, key);
    if (deferred) {
      forEachString(value, [key], (text, path) => {
        for (const p of checkDeferredTemplate(text, deferred.placeholders, scope.kind)) {
          report.error('AZC_TEMPLATE_PHASE', `${key}: ${p.summary}`, path, p.detail);
        }
      });
      out[key] = value;
    } else {
      out[key] = renderValue(value, [key], scope, report);
    }
  }
  return out;
}

function renderValue(value: unknown, path: (string | number)[], scope: RenderScope, report: Report): unknown {
  if (typeof value === 'string') return renderString(value, path, scope, report);
  if (Array.isArray(value)) return value.map((v, i) => renderValue(v, [...path, i], scope, report));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, [...path, k], scope, report)]));
  }
  return value;
}

function renderString(text: string, path: (string | number)[], scope: RenderScope, report: Report): string {
  if (!text.includes('{{')) return text;
  let rendered: string;
  try {
    rendered = renderUntilStable(text, { funcs: scope.funcs, data: {} });
  } catch (err) {
    if (!(err instanceof GoTemplateError)) throw err;
    report.error('AZC_TEMPLATE_RENDER', `${String(path[0])}: ${err.message}`, path, `in ${JSON.stringify(text)}`);
    return text;
  }
  if (BUILD_CALL.test(rendered)) {
    // Generated build data exists only once the build runs; here the call would stay as literal text.
    const usable = DEFERRED_FIELDS.filter((d) => d.section === scope.section && d.type === scope.type).map((d) => d.key);
    const detail = `build data is rendered at step time only in: ${usable.length ? usable.join(', ') : 'no option of this plugin'}`;
    if (scope.section === 'builder') {
      report.error('AZC_TEMPLATE_BUILD_DATA', `${String(path[0])}: build data cannot be used here`, path, detail);
    } else {
      report.warning('AZC_TEMPLATE_BUILD_DATA', `${String(path[0])}: build data is not rendered here; the text stays as written`, path, detail);
    }
  }
  return rendered;
}

function forEachString(value: unknown, path: (string | number)[], fn: (text: string, path: (string | number)[]) => void): void {
  if (typeof value === 'string') fn(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => forEachString(v, [...path, i], fn));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) forEachString(v, [...path, k], fn);
}
