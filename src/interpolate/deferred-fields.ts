// The one list of template fields rendered at step time (Packer's interpolation "Exclude" lists),
// the `.Field` placeholders each may use, the load-time check of those fields, and the step renderer.

import type { TemplateRuntime } from '../config/model.js';
import { closest } from '../suggest.js';
import { renderUntilStable, scanGoTemplate, GoTemplateError } from './go-template.js';
import { KNOWN_FUNCTIONS, templateFunctions } from './functions.js';
import type { VmLookup } from './vm-lookup.js';

export type PluginSection = 'builder' | 'provisioner' | 'post-processor';

export interface DeferredField {
  section: PluginSection;
  /** Plugin type: azure-chroot, shell, shell-local, file, manifest. */
  type: string;
  /** Top-level key; list elements and map values of the key are each a template. */
  key: string;
  /** `.Field` names the step supplies. */
  placeholders: readonly string[];
}

const f = (section: PluginSection, type: string, key: string, placeholders: string[] = []): DeferredField => ({ section, type, key, placeholders });
const SHELL_LOCAL_EXEC = ['Vars', 'Script', 'Command'];

export const DEFERRED_FIELDS: readonly DeferredField[] = [
  f('builder', 'azure-chroot', 'command_wrapper', ['Command']),
  f('builder', 'azure-chroot', 'pre_mount_commands', ['Device']),
  f('builder', 'azure-chroot', 'post_mount_commands', ['Device', 'MountPath']),
  f('builder', 'azure-chroot', 'pre_unmount_commands', ['Device', 'MountPath']),
  f('builder', 'azure-chroot', 'mount_path', ['Device']),
  f('builder', 'azure-chroot', 'manual_mount_command', ['Device', 'MountPath']),
  f('provisioner', 'shell', 'execute_command', ['Vars', 'Path', 'EnvVarFile']),
  f('provisioner', 'shell', 'inline'),
  f('provisioner', 'shell-local', 'execute_command', SHELL_LOCAL_EXEC),
  f('provisioner', 'shell-local', 'inline'),
  f('provisioner', 'shell-local', 'command'),
  f('provisioner', 'file', 'source'),
  f('provisioner', 'file', 'sources'),
  f('provisioner', 'file', 'destination'),
  f('provisioner', 'file', 'content'),
  f('post-processor', 'shell-local', 'execute_command', SHELL_LOCAL_EXEC),
  f('post-processor', 'shell-local', 'inline'),
  f('post-processor', 'shell-local', 'command'),
  f('post-processor', 'manifest', 'custom_data'),
];

/** The deferred-field entry for a plugin key, if that key is rendered at step time. */
export function deferredField(section: PluginSection, type: string, key: string): DeferredField | undefined {
  return DEFERRED_FIELDS.find((d) => d.section === section && d.type === type && d.key === key);
}

export interface TemplateProblem {
  summary: string;
  detail?: string;
}

// Functions that can never work in a config field, whatever the template kind.
const ALWAYS_FAILING: Record<string, string> = {
  env: 'env vars are not allowed here; use them in the variables section (JSON) or env() in a variable default (HCL2)',
  sed: 'sed is deprecated and no longer available; use replace or replace_all',
  consul_key: 'consul_key is not supported by azchroot; pass the value with -var',
  vault: 'vault is not supported by azchroot; pass the value with -var',
  aws_secretsmanager: 'aws_secretsmanager is not supported by azchroot; pass the value with -var',
};
const HCL_FAILING: Record<string, string> = {
  user: 'user variables do not exist in HCL2 templates; use var.<name>',
  template_dir: 'template_dir is not available in HCL2 templates; use path.root',
};

/** Load-time check of a template that will be rendered later: syntax, known functions, and only the allowed placeholders. */
export function checkDeferredTemplate(text: string, placeholders: readonly string[], kind: 'hcl2' | 'json'): TemplateProblem[] {
  let used: { funcs: string[]; fields: string[] };
  try {
    used = scanGoTemplate(text);
  } catch (err) {
    if (err instanceof GoTemplateError) return [{ summary: err.message }];
    throw err;
  }
  const problems: TemplateProblem[] = [];
  for (const name of used.funcs) {
    if (!KNOWN_FUNCTIONS.includes(name)) {
      const near = closest(name, KNOWN_FUNCTIONS);
      problems.push({ summary: `function "${name}" not defined in ${JSON.stringify(text)}`, detail: near ? `did you mean "${near}"?` : undefined });
    } else if (ALWAYS_FAILING[name] || (kind === 'hcl2' && HCL_FAILING[name])) {
      problems.push({ summary: `${name} cannot be used in ${JSON.stringify(text)}`, detail: ALWAYS_FAILING[name] ?? HCL_FAILING[name] });
    }
  }
  for (const field of used.fields) {
    if (placeholders.includes(field)) continue;
    const near = closest(field, placeholders);
    const allowed = placeholders.length ? `available here: ${placeholders.map((p) => `{{.${p}}}`).join(', ')}` : 'no {{.Field}} placeholders are available here';
    problems.push({ summary: `{{.${field}}} is not available in ${JSON.stringify(text)}`, detail: near ? `did you mean {{.${near}}}? ${allowed}` : allowed });
  }
  return problems;
}

/** Renders a deferred field at step time with its step data (`.Device`...) and generated build data (`build`). */
export function renderStepTemplate(
  text: string,
  runtime: TemplateRuntime,
  data: Record<string, string>,
  buildData: Record<string, string>,
  vm: VmLookup,
): string {
  const funcs = templateFunctions({
    kind: runtime.kind,
    phase: 'step',
    userVars: runtime.userVars,
    templateDir: runtime.templateDir,
    startTime: runtime.startTime,
    cwd: runtime.cwd ?? process.cwd(),
    buildName: runtime.buildName,
    buildType: runtime.buildType,
    vm,
    buildData,
  });
  return renderUntilStable(text, { funcs, data });
}
