// The HCL2 pipeline: parse files, check structure, then variables -> locals -> sources -> builds.

import { resolve } from 'node:path';
import type { Diagnostic } from '../../diagnostics.js';
import { createFunctions, findUnknown, type HclValue, toPlain } from '../../hcl/index.js';
import { blocksOf } from '../blocks.js';
import { Codes } from '../codes.js';
import { readSource, type SourceFile, type TemplateInputs } from '../files.js';
import { parseHclFile, type ParsedFile } from '../hcl-syntax.js';
import type { LoadedTemplate, LoadOptions } from '../model.js';
import { checkBuildKeys, expandBuilds } from './builds.js';
import { baseContext, type Scope } from './contexts.js';
import { failedValue } from './evaluate.js';
import { evaluateLocals } from './locals.js';
import { checkTopLevel, collectSources, fileRef } from './structure.js';
import { assignValues } from './variable-values.js';
import { declareVariables } from './variables.js';

export interface Hcl2Environment {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** Loads an HCL2 template; undefined when syntax errors or -syntax-only stop before evaluation. */
export async function loadHcl2(inputs: TemplateInputs, options: LoadOptions, host: Hcl2Environment, diagnostics: Diagnostic[]): Promise<LoadedTemplate | undefined> {
  const parsed: ParsedFile[] = [];
  for (const path of inputs.configFiles) {
    const { file, diagnostic } = await readSource(path, host.cwd);
    if (diagnostic) diagnostics.push(diagnostic);
    if (!file) continue;
    const p = await parseHclFile(file.path, file.text);
    diagnostics.push(...p.diagnostics);
    parsed.push(p);
  }
  checkTopLevel(parsed, diagnostics);
  const sources = collectSources(parsed, diagnostics);
  if (options.syntaxOnly) {
    const builds = parsed.flatMap((f) => {
      const ref = fileRef(f);
      return ref ? blocksOf(ref, 'build', 0, diagnostics) : [];
    });
    builds.forEach((b, i) => checkBuildKeys(b, builds.length === 1 ? 'build' : `build[${i}]`, diagnostics));
    return undefined;
  }
  if (diagnostics.some((d) => d.code === Codes.syntax || d.code === Codes.read || d.code === Codes.encoding || d.code === Codes.duplicateKey)) return undefined;

  const declared = declareVariables(parsed, host.env, diagnostics);
  const root = inputs.root;
  const functions = createFunctions({ baseDir: resolve(host.cwd, root), cwd: host.cwd, env: host.env, ...(options.now ? { now: () => options.now! } : {}) });
  const readAll = async (paths: readonly string[]): Promise<SourceFile[]> => {
    const out: SourceFile[] = [];
    for (const path of paths) {
      const { file, diagnostic } = await readSource(path, host.cwd);
      if (diagnostic) diagnostics.push(diagnostic);
      if (file) out.push(file);
    }
    return out;
  };
  const variables = await assignValues(declared, {
    env: host.env,
    autoVarFiles: await readAll(inputs.autoVarFiles),
    varFiles: await readAll(options.varFiles ?? []),
    cliVars: options.vars ?? [],
    functions,
  }, diagnostics);

  const scope: Scope = { vars: {}, locals: {}, root, cwd: host.cwd, functions };
  for (const name of declared.keys()) scope.vars[name] = failedValue();
  for (const v of variables) scope.vars[v.name] = v.value as HclValue;
  const sensitiveLocals = evaluateLocals(parsed, scope, diagnostics);
  const builds = expandBuilds(parsed, sources, scope, diagnostics);

  const sensitiveValues = new Set<string>();
  for (const v of variables) if (v.sensitive) collectStrings(v.value, sensitiveValues);
  for (const name of sensitiveLocals) collectStrings(scope.locals[name], sensitiveValues);
  return {
    kind: 'hcl2',
    files: [...inputs.configFiles, ...inputs.autoVarFiles, ...(options.varFiles ?? [])],
    root,
    templateDir: inputs.templateDir,
    // Views are plain data (numbers as JS numbers); the evaluation scope keeps the typed values.
    variables: variables.map((v) => ({ ...v, value: toPlain(v.value as HclValue) })),
    sensitiveValues: [...sensitiveValues],
    builds,
    userVars: {},
    // A local that failed (reported) has no value to show.
    locals: Object.keys(scope.locals).sort().filter((name) => findUnknown(scope.locals[name] as HclValue) === undefined).map((name) => ({ name, value: toPlain(scope.locals[name] as HclValue), sensitive: sensitiveLocals.has(name) })),
    expressionContext: baseContext(scope),
  };
}

/** Adds every non-empty string leaf of a value. */
export function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    if (value !== '') into.add(value);
  } else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, into));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => collectStrings(v, into));
}
