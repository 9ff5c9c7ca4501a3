// Legacy JSON user variables (templates.md §3.2): strings only, null = required, -var-file and
// -var precedence, rendered with env/user until stable; `{{ .X }}` fragments are left alone.

import { error, type Diagnostic } from '../../diagnostics.js';
import { renderGoTemplate } from '../../interpolate/go-template.js';
import { templateFunctions } from '../../interpolate/functions.js';
import { isBody } from '../blocks.js';
import { Codes } from '../codes.js';
import type { SourceFile } from '../files.js';
import type { JsonDocument } from '../json-source.js';
import { parseJsonSource } from '../json-source.js';
import type { VariableView } from '../model.js';

export interface JsonVariableInputs {
  varFiles: readonly SourceFile[];
  cliVars: readonly [string, string][];
  env: Readonly<Record<string, string | undefined>>;
  templateDir: string;
  startTime: number;
  cwd: string;
}

/** Final user variables and their views; diagnostics for bad declarations, files, required and render errors. */
export function resolveJsonVariables(doc: JsonDocument, root: Record<string, unknown>, inputs: JsonVariableInputs, diagnostics: Diagnostic[]): { userVars: Record<string, string>; views: VariableView[]; sensitive: Set<string> } {
  const file = doc.locate([])?.file ?? '';
  const declared = new Map<string, string | null>();
  const raw = root.variables;
  if (raw !== undefined && !isBody(raw)) {
    diagnostics.push(error(Codes.varValue, '"variables" must be an object of name: "default value"', { pos: doc.locate(['variables']), path: 'variables' }));
  } else if (raw) {
    for (const [name, value] of Object.entries(raw)) {
      if (typeof value === 'string' || value === null) declared.set(name, value);
      else diagnostics.push(error(Codes.varValue, `variable "${name}" must be a string (or null for a required variable), got ${describe(value)}`, { pos: doc.locate(['variables', name]), path: `variables.${name}`, detail: 'quote the value: JSON template variables are strings' }));
    }
  }
  const sensitive = new Set<string>();
  const sv = root['sensitive-variables'];
  if (sv !== undefined) {
    if (!Array.isArray(sv) || !sv.every((s) => typeof s === 'string')) {
      diagnostics.push(error(Codes.varValue, '"sensitive-variables" must be a list of variable names', { pos: doc.locate(['sensitive-variables']), path: 'sensitive-variables' }));
    } else for (const s of sv as string[]) sensitive.add(s);
  }

  const values = new Map<string, { value: string; from: VariableView['from'] }>();
  for (const [name, value] of declared) if (value !== null) values.set(name, { value, from: 'default' });
  for (const vf of inputs.varFiles) {
    const parsed = parseJsonSource(vf.path, vf.text);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.value === undefined) continue;
    if (!isBody(parsed.value)) {
      diagnostics.push(error(Codes.varFile, `error reading variables in "${vf.path}": the file must contain a JSON object of name: "value"`, { pos: parsed.locate([]) }));
      continue;
    }
    for (const [name, value] of Object.entries(parsed.value)) {
      if (typeof value !== 'string') {
        diagnostics.push(error(Codes.varFile, `error reading variables in "${vf.path}": the value of "${name}" must be a string, got ${describe(value)}`, { pos: parsed.locate([name]), path: `variables.${name}` }));
        continue;
      }
      values.set(name, { value, from: 'var-file' });
    }
  }
  for (const [name, value] of inputs.cliVars) values.set(name, { value, from: 'cli' });
  for (const [name, value] of declared) {
    if (value === null && !values.has(name)) {
      diagnostics.push(error(Codes.varUnset, `required variable not set: ${name}`, { pos: doc.locate(['variables', name]), path: `variables.${name}`, detail: `set it with -var ${name}=... or a -var-file` }));
    }
  }

  const userVars = render(values, inputs, (name, message) => {
    diagnostics.push(error(Codes.render, `cannot render variable "${name}": ${message}`, { pos: doc.locate(['variables', name]) ?? { file, line: 1, column: 1 }, path: `variables.${name}` }));
  });
  const views: VariableView[] = [...values.keys()].sort().map((name) => ({
    name,
    value: userVars[name] ?? '',
    sensitive: sensitive.has(name),
    from: values.get(name)!.from,
    required: declared.get(name) === null,
    ...(declared.has(name) ? { origin: { file, path: `variables.${name}`, pos: doc.locate(['variables', name]), locate: (sub) => doc.locate(['variables', name, ...sub]) } } : {}),
  }));
  return { userVars, views, sensitive };
}

const DATA_FIELD = /\{\{\s*\.[A-Za-z0-9_]*\s*\}\}/g;

/** Renders all values in sorted key order, pass after pass, until nothing changes (at most 100 passes). */
function render(values: Map<string, { value: string }>, inputs: JsonVariableInputs, report: (name: string, message: string) => void): Record<string, string> {
  const current: Record<string, string> = {};
  for (const [k, v] of values) current[k] = v.value;
  const names = Object.keys(current).sort();
  const failures = new Map<string, string>();
  for (let pass = 0; pass < 100; pass++) {
    let changed = false;
    failures.clear();
    for (const name of names) {
      const text = current[name]!;
      if (!text.includes('{{')) continue;
      // Protect `{{ .X }}` (data for later stages) from this render.
      const kept: string[] = [];
      const masked = text.replace(DATA_FIELD, (m) => `\u0000${kept.push(m) - 1}\u0000`);
      try {
        const funcs = templateFunctions({ kind: 'json', phase: 'variables', userVars: current, env: inputs.env, templateDir: inputs.templateDir, startTime: inputs.startTime, cwd: inputs.cwd });
        const out = renderGoTemplate(masked, { funcs, data: {} }).replace(/\u0000(\d+)\u0000/g, (_, i: string) => kept[Number(i)]!);
        if (out !== text) {
          current[name] = out;
          changed = true;
        }
      } catch (e) {
        failures.set(name, e instanceof Error ? e.message : String(e));
      }
    }
    if (!changed) break;
  }
  for (const [name, message] of failures) report(name, message);
  return current;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `the ${typeof v} ${JSON.stringify(v)}`;
}
