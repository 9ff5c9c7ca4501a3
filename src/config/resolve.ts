// The config stage: RawBuild → BuildConfig. Per plugin body: normalise HCL blocks → render
// load-time templates (deferred fields only checked) → schema validation → rules and defaults.

import type { Diagnostic } from '../diagnostics.js';
import { hasErrors } from '../diagnostics.js';
import { templateFunctions } from '../interpolate/functions.js';
import type { PluginSection } from '../interpolate/deferred-fields.js';
import type { VmLookup } from '../interpolate/vm-lookup.js';
import type { LoadedTemplate, Origin, RawBuild } from '../template/model.js';
import { buildChrootConfig, builderSecrets } from './builder-config.js';
import type { BuildConfig, PostProcessorConfig, ProvisionerConfig, TemplateRuntime } from './model.js';
import { normalizeBlocks } from './normalize-blocks.js';
import { buildPostProcessor, buildProvisioner } from './provisioner-config.js';
import { renderBody } from './render.js';
import { createReport, type Report } from './report.js';
import { validateAgainstSchema } from './schema-validate.js';
import { loadSchema, SUPPORTED_TYPES, type SchemaKind } from './schemas.js';

export interface ResolveOptions {
  vm: VmLookup;
  /** Unix seconds of process start ({{timestamp}}). */
  startTime: number;
  runUuid: string;
  cwd: string;
  validateOnly?: boolean;
}

const SECTION: Record<SchemaKind, PluginSection> = { builders: 'builder', provisioners: 'provisioner', 'post-processors': 'post-processor' };
// Keys a JSON loader may leave in a body; they are plugin selection, not options.
const RESERVED = ['type', 'name'];

/** Resolves one build; `config` is undefined when any error was found (all are reported). */
export function resolveBuild(build: RawBuild, template: LoadedTemplate, options: ResolveOptions): { config?: BuildConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const runtime: TemplateRuntime = {
    kind: template.kind, userVars: template.userVars, templateDir: template.templateDir,
    startTime: options.startTime, runUuid: options.runUuid,
    buildName: build.sourceLabel, buildType: build.sourceType, cwd: options.cwd,
  };
  const funcs = templateFunctions({ ...runtime, cwd: options.cwd, phase: 'config', vm: options.vm });
  const prepare = (kind: SchemaKind, type: string, body: Record<string, unknown>, origin: Origin): { body: Record<string, unknown>; report: Report } | undefined => {
    const report = createReport(origin, diagnostics);
    const schema = loadSchema(kind, type);
    if (!schema) {
      const singular = SECTION[kind];
      report.error('AZC_CONFIG_UNKNOWN_TYPE', `unknown ${singular} type ${JSON.stringify(type)}`, [], `supported ${kind}: ${SUPPORTED_TYPES[kind].join(', ')}`);
      return undefined;
    }
    const stripped = Object.fromEntries(Object.entries(body).filter(([k]) => !RESERVED.includes(k)));
    const normal = normalizeBlocks(stripped, schema.schema, report, template.kind === 'hcl2');
    const rendered = renderBody(normal, { kind: template.kind, section: SECTION[kind], type, funcs }, report);
    return { body: validateAgainstSchema(kind, type, rendered, report, template.kind === 'hcl2'), report };
  };

  const builder = prepare('builders', build.sourceType, build.builder, build.builderOrigin);
  const chroot = builder && buildChrootConfig(builder.body, { vm: options.vm, startTime: options.startTime, runUuid: options.runUuid, buildName: build.name }, builder.report);

  const provisioners: ProvisionerConfig[] = [];
  for (const raw of build.provisioners) {
    const p = prepare('provisioners', raw.type, raw.config, raw.origin);
    const config = p && buildProvisioner(raw, p.body, options.cwd, p.report);
    if (config) provisioners.push(config);
  }
  const cleanupRaw = build.errorCleanupProvisioner;
  const cleanupPrepared = cleanupRaw && prepare('provisioners', cleanupRaw.type, cleanupRaw.config, cleanupRaw.origin);
  const errorCleanupProvisioner = cleanupRaw && cleanupPrepared ? buildProvisioner(cleanupRaw, cleanupPrepared.body, options.cwd, cleanupPrepared.report) : undefined;
  const postProcessors: PostProcessorConfig[][] = build.postProcessors.map((chain) => chain.flatMap((raw) => {
    const p = prepare('post-processors', raw.type, raw.config, raw.origin);
    const config = p && buildPostProcessor(raw, p.body, options.cwd, p.report);
    return config ? [config] : [];
  }));

  if (!chroot || hasErrors(diagnostics)) return { diagnostics };
  const secrets = [...new Set([...(builder ? builderSecrets(builder.body) : []), ...template.sensitiveValues])].filter((s) => s !== '');
  return {
    config: {
      name: build.name, sourceType: 'azure-chroot', sourceName: build.sourceName, sourceLabel: build.sourceLabel,
      builder: chroot, provisioners, postProcessors, secrets, templateContext: runtime,
      ...(errorCleanupProvisioner ? { errorCleanupProvisioner } : {}),
    },
    diagnostics,
  };
}

/** Validates every build of a template; returns all diagnostics. */
export function validateTemplate(template: LoadedTemplate, options: ResolveOptions): Diagnostic[] {
  return template.builds.flatMap((build) => resolveBuild(build, template, { ...options, validateOnly: true }).diagnostics);
}
