// Evaluation contexts of HCL2 templates (templates.md §2.9): what each kind of body can see.

import type { EvalContext, HclFunction, HclValue } from '../../hcl/index.js';

import { PACKER_COMPAT_VERSION } from '../../version.js';

export { PACKER_COMPAT_VERSION };

/** Generated build data keys: common Packer keys plus the azure-chroot ones. */
export const BUILD_DATA_KEYS = [
  'ID', 'Host', 'Port', 'User', 'Password', 'ConnType', 'PackerRunUUID', 'PackerHTTPPort', 'PackerHTTPIP',
  'PackerHTTPAddr', 'SSHPublicKey', 'SSHPrivateKey', 'WinRMPassword', 'SourceImageName', 'Device', 'MountPath',
] as const;

export interface Scope {
  vars: Record<string, HclValue>;
  locals: Record<string, HclValue>;
  root: string;
  cwd: string;
  functions: Record<string, HclFunction>;
}

/** Locals, build names and build `sources`: var, local, path, packer. */
export function baseContext(scope: Scope): EvalContext {
  return {
    functions: scope.functions,
    variables: {
      var: scope.vars,
      local: scope.locals,
      path: { root: scope.root, cwd: scope.cwd },
      packer: { version: PACKER_COMPAT_VERSION },
    },
  };
}

/** Source, provisioner and post-processor bodies: also source.name/type and build.* (generated data as Go-template text). */
export function buildContext(scope: Scope, source: { type: string; name: string }, buildName: string | undefined): EvalContext {
  const base = baseContext(scope);
  const build: Record<string, HclValue> = {};
  // Generated data is only known while the build runs: leave a Go-template call the steps render.
  for (const key of BUILD_DATA_KEYS) build[key] = `{{ build \`${key}\` }}`;
  build.name = buildName ?? '';
  return { ...base, variables: { ...base.variables, source: { name: source.name, type: source.type }, build } };
}
