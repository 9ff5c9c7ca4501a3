// What the template loader produces: a Packer template (HCL2 or legacy JSON) with variables,
// locals and HCL expressions evaluated, builds expanded, provisioners in source order.
// Go-template strings ({{ ... }}) are still text here: src/config and the steps render them.

import type { SourcePos } from '../diagnostics.js';

/** A path inside a raw object: keys and array indexes. */
export type KeyPath = readonly (string | number)[];

/** Where an object came from, and how to find the position of any key or element inside it. */
export interface Origin {
  file: string;
  /** Display path of the object itself: `source.azure-chroot.example`, `builders[0]`, `build.provisioner[2]`. */
  path: string;
  /** Position of the object itself (its block header or opening brace). */
  pos?: SourcePos;
  /** Position of a key or element below the object (the attribute name, or the array element); falls back to the nearest known ancestor. */
  locate(sub: KeyPath): SourcePos | undefined;
}

export type TemplateKind = 'hcl2' | 'json';

export interface VariableView {
  name: string;
  /** The final value (after precedence); strings, numbers, bools, lists and maps as plain JS values. */
  value: unknown;
  sensitive: boolean;
  description?: string;
  /** Type constraint as written (`string`, `list(string)`), HCL only. */
  type?: string;
  /** Where the winning value came from: default, env (PKR_VAR_x), an auto var file, a -var-file, -var. */
  from: 'default' | 'env' | 'auto-var-file' | 'var-file' | 'cli';
  /** Declared without a default (HCL2) or as null (JSON): a value must be given. */
  required?: boolean;
  origin?: Origin;
}

export interface RawProvisioner {
  /** Plugin type: shell, file, shell-local (others are reported by src/config). */
  type: string;
  /** HCL `name` attribute, if any. */
  name?: string;
  /** Plugin body with the reserved keys removed and `override` for this build already merged in. */
  config: Record<string, unknown>;
  /** Go duration strings as written, e.g. "10s"; undefined when not set. */
  pauseBefore?: string;
  timeout?: string;
  maxRetries?: number;
  origin: Origin;
}

export interface RawPostProcessor {
  type: string;
  name?: string;
  keepInputArtifact?: boolean;
  config: Record<string, unknown>;
  origin: Origin;
}

/** One build = one source (builder) with the provisioners and post-processors that apply to it. */
export interface RawBuild {
  /** Display name used by -only/-except and in output: `<build.name>.<type>.<name>` or `<type>.<name>` (HCL); the builder `name` (JSON). */
  name: string;
  /** The HCL `build { name = ... }`, if any. */
  buildName?: string;
  /** Builder type, e.g. `azure-chroot`. */
  sourceType: string;
  /** Local name of the source (after a build-level `source { name = ... }` rename); JSON: builder name. */
  sourceName: string;
  /** The label of the source block (Go-template `build_name` in HCL mode returns this); JSON: builder name. */
  sourceLabel: string;
  /** The builder body, evaluated. In HCL, `build.<Key>` references became the Go-template text `{{ build `Key` }}`. */
  builder: Record<string, unknown>;
  builderOrigin: Origin;
  /** Provisioners in run order, already filtered by only/except. */
  provisioners: RawProvisioner[];
  /** Post-processor chains in order; each chain runs its members in sequence. Filtered by only/except. */
  postProcessors: RawPostProcessor[][];
  /** `error-cleanup-provisioner`: runs in the chroot when provisioning fails, before the cleanup. */
  errorCleanupProvisioner?: RawProvisioner;
}

export interface LoadedTemplate {
  kind: TemplateKind;
  /** Files read, in order. */
  files: string[];
  /** `path.root`: the directory argument as given, or the template file's directory. */
  root: string;
  /** Absolute directory of the template (Go-template `template_dir`). */
  templateDir: string;
  description?: string;
  variables: VariableView[];
  /** Every string that must never be printed (sensitive variable and local values). */
  sensitiveValues: string[];
  /** Builds after -only/-except. */
  builds: RawBuild[];
  /** JSON templates: the user variables after rendering, for the Go-template `user` function. HCL: empty. */
  userVars: Record<string, string>;
  /** HCL2: the locals, after evaluation (plain data), for inspect. */
  locals?: { name: string; value: unknown; sensitive: boolean }[];
  /** HCL2: what an expression at the top level of the template sees (var, local, path, packer, the functions), for console. */
  expressionContext?: import('../hcl/index.js').EvalContext;
}

export interface LoadOptions {
  /** -var k=v values, in command-line order (later wins). */
  vars?: readonly [string, string][];
  /** -var-file paths, in order. */
  varFiles?: readonly string[];
  /** Build-name globs from -only / -except. */
  only?: readonly string[];
  except?: readonly string[];
  /** Environment for PKR_VAR_x and env(); defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** Check syntax only: parse files, evaluate nothing. */
  syntaxOnly?: boolean;
  /** Fixed clock for tests (timestamp(), {{timestamp}}). */
  now?: Date;
}

export interface LoadResult {
  /** Undefined when errors prevented building a model. */
  template?: LoadedTemplate;
  diagnostics: import('../diagnostics.js').Diagnostic[];
}
