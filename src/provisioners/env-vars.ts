// The environment-variable string handed to shell scripts as {{.Vars}}, built exactly like
// Packer's shell provisioners: sorted keys, values with `'` escaped, each through env_var_format.

import { AzchrootError } from '../errors.js';

/** Replaces `'` with `'"'"'` so the value stays inside single quotes. */
export function escapeSingleQuotes(value: string): string {
  return value.split("'").join(`'"'"'`);
}

/** Go's fmt.Sprintf for the verbs env_var_format uses (%s, %v); %% is a literal percent. */
export function goSprintf(format: string, ...args: string[]): string {
  let i = 0;
  return format.replace(/%([%sv])/g, (_m, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[i++];
    return arg === undefined ? `%!${verb}(MISSING)` : arg;
  });
}

/** Merges the base variables, `environment_vars` ("K=V") and `env` (later wins). */
export function collectEnvVars(
  base: Record<string, string>,
  environmentVars: readonly string[],
  env: Record<string, string>,
): Record<string, string> {
  const vars: Record<string, string> = { ...base };
  for (const entry of environmentVars) {
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      throw new AzchrootError('AZC_PROVISIONER_ENV', `environment variable not in format 'key=value': ${JSON.stringify(entry)}`, 'user', {
        hint: 'write each environment_vars entry as "NAME=value"',
      });
    }
    vars[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return { ...vars, ...env };
}

/** The {{.Vars}} string: sorted keys, each formatted with `envVarFormat` and its value quote-escaped. */
export function flattenEnvVars(vars: Record<string, string>, envVarFormat: string): string {
  return Object.keys(vars)
    .sort()
    .map((k) => goSprintf(envVarFormat, k, escapeSingleQuotes(vars[k] ?? '')))
    .join('');
}

/** Variables every azchroot script sees: Packer's two plus the chroot's device and mount path. */
export function baseScriptVars(sourceName: string, extra: Record<string, string>): Record<string, string> {
  return { PACKER_BUILDER_TYPE: 'azure-chroot', PACKER_BUILD_NAME: sourceName, ...extra };
}
