// `variable "name" {}` and `variables {}` declarations: type, default (seeing only env()),
// description, sensitive and validation rules (templates.md §2.3).

import { error, type Diagnostic } from '../../diagnostics.js';
import { convertToType, envOnlyFunctions, formatType, HclError, parseType, type HclType, type HclValue } from '../../hcl/index.js';
import { blocksOf, type BlockRef, type BodyRef } from '../blocks.js';
import { Codes } from '../codes.js';
import type { ParsedFile } from '../hcl-syntax.js';
import { suggestionDetail } from '../../suggest.js';
import { evaluate } from './evaluate.js';

export interface VariableValidation {
  condition: unknown;
  errorMessage: string;
  index: number;
}

export interface DeclaredVariable {
  name: string;
  block: BlockRef;
  /** Display path, `variable.region`. */
  path: string;
  type?: HclType;
  typeText?: string;
  hasDefault: boolean;
  defaultValue?: HclValue;
  /** The default could not be evaluated or converted (already reported). */
  brokenDefault?: boolean;
  description?: string;
  sensitive: boolean;
  validations: VariableValidation[];
}

const VARIABLE_KEYS = ['type', 'default', 'description', 'sensitive', 'validation'];
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Collects every variable declaration of the config files; duplicates and bad declarations become diagnostics. */
export function declareVariables(files: readonly ParsedFile[], env: Readonly<Record<string, string | undefined>>, diagnostics: Diagnostic[]): Map<string, DeclaredVariable> {
  const declared = new Map<string, DeclaredVariable>();
  const add = (v: DeclaredVariable): void => {
    const first = declared.get(v.name);
    if (first) {
      const at = first.block.pos ? ` at ${first.block.pos.file}:${first.block.pos.line}:${first.block.pos.column}` : '';
      diagnostics.push(error(Codes.varDuplicate, `duplicate variable "${v.name}"`, { pos: v.block.pos, path: v.path, detail: `it is already declared${at}; declare each variable once` }));
      return;
    }
    declared.set(v.name, v);
  };
  const defaultContext = { variables: {}, functions: envOnlyFunctions(env) };
  for (const file of files) {
    if (!file.body) continue;
    const ref: BodyRef = { file: file.file, body: file.body, rawPath: [], fileLocate: file.locate };
    for (const block of blocksOf(ref, 'variable', 1, diagnostics)) {
      const v = declareOne(block, defaultContext, diagnostics);
      if (v) add(v);
    }
    for (const block of blocksOf(ref, 'variables', 0, diagnostics)) {
      for (const [name, raw] of Object.entries(block.body)) {
        const path = `variables.${name}`;
        const where = { locate: block.locate, path: 'variables' };
        const value = evaluate(raw, defaultContext, where, [name], diagnostics);
        if (value === undefined) continue;
        const attrBlock: BlockRef = { ...block, labels: [name], pos: block.locate([name]) };
        add({ name, block: attrBlock, path, hasDefault: true, defaultValue: value, sensitive: false, validations: [] });
      }
    }
  }
  // hcl2json sorts keys: restore declaration order (file order, then position).
  const fileIndex = new Map(files.map((f, i) => [f.file, i]));
  const rank = (v: DeclaredVariable): [number, number, number] => [fileIndex.get(v.block.file) ?? 0, v.block.pos?.line ?? 0, v.block.pos?.column ?? 0];
  const ordered = [...declared.values()].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
  return new Map(ordered.map((v) => [v.name, v]));
}

function declareOne(block: BlockRef, defaultContext: { variables: {}; functions: ReturnType<typeof envOnlyFunctions> }, diagnostics: Diagnostic[]): DeclaredVariable | undefined {
  const name = block.labels[0]!;
  const path = `variable.${name}`;
  const where = { locate: block.locate, path };
  if (!NAME.test(name)) {
    diagnostics.push(error(Codes.varName, `invalid variable name "${name}"`, { pos: block.pos, path, detail: 'a name must start with a letter or underscore and may contain only letters, digits, underscores, and dashes' }));
    return undefined;
  }
  for (const key of Object.keys(block.body)) {
    if (!VARIABLE_KEYS.includes(key)) {
      diagnostics.push(error(Codes.unknownKey, `unsupported argument "${key}" in variable "${name}"`, { pos: block.locate([key]), path: `${path}.${key}`, detail: suggestionDetail(key, VARIABLE_KEYS) }));
    }
  }
  const v: DeclaredVariable = { name, block, path, hasDefault: false, sensitive: false, validations: [] };
  const b = block.body;
  if (b.type !== undefined) {
    const text = typeof b.type === 'string' ? b.type.replace(/^\$\{([\s\S]*)\}$/, '$1').trim() : '';
    try {
      v.type = parseType(text);
      v.typeText = formatType(v.type);
    } catch (e) {
      const detail = e instanceof HclError ? (e.detail ?? e.summary) : String(e);
      diagnostics.push(error(Codes.varType, `invalid type constraint "${text}" for variable "${name}"`, { pos: block.locate(['type']), path: `${path}.type`, detail }));
    }
  }
  if (b.default !== undefined) {
    let value = evaluate(b.default, defaultContext, where, ['default'], diagnostics);
    if (value !== undefined && v.type && value !== null) {
      try {
        value = convertToType(value, v.type);
      } catch (e) {
        const detail = e instanceof HclError ? (e.detail ?? e.summary) : String(e);
        diagnostics.push(error(Codes.varValue, `invalid default value for variable "${name}"`, { pos: block.locate(['default']), path: `${path}.default`, detail: `this default value is not compatible with the variable's type constraint: ${detail}` }));
        value = undefined;
      }
    }
    if (value !== undefined) {
      v.hasDefault = true;
      v.defaultValue = value;
    } else v.brokenDefault = true;
  }
  if (b.description !== undefined) v.description = typeof b.description === 'string' ? b.description : String(b.description);
  if (b.sensitive !== undefined) {
    if (typeof b.sensitive === 'boolean') v.sensitive = b.sensitive;
    else diagnostics.push(error(Codes.varValue, `"sensitive" of variable "${name}" must be true or false, got ${JSON.stringify(b.sensitive)}`, { pos: block.locate(['sensitive']), path: `${path}.sensitive` }));
  }
  const validations = Array.isArray(b.validation) ? b.validation : b.validation === undefined ? [] : [b.validation];
  validations.forEach((rule: unknown, index: number) => {
    const at = Array.isArray(b.validation) ? ['validation', index] : ['validation'];
    const r = (rule ?? {}) as Record<string, unknown>;
    const message = r.error_message;
    if (r.condition === undefined) {
      diagnostics.push(error(Codes.varValidation, `validation of variable "${name}" has no condition`, { pos: block.locate(at), path: `${path}.validation`, detail: 'add condition = <a boolean expression using var.' + name + '>' }));
      return;
    }
    if (typeof message !== 'string' || !/^[A-Z]/.test(message) || !/[.?!]$/.test(message.trim())) {
      diagnostics.push(error(Codes.varValidation, 'invalid validation error message', {
        pos: block.locate([...at, 'error_message']),
        path: `${path}.validation.error_message`,
        detail: 'the message must be at least one full sentence starting with an uppercase letter and ending with a period or question mark',
      }));
      return;
    }
    v.validations.push({ condition: r.condition, errorMessage: message, index });
  });
  return v;
}
