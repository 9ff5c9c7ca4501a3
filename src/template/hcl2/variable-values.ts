// Variable values and their precedence (templates.md §2.4): default < PKR_VAR_x < auto var files
// (lexical) < -var-file (in order) < -var; then "Unset variable" and validation rules.

import { error, warning, type Diagnostic, type SourcePos } from '../../diagnostics.js';
import { convertToType, evaluateJson, evaluateLiteralExpression, formatType, HclError, type HclFunction, type HclValue } from '../../hcl/index.js';
import { isBody } from '../blocks.js';
import { Codes } from '../codes.js';
import type { SourceFile } from '../files.js';
import { scanHcl } from '../hcl-scanner.js';
import { parseHclFile } from '../hcl-syntax.js';
import type { VariableView } from '../model.js';
import { evaluate } from './evaluate.js';
import type { DeclaredVariable } from './variables.js';

export interface ValueInputs {
  env: Readonly<Record<string, string | undefined>>;
  autoVarFiles: readonly SourceFile[];
  varFiles: readonly SourceFile[];
  cliVars: readonly [string, string][];
  functions: Record<string, HclFunction>;
}

interface Assigned {
  value: HclValue;
  from: VariableView['from'];
}

/** Assigns every declared variable its final value; returns views in declaration order. */
export async function assignValues(declared: ReadonlyMap<string, DeclaredVariable>, inputs: ValueInputs, diagnostics: Diagnostic[]): Promise<VariableView[]> {
  const assigned = new Map<string, Assigned>();
  for (const v of declared.values()) if (v.hasDefault) assigned.set(v.name, { value: v.defaultValue!, from: 'default' });

  for (const v of declared.values()) {
    const raw = inputs.env[`PKR_VAR_${v.name}`];
    if (raw === undefined) continue;
    const value = fromText(raw, v, `environment variable PKR_VAR_${v.name}`, undefined, diagnostics);
    if (value !== undefined) assigned.set(v.name, { value, from: 'env' });
  }
  for (const [files, from] of [[inputs.autoVarFiles, 'auto-var-file'], [inputs.varFiles, 'var-file']] as const) {
    for (const file of files) {
      for (const [name, value] of await readVarFile(file, declared, diagnostics)) assigned.set(name, { value, from });
    }
  }
  for (const [name, raw] of inputs.cliVars) {
    const v = declared.get(name);
    if (!v) {
      diagnostics.push(error(Codes.varUndefined, `undefined -var variable "${name}"`, { path: `variable.${name}`, detail: `a value was passed with -var ${name}=..., but no variable "${name}" is declared; declare it with a variable block or remove the -var` }));
      continue;
    }
    const value = fromText(raw, v, `-var ${name}`, undefined, diagnostics);
    if (value !== undefined) assigned.set(name, { value, from: 'cli' });
  }

  const views: VariableView[] = [];
  for (const v of declared.values()) {
    const got = assigned.get(v.name);
    if (!got) {
      // A default that failed to evaluate was already reported.
      if (v.brokenDefault) continue;
      diagnostics.push(error(Codes.varUnset, `unset variable "${v.name}"`, {
        pos: v.block.pos,
        path: v.path,
        detail: `give it a default, or set it with -var ${v.name}=..., a -var-file, an *.auto.pkrvars.hcl file or PKR_VAR_${v.name}`,
      }));
      continue;
    }
    checkValidations(v, got, inputs.functions, diagnostics);
    views.push({
      name: v.name,
      value: got.value,
      sensitive: v.sensitive,
      from: got.from,
      required: !v.hasDefault,
      ...(v.description !== undefined ? { description: v.description } : {}),
      ...(v.typeText !== undefined ? { type: v.typeText } : {}),
      origin: { file: v.block.file, path: v.path, ...(v.block.pos ? { pos: v.block.pos } : {}), locate: v.block.locate },
    });
  }
  return views;
}

/**
 * A value given as text (-var, PKR_VAR_): for string, number, any or untyped variables the text is
 * a literal string (then converted); for other types it is an HCL expression without variables or functions.
 */
