// The legacy JSON pipeline: root keys, user variables, then one build per builder with the
// provisioners and post-processors that apply to it. Bodies stay Go-template text.

import type { Diagnostic } from '../../diagnostics.js';
import { error } from '../../diagnostics.js';
import { renderGoTemplate } from '../../interpolate/go-template.js';
import { templateFunctions, PACKER_VERSION } from '../../interpolate/functions.js';
import { isBody } from '../blocks.js';
import { Codes } from '../codes.js';
import { readSource, type SourceFile, type TemplateInputs } from '../files.js';
import { parseJsonSource } from '../json-source.js';
import type { LoadedTemplate, LoadOptions, RawBuild } from '../model.js';
import { suggestionDetail } from '../../suggest.js';
import { appliesToBuilder, readBuilders, readPostProcessors, readProvisioners } from './plugins.js';
import { resolveJsonVariables } from './variables.js';
import { undeclaredUserVariables } from './undeclared-user-vars.js';

const ROOT_KEYS = ['description', 'min_packer_version', 'variables', 'sensitive-variables', 'builders', 'provisioners', 'post-processors', 'error-cleanup-provisioner', 'push'];

export interface JsonEnvironment {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** Loads a legacy JSON template; undefined when it cannot be read or parsed (or -syntax-only). */
export async function loadJson(inputs: TemplateInputs, options: LoadOptions, host: JsonEnvironment, diagnostics: Diagnostic[]): Promise<LoadedTemplate | undefined> {
  const path = inputs.configFiles[0]!;
  const { file, diagnostic } = await readSource(path, host.cwd);
  if (diagnostic) diagnostics.push(diagnostic);
  if (!file) return undefined;
  const doc = parseJsonSource(path, file.text);
  diagnostics.push(...doc.diagnostics);
  if (doc.value === undefined) return undefined;
  if (!isBody(doc.value)) {
    diagnostics.push(error(Codes.syntax, 'a JSON template must be an object', { pos: doc.locate([]), detail: 'start the template with { "builders": [...] }' }));
    return undefined;
  }
  const root = doc.value;
  for (const key of Object.keys(root)) {
    if (ROOT_KEYS.includes(key)) continue;
    if (key.startsWith('_')) continue;
    diagnostics.push(error(Codes.unknownKey, `unknown root level key in template: '${key}'`, { pos: doc.locate([key]), path: key, detail: suggestionDetail(key, ROOT_KEYS) }));
  }
  const minVersion = root.min_packer_version;
  if (typeof minVersion === 'string' && compareVersions(minVersion, PACKER_VERSION) > 0) {
    diagnostics.push(error(Codes.unknownKey, `this template requires Packer version ${minVersion} or higher; azchroot is compatible with Packer ${PACKER_VERSION}`, { pos: doc.locate(['min_packer_version']), path: 'min_packer_version' }));
  }
  const builders = readBuilders(doc, path, root.builders, diagnostics);
  const names = builders.map((b) => b.rawName);
  const provisioners = readProvisioners(doc, path, root.provisioners, names, diagnostics);
  const [errorCleanup] = readProvisioners(doc, path, root['error-cleanup-provisioner'], names, diagnostics, 'error-cleanup-provisioner');
  const chains = readPostProcessors(doc, path, root['post-processors'], names, diagnostics);
  if (options.syntaxOnly) return undefined;

  const startTime = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const varFiles: SourceFile[] = [];
  for (const vf of options.varFiles ?? []) {
    const r = await readSource(vf, host.cwd);
    if (r.diagnostic) diagnostics.push(r.diagnostic);
    if (r.file) varFiles.push(r.file);
  }
  const { userVars, views, sensitive } = resolveJsonVariables(doc, root, { varFiles, cliVars: options.vars ?? [], env: host.env, templateDir: inputs.templateDir, startTime, cwd: host.cwd }, diagnostics);

  const declared = new Set(isBody(root.variables) ? Object.keys(root.variables) : []);
  diagnostics.push(...undeclaredUserVariables(doc, root, declared));

  const builds = builders.map((b): RawBuild => {
    let display = b.rawName;
    try {
      // The build name may use {{user}}; only/except/override still compare the raw name (as Packer does).
      const funcs = templateFunctions({ kind: 'json', phase: 'config', userVars, templateDir: inputs.templateDir, startTime, cwd: host.cwd, buildName: b.rawName, buildType: b.type });
      display = renderGoTemplate(b.rawName, { funcs, data: {} });
    } catch (e) {
      diagnostics.push(error(Codes.render, `cannot render builder name "${b.rawName}": ${e instanceof Error ? e.message : String(e)}`, { pos: b.origin.locate(['name']), path: `${b.origin.path}.name` }));
    }
    return {
      name: display,
      sourceType: b.type,
      sourceName: display,
      sourceLabel: display,
      builder: b.body,
      builderOrigin: b.origin,
      provisioners: provisioners.filter((p) => appliesToBuilder(p, b.rawName)).map((p) => {
        const mine = p.override?.[b.rawName];
        return isBody(mine) ? { ...p.item, config: { ...p.item.config, ...mine } } : p.item;
      }),
      postProcessors: chains.map((chain) => chain.filter((pp) => appliesToBuilder(pp, b.rawName)).map((pp) => pp.item)).filter((c) => c.length > 0),
      ...(errorCleanup && appliesToBuilder(errorCleanup, b.rawName) ? { errorCleanupProvisioner: errorCleanup.item } : {}),
    };
  });
  const sensitiveValues = views.filter((v) => sensitive.has(v.name) && typeof v.value === 'string' && v.value !== '').map((v) => v.value as string);
  return {
    kind: 'json',
    files: [path, ...(options.varFiles ?? [])],
    root: inputs.root,
    templateDir: inputs.templateDir,
    ...(typeof root.description === 'string' ? { description: root.description } : {}),
    variables: views,
    sensitiveValues,
    builds,
    userVars,
  };
}

/** Compares dotted numeric versions ("1.7.0" > "1.6.6"). */
function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.replace(/^v/, '').split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