function fromText(text: string, v: DeclaredVariable, source: string, pos: SourcePos | undefined, diagnostics: Diagnostic[]): HclValue | undefined {
  const typeText = v.type ? formatType(v.type) : undefined;
  try {
    const literal = typeText === undefined || typeText === 'string' || typeText === 'number' || typeText === 'any';
    const value = literal ? text : evaluateLiteralExpression(text);
    return v.type ? convertToType(value, v.type) : value;
  } catch (e) {
    if (!(e instanceof HclError)) throw e;
    diagnostics.push(error(Codes.varValue, `invalid value for variable "${v.name}" from ${source}`, {
      ...(pos ? { pos } : {}),
      path: v.path,
      detail: `${e.detail ?? e.summary}${typeText ? ` (the variable's type is ${typeText})` : ''}`,
    }));
    return undefined;
  }
}

/** Reads a .pkrvars.hcl/.json file: attributes only, evaluated without variables or functions. */
async function readVarFile(file: SourceFile, declared: ReadonlyMap<string, DeclaredVariable>, diagnostics: Diagnostic[]): Promise<[string, HclValue][]> {
  const parsed = await parseHclFile(file.path, file.text);
  diagnostics.push(...parsed.diagnostics);
  if (!parsed.body) return [];
  if (!file.path.endsWith('.json')) {
    for (const block of scanHcl(file.path, file.text).blocks) {
      diagnostics.push(error(Codes.varFile, `a ${block.type} block is not allowed in a variable file`, {
        pos: block.pos,
        detail: block.type === 'variable' ? 'variable declarations belong in .pkr.hcl files; a .pkrvars file only assigns values: name = value' : 'a .pkrvars file may only contain assignments: name = value',
      }));
    }
  }
  const out: [string, HclValue][] = [];
  const blockTypes = new Set(file.path.endsWith('.json') ? [] : scanHcl(file.path, file.text).blocks.map((b) => b.type));
  for (const [name, raw] of Object.entries(parsed.body)) {
    if (blockTypes.has(name)) continue;
    const v = declared.get(name);
    const where = { locate: parsed.locate, path: 'variable' };
    if (!v) {
      diagnostics.push(warning(Codes.varUndeclared, `undefined variable "${name}" in "${file.path}"`, { pos: parsed.locate([name]), path: `variable.${name}`, detail: `no variable "${name}" is declared; declare it with a variable block or remove it from the file` }));
      continue;
    }
    const value = evaluate(raw, { variables: {}, functions: {} }, where, [name], diagnostics);
    if (value === undefined) continue;
    try {
      out.push([name, v.type ? convertToType(value, v.type) : value]);
    } catch (e) {
      if (!(e instanceof HclError)) throw e;
      diagnostics.push(error(Codes.varValue, `invalid value for variable "${name}" in "${file.path}"`, { pos: parsed.locate([name]), path: v.path, detail: e.detail ?? e.summary }));
    }
  }
  return out;
}

function checkValidations(v: DeclaredVariable, got: Assigned, functions: Record<string, HclFunction>, diagnostics: Diagnostic[]): void {
  for (const rule of v.validations) {
    const at = Array.isArray(v.block.body.validation) ? ['validation', rule.index, 'condition'] : ['validation', 'condition'];
    let ok: HclValue;
    try {
      ok = evaluateJson(rule.condition, { variables: { var: { [v.name]: got.value } }, functions });
    } catch (e) {
      if (!(e instanceof HclError)) throw e;
      diagnostics.push(error(Codes.varValidation, `invalid validation condition of variable "${v.name}": ${e.summary}`, { pos: v.block.locate(at), path: `${v.path}.validation`, ...(e.detail ? { detail: e.detail } : {}) }));
      continue;
    }
    if (typeof ok !== 'boolean') {
      diagnostics.push(error(Codes.varValidation, `validation condition of variable "${v.name}" must be true or false, got ${isBody(ok) ? 'an object' : JSON.stringify(ok)}`, { pos: v.block.locate(at), path: `${v.path}.validation` }));
    } else if (!ok) {
      diagnostics.push(error(Codes.varValidation, `invalid value for variable "${v.name}" (from ${got.from})`, { pos: v.block.locate(at), path: v.path, detail: rule.errorMessage }));
    }
  }
}
